"""Residents apply, the worker matches and coordinators record outcomes while Redis or
PostgreSQL goes away and comes back.

The shared servers serve other test runs, so each test stops and starts a private server of
its own (tests/servers.py) and points the site, the worker and this process at it. Where the
server's programs are not installed, the test is skipped and says so.
"""

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from matching import tasks
from matching.models import (
    ApplicationEvent,
    MatchProposal,
    MatchRun,
    Notification,
    NotificationRequest,
    SupportApplication,
)
from matching.services import notification_requests_catch_up, proposal_accept
from projects.models import District
from residents.models import User
from tests.matching import slow_sms
from tests.matching.engine_factories import (
    ApplicationFactory,
    NeighbourhoodFactory,
    ProjectFactory,
    ProposalFactory,
)
from tests.matching.factories import make_resident
from tests.matching.outcome_helpers import make_coordinator
from tests.matching.outcome_helpers import make_resident as make_resident_to_notify
from tests.servers import (
    PrivateRedis,
    needs_postgres_server,
    needs_redis_server,
    private_postgres,
    private_redis,
    running_site,
)
from tests.workers import running_worker
from welfare_net.celery import app

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

Status = SupportApplication.Status


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


# --- Redis --------------------------------------------------------------------------------


@pytest.fixture
def redis_server(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateRedis]:
    """A private Redis as the broker and the cache of this process and of its workers, as in
    a deployment where one Redis is both."""
    with private_redis() as server:
        url = server.url()
        settings.REDIS_URL = url
        settings.CELERY_BROKER_URL = url
        settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": url}}
        # Celery prefers the environment's CELERY_BROKER_URL over its configuration.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        monkeypatch.setattr(app.conf, "broker_url", url)
        monkeypatch.setattr(app, "_pool", None)
        monkeypatch.setattr(app.amqp, "_producer_pool", None)
        try:
            yield server
        finally:
            app.pool.force_close_all()  # type: ignore[attr-defined]  # a ConnectionPool


def apply_through_the_site(resident: User) -> tuple[int, int, int]:
    """A resident fills in the form: the status codes of the form, the send, the next page."""
    client = Client()
    client.force_login(resident)
    form = client.get(reverse("matching:apply"))
    key = form.context["form"].initial["submission_key"]
    sent = client.post(
        reverse("matching:apply"),
        {
            "areas": ["health"],
            "description": "혈압을 재 주실 분이 필요합니다",
            "urgency": "2",
            "support_type": "",
            "preferred_project": "",
            "contact_phone": "010-9876-5432",
            "submission_key": str(key),
        },
    )
    shown = client.get(sent["Location"]) if sent.status_code == 302 else sent
    return form.status_code, sent.status_code, shown.status_code


def proposals_per_application() -> Counter[int]:
    return Counter(MatchProposal.objects.values_list("application_id", flat=True))


@needs_redis_server
def test_residents_apply_while_redis_is_down_and_matching_catches_up_when_it_returns(
    redis_server: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    project = ProjectFactory.create(capacity=10)
    neighbourhood = NeighbourhoodFactory.create(district=project.district)
    residents = [make_resident(neighbourhood=neighbourhood) for _ in range(6)]

    with running_worker() as worker_name:
        # Before: an application is proposed by the worker within seconds.
        assert apply_through_the_site(residents[0]) == (200, 302, 200)
        assert wait_for(lambda: MatchProposal.objects.count() == 1, timeout=15)

        redis_server.stop()
        with caplog.at_level(logging.ERROR, logger="welfare_net.enqueue"):
            during = [apply_through_the_site(resident) for resident in residents[1:5]]
        # Every page answered; every application is saved and waits, none is lost.
        assert during == [(200, 302, 200)] * 4
        assert SupportApplication.objects.filter(status=Status.PENDING).count() == 4
        assert len([r for r in caplog.records if r.name == "welfare_net.enqueue"]) == 4

        redis_server.start()  # empty: what the broker held is gone, as after a real restart
        assert wait_for(lambda: bool(app.control.ping([worker_name], timeout=0.5)), timeout=40)
        assert apply_through_the_site(residents[5]) == (200, 302, 200)
        tasks.match_all_districts.delay()  # the beat's pass, every five minutes
        assert wait_for(lambda: MatchProposal.objects.count() == 6, timeout=30)
        tasks.match_all_districts.delay()  # and the next pass finds nothing left to do
        time.sleep(3)

    assert SupportApplication.objects.count() == 6
    assert set(SupportApplication.objects.values_list("status", flat=True)) == {Status.PROPOSED}
    assert set(proposals_per_application().values()) == {1}
    assert sum(MatchRun.objects.values_list("proposed", flat=True)) == 6


def coordinator_records_through_the_site(coordinator: User, proposal: MatchProposal) -> int:
    """The coordinator records that the support was delivered: the status code of the send."""
    client = Client()
    client.force_login(coordinator)
    return client.post(
        reverse("queue:application_outcome", args=[proposal.application.public_id]),
        {"outcome": "delivered", "on": timezone.localdate().isoformat(), "note": ""},
    ).status_code


@needs_redis_server
def test_a_message_lost_while_redis_is_down_is_sent_once_by_the_catch_up_when_it_returns(
    redis_server: PrivateRedis,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    texts = tmp_path / "sms.log"  # the worker's text messages, one phone number a line
    monkeypatch.setenv("SMS_BACKEND", "tests.matching.slow_sms.SlowRecordingSmsBackend")
    monkeypatch.setenv("SLOW_SMS_LOG", str(texts))
    resident = make_resident_to_notify(channel="sms", phone="010-5555-7777")
    neighbourhood = resident.profile.neighbourhood
    coordinator = make_coordinator(neighbourhood)
    proposal = ProposalFactory.create(
        application__applicant=resident, application__neighbourhood=neighbourhood
    )
    proposal_accept(proposal=proposal, by=coordinator)  # its message waits in the broker

    def sent() -> list[str]:
        return texts.read_text().splitlines() if texts.exists() else []

    with running_worker() as worker_name:
        # Before: the accept's message is sent within seconds.
        assert wait_for(lambda: len(sent()) == 1, timeout=20)

        redis_server.stop()
        with caplog.at_level(logging.ERROR, logger="welfare_net.enqueue"):
            assert coordinator_records_through_the_site(coordinator, proposal) == 302
        # The outcome is saved, its message is owed, and its task never reached a worker.
        delivered = ApplicationEvent.objects.get(to_status=Status.DELIVERED)
        owed = NotificationRequest.objects.get(key=str(delivered.pk))
        assert owed.done_at is None
        assert any(
            "notify_application_event" in record.getMessage()
            for record in caplog.records
            if record.name == "welfare_net.enqueue"
        )

        redis_server.start()  # empty: what the broker held is gone, as after a real restart
        assert wait_for(lambda: bool(app.control.ping([worker_name], timeout=0.5)), timeout=40)
        assert sent() == ["010-5555-7777"]
        # Six minutes later the beat's catch-up finds the message and the worker sends it.
        NotificationRequest.objects.filter(pk=owed.pk).update(
            requested_at=F("requested_at") - dt.timedelta(minutes=6)
        )
        tasks.catch_up_notifications.delay()
        assert wait_for(lambda: len(sent()) == 2, timeout=30)
        assert wait_for(
            lambda: NotificationRequest.objects.filter(done_at__isnull=True).count() == 0,
            timeout=20,
        )
        # The next catch-up (on the worker, and here) finds nothing more to send.
        tasks.catch_up_notifications.delay()
        time.sleep(slow_sms.SECONDS + 2)  # time enough to send one, were one owed
        assert notification_requests_catch_up(now=timezone.now()).sent_again == 0

    assert sent() == ["010-5555-7777", "010-5555-7777"]
    assert Notification.objects.filter(user=resident).count() == 2
    assert Notification.objects.filter(object_key=str(delivered.pk)).count() == 1


# --- PostgreSQL ---------------------------------------------------------------------------


def a_district_with_pending_applications(count: int = 3) -> District:
    project = ProjectFactory.create(capacity=count)
    ApplicationFactory.create_batch(
        count, neighbourhood=NeighbourhoodFactory.create(district=project.district)
    )
    return project.district


def query(url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Read the private server's database directly (this process's connection is elsewhere)."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    conn.close()
    return rows


def proposed_in(url: str, district: District) -> int:
    rows = query(
        url,
        "SELECT count(*) FROM matching_supportapplication WHERE district_id = %s"
        " AND status = 'proposed'",
        district.pk,
    )
    return int(rows[0][0])  # type: ignore[call-overload]


def sessions_of(url: str, application_name: str) -> set[object]:
    """The server processes serving one client's connections."""
    rows = query(
        url,
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        " AND application_name = %s",
        application_name,
    )
    return {pid for (pid,) in rows}


def runs_of(url: str, district: District) -> list[tuple[object, ...]]:
    return query(
        url,
        "SELECT status, attempts FROM matching_matchrun WHERE district_id = %s ORDER BY id",
        district.pk,
    )


# The project list at an address the page cache never keeps (a parameter not its own), so
# every request reads the database: an anonymous "/projects/" may come from the cache.
READS_THE_DATABASE = "/projects/?from-the-database=1"


@needs_postgres_server
def test_after_postgresql_restarts_the_next_page_and_the_next_run_succeed_at_once(
    tmp_path: Path,
) -> None:
    idle, during, after = (a_district_with_pending_applications() for _ in range(3))
    warm = a_district_with_pending_applications()
    db = connection.settings_dict
    test_database = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )
    app.control.purge()

    with private_postgres() as server:
        server.copy_database(source_url=test_database, dbname="welfare_net_fault")
        plain_url = server.url("welfare_net_fault")
        # The site keeps its connection from request to request, as in production.
        site_url = server.url("welfare_net_fault", conn_max_age=60, application_name="site")
        worker_url = server.url("welfare_net_fault", conn_max_age=60, application_name="worker")
        with (
            running_site(database_url=site_url, log=tmp_path / "site.log") as site,
            running_worker(database_url=worker_url),
        ):
            # A page read, a run written. The site keeps its connection for the next request
            # (Celery's Django fix-up closes the worker's after every task).
            assert site.get(READS_THE_DATABASE).status == 200
            kept = sessions_of(plain_url, "site")
            assert len(kept) == 1
            assert site.get(READS_THE_DATABASE).status == 200
            assert sessions_of(plain_url, "site") == kept
            tasks.match_district.delay(warm.pk)
            assert wait_for(lambda: proposed_in(plain_url, warm) == 3, timeout=20)

            # 1. Restarted while nobody was asking: every kept connection is now dead.
            server.stop()
            server.start()
            assert site.get(READS_THE_DATABASE).status == 200
            assert sessions_of(plain_url, "site").isdisjoint(kept)  # a new one, not an error
            tasks.match_district.delay(idle.pk)
            assert wait_for(lambda: proposed_in(plain_url, idle) == 3, timeout=20)
            assert runs_of(plain_url, idle) == [("succeeded", 1)]

            # 2. Down while a page is asked for and a run is asked for.
            server.stop()
            assert site.get(READS_THE_DATABASE).status == 500
            health = site.get("/healthz")
            assert health.status == 503
            assert health.json()["checks"] == {"database": "down", "cache": "ok", "broker": "ok"}
            tasks.match_district.delay(during.pk)
            time.sleep(2)  # the worker takes it, fails to reach the database, retries later
            server.start()

            # The first page after the restart answers; so does the next run, first time.
            assert site.get(READS_THE_DATABASE).status == 200
            assert site.get("/healthz").status == 200
            tasks.match_district.delay(after.pk)
            assert wait_for(lambda: proposed_in(plain_url, after) == 3, timeout=20)
            assert runs_of(plain_url, after) == [("succeeded", 1)]
            # The run asked for during the outage is done by a retry, once.
            assert wait_for(lambda: proposed_in(plain_url, during) == 3, timeout=30)
            [(status, attempts)] = runs_of(plain_url, during)
            assert status == "succeeded"
            assert isinstance(attempts, int) and attempts > 1

        duplicates = query(
            plain_url,
            "SELECT application_id FROM matching_matchproposal GROUP BY application_id"
            " HAVING count(*) > 1",
        )
        assert duplicates == []
        assert query(plain_url, "SELECT count(*) FROM matching_matchproposal") == [(12,)]
