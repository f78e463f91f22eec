"""Matching when things go wrong: workers killed mid-run, runs racing, tasks delivered twice.
(Redis and PostgreSQL going away and coming back: test_outages.py.)

Each test starts real Celery workers on the test database (tests/workers.py). A run sleeps
``MATCHING_RUN_DELAY_SECONDS`` inside its transaction, after solving and before writing, so
a test can kill the worker while the run is half done.
"""

import os
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from matching import tasks
from matching.models import (
    ApplicationEvent,
    MatchProposal,
    MatchRun,
    Notification,
    SupportApplication,
)
from matching.services import match_runs as match_runs_module
from matching.services import proposal_accept
from projects.models import District
from tests.matching.engine_factories import (
    ApplicationFactory,
    NeighbourhoodFactory,
    ProjectFactory,
    ProposalFactory,
)
from tests.matching.outcome_helpers import make_coordinator, make_resident
from tests.workers import running_worker
from welfare_net.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# A message the killed worker never acknowledged goes back to Redis only after the visibility
# timeout (an hour); if it ever comes back it is expired by then and dropped.
TASK_EXPIRES = 120


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture(autouse=True)
def empty_queue() -> Iterator[None]:
    app.control.purge()
    yield
    app.control.purge()


@pytest.fixture
def slow_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers started in this test sleep 4 s in the middle of every run."""
    monkeypatch.setenv("MATCHING_RUN_DELAY_SECONDS", "4")


def a_district_with_pending_applications(count: int = 6) -> District:
    project = ProjectFactory.create(capacity=count)
    nbhd = NeighbourhoodFactory.create(district=project.district)
    ApplicationFactory.create_batch(count, neighbourhood=nbhd)
    return project.district


def run_in_progress(district: District) -> bool:
    """A run holds the district's advisory lock (it is between reading and committing)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s AND objid = %s",
            [match_runs_module._MATCH_LOCK_NAMESPACE, district.pk],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def worker_pids(worker_name: str) -> tuple[int, list[int]]:
    """The worker's main process and its pool's child processes."""
    stats = app.control.inspect(destination=[worker_name], timeout=5).stats()
    assert stats is not None
    info = stats[worker_name]
    return info["pid"], list(info["pool"]["processes"])


def proposals_per_application() -> Counter[int]:
    return Counter(MatchProposal.objects.values_list("application_id", flat=True))


def all_proposed(district: District, count: int) -> Callable[[], bool]:
    return lambda: (
        SupportApplication.objects.filter(district=district, status="proposed").count() == count
    )


def test_a_worker_process_killed_mid_run_leaves_nothing_and_the_redelivered_task_completes(
    slow_runs: None,
) -> None:
    district = a_district_with_pending_applications()

    with running_worker() as worker_name:
        tasks.match_district.apply_async(args=(district.pk,), expires=TASK_EXPIRES)
        assert wait_for(lambda: run_in_progress(district), timeout=15)
        time.sleep(1)  # inside the run's sleep: solved, nothing written yet
        _, children = worker_pids(worker_name)
        for pid in children:
            os.kill(pid, signal.SIGKILL)

        assert not MatchRun.objects.exists()
        assert not MatchProposal.objects.exists()
        assert not ApplicationEvent.objects.exists()

        # acks_late + reject_on_worker_lost: the message goes back and a new child runs it.
        assert wait_for(all_proposed(district, 6), timeout=40)

    assert list(MatchRun.objects.values_list("status", "proposed")) == [("succeeded", 6)]
    assert set(proposals_per_application().values()) == {1}
    assert ApplicationEvent.objects.count() == 6


def test_a_whole_worker_killed_mid_run_leaves_nothing_and_a_new_worker_completes_the_run(
    slow_runs: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    district = a_district_with_pending_applications()

    with running_worker() as worker_name:
        tasks.match_district.apply_async(args=(district.pk,), expires=TASK_EXPIRES)
        assert wait_for(lambda: run_in_progress(district), timeout=15)
        time.sleep(1)
        main_pid, _ = worker_pids(worker_name)
        os.killpg(main_pid, signal.SIGKILL)  # the worker and its children, no goodbye

        # PostgreSQL rolls the dead connection's transaction back and frees the lock.
        assert wait_for(lambda: not run_in_progress(district), timeout=15)
        assert not MatchRun.objects.exists()
        assert not MatchProposal.objects.exists()
        assert SupportApplication.objects.filter(status="pending").count() == 6

    monkeypatch.delenv("MATCHING_RUN_DELAY_SECONDS")
    with running_worker():
        tasks.match_district.apply_async(args=(district.pk,), expires=TASK_EXPIRES)
        assert wait_for(all_proposed(district, 6), timeout=20)

    assert list(MatchRun.objects.values_list("status", "proposed")) == [("succeeded", 6)]
    assert set(proposals_per_application().values()) == {1}


def test_two_workers_running_the_same_district_at_once_propose_each_application_once(
    slow_runs: None,
) -> None:
    district = a_district_with_pending_applications(8)

    with running_worker(), running_worker():
        for _ in range(4):
            tasks.match_district.apply_async(args=(district.pk,), expires=TASK_EXPIRES)
        assert wait_for(all_proposed(district, 8), timeout=40)
        # The skipped runs try again after a few seconds and then find nothing to do.
        time.sleep(tasks.SKIPPED_RETRY_SECONDS + 6)

    assert set(proposals_per_application().values()) == {1}
    assert MatchProposal.objects.count() == 8
    assert ApplicationEvent.objects.filter(to_status="proposed").count() == 8
    assert list(MatchRun.objects.values_list("status", "proposed")) == [("succeeded", 8)]


def test_a_task_delivered_twice_proposes_once(slow_runs: None) -> None:
    district = a_district_with_pending_applications(5)

    with running_worker(concurrency=2):
        # The same message twice, as a broker redelivering it would hand it out.
        for _ in range(2):
            tasks.match_district.apply_async(
                args=(district.pk,), task_id="same-delivery", expires=TASK_EXPIRES
            )
        assert wait_for(all_proposed(district, 5), timeout=40)
        time.sleep(tasks.SKIPPED_RETRY_SECONDS + 6)

    assert set(proposals_per_application().values()) == {1}
    assert MatchProposal.objects.count() == 5
    assert MatchRun.objects.filter(status="succeeded").count() == 1


def worker_is_idle(worker_name: str) -> bool:
    inspect = app.control.inspect(destination=[worker_name], timeout=2)
    active, reserved, scheduled = inspect.active(), inspect.reserved(), inspect.scheduled()
    return all(
        answer is not None and not answer.get(worker_name)
        for answer in (active, reserved, scheduled)
    )


def test_a_notification_task_delivered_twice_at_once_sends_one_message(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sent = tmp_path / "sms.log"
    monkeypatch.setenv("SMS_BACKEND", "tests.matching.slow_sms.SlowRecordingSmsBackend")
    monkeypatch.setenv("SLOW_SMS_LOG", str(sent))
    resident = make_resident(channel="sms", phone="010-5555-6666")
    neighbourhood = resident.profile.neighbourhood
    proposal = ProposalFactory.create(
        application__applicant=resident, application__neighbourhood=neighbourhood
    )
    proposal_accept(proposal=proposal, by=make_coordinator(neighbourhood))
    event = ApplicationEvent.objects.get(to_status="accepted")
    app.control.purge()  # the accept's own message: this test sends it itself, twice

    with running_worker(concurrency=2) as worker_name:
        # The same message twice, taken by two processes at once: the first sends (slowly),
        # the second waits on the first's Notification row, then finds it and sends nothing.
        for _ in range(2):
            tasks.notify_application_event.apply_async(
                args=(event.pk,), task_id="same-notification", expires=TASK_EXPIRES
            )
        assert wait_for(Notification.objects.exists, timeout=20)
        assert wait_for(lambda: worker_is_idle(worker_name), timeout=30)

    assert sent.read_text().splitlines() == ["010-5555-6666"]
    assert Notification.objects.count() == 1
