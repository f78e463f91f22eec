"""The matching tasks: their delivery settings, retries, the beat entry, and a real worker."""

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from matching import tasks
from matching.models import MatchProposal, MatchRun, SupportApplication
from matching.services import application_submit
from matching.services import match_runs as match_runs_module
from residents.models import Consent, ResidentProfile
from tests.matching.engine_factories import (
    ApplicationFactory,
    NeighbourhoodFactory,
    ProjectFactory,
    UserFactory,
)
from tests.workers import running_worker
from welfare_net.celery import app


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture
def empty_queue() -> Iterator[None]:
    """No task left over from another test reaches this test's worker, and none is left."""
    app.control.purge()
    yield
    app.control.purge()


def test_match_district_is_acked_late_bounded_time_limited_and_json_only() -> None:
    task = tasks.match_district

    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
    assert getattr(task, "autoretry_for", None) == (OperationalError,)
    assert task.max_retries == 5
    assert getattr(task, "retry_backoff", None) and getattr(task, "retry_jitter", None)
    assert (task.soft_time_limit, task.time_limit) == (240, 300)
    assert task.serializer == "json"


# The scheduler closes connections it finds inside a transaction: no test transaction here.
@pytest.mark.django_db(transaction=True)
def test_the_beat_schedule_runs_every_district_every_five_minutes() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["matching-all-districts"]
    assert entry["task"] == tasks.match_all_districts.name

    DatabaseScheduler(app=app)

    periodic = PeriodicTask.objects.get(name="matching-all-districts")
    assert periodic.task == "matching.tasks.match_all_districts"
    assert periodic.interval is not None
    assert (periodic.interval.every, periodic.interval.period) == (300, "seconds")
    assert periodic.enabled


@pytest.mark.django_db
def test_a_run_that_loses_the_database_is_retried_and_each_attempt_is_recorded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = ProjectFactory.create()
    application = ApplicationFactory.create(neighbourhood__district=project.district)
    real_solve = match_runs_module.solver.solve
    calls: list[int] = []

    def flaky_solve(*args: Any) -> dict[int, int]:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_solve(*args)

    monkeypatch.setattr(match_runs_module.solver, "solve", flaky_solve)

    tasks.match_district.apply(args=(project.district_id,))

    runs = list(MatchRun.objects.order_by("pk").values_list("status", "attempts"))
    assert runs == [("failed", 1), ("succeeded", 2)]
    application.refresh_from_db()
    assert application.status == SupportApplication.Status.PROPOSED


@pytest.mark.django_db
def test_match_district_for_a_district_that_no_longer_exists_does_nothing() -> None:
    tasks.match_district.apply(args=(987654,))

    assert not MatchRun.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_skipped_run_is_tried_again_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = ProjectFactory.create()
    ApplicationFactory.create(neighbourhood__district=project.district)
    attempts: list[int] = []
    real_execute = tasks.match_run_execute

    def counting_execute(**kwargs: Any) -> MatchRun:
        attempts.append(kwargs["attempt"])
        return real_execute(**kwargs)

    monkeypatch.setattr(tasks, "match_run_execute", counting_execute)
    db = connection.settings_dict
    holder = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"] or "postgres", host=db["HOST"] or "127.0.0.1"
    )
    try:
        with holder.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [match_runs_module._MATCH_LOCK_NAMESPACE, project.district_id],
            )
            tasks.match_district.apply(args=(project.district_id,))
    finally:
        holder.close()

    assert attempts == [1, 2, 3, 4, 5, 6]
    assert not MatchProposal.objects.exists()


# --- With a real worker -------------------------------------------------------------------


def _resident_of(neighbourhood_id: int) -> Any:
    resident = UserFactory.create(first_name="Mi-suk")
    ResidentProfile.objects.create(
        user=resident, neighbourhood_id=neighbourhood_id, birth_year=1948
    )
    Consent.objects.create(
        user=resident, kind="personal", text_version="2026-01", given_at=timezone.now()
    )
    return resident


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_submitted_application_is_proposed_by_the_worker_within_seconds(
    empty_queue: None,
) -> None:
    project = ProjectFactory.create()
    resident = _resident_of(NeighbourhoodFactory.create(district=project.district).pk)

    with running_worker():
        submitted = time.monotonic()
        with transaction.atomic():
            application = application_submit(
                applicant=resident,
                areas=["health"],
                description="I need someone to check my blood pressure.",
                submission_key=uuid.uuid4(),
            )
        proposed = wait_for(
            lambda: MatchProposal.objects.filter(application=application).exists(), timeout=15
        )
        seconds = time.monotonic() - submitted

    assert proposed, "the worker did not propose the application within 15 seconds"
    assert seconds < 10
    application.refresh_from_db()
    assert application.status == SupportApplication.Status.PROPOSED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_match_all_districts_runs_a_pass_in_every_district(empty_queue: None) -> None:
    projects = [ProjectFactory.create(), ProjectFactory.create()]
    applications = [ApplicationFactory.create(neighbourhood__district=p.district) for p in projects]

    with running_worker():
        tasks.match_all_districts.delay()
        done = wait_for(lambda: MatchProposal.objects.count() == 2, timeout=20)

    assert done
    assert set(MatchProposal.objects.values_list("application_id", "project_id")) == {
        (applications[0].pk, projects[0].pk),
        (applications[1].pk, projects[1].pk),
    }
