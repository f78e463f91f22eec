"""The nightly retention task: on the beat schedule, and run once by a real worker."""

import datetime as dt
import time
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.utils import timezone

from matching.models import SupportApplication
from privacy.tasks import apply_retention
from residents.models import PersonalDataAccess
from tests.matching.test_retention import ended_application
from tests.residents.test_retention import access_at
from tests.workers import running_worker
from welfare_net.celery import app


def test_the_retention_task_is_on_the_beat_schedule_every_night_seoul_time() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-apply-retention"]

    assert entry["task"] == "privacy.tasks.apply_retention"
    assert apply_retention.name == entry["task"]
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute) == ({3}, {30})  # type: ignore[attr-defined]
    assert schedule.day_of_week == set(range(7))  # type: ignore[attr-defined]
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"


def test_the_task_run_in_process_twice_logs_counts_and_no_personal_data(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    now = timezone.now()
    ended_application(ended_at=now - dt.timedelta(days=1096))

    with caplog.at_level("INFO", logger="privacy.tasks"):
        apply_retention()
        apply_retention()

    first, second = [r.getMessage() for r in caplog.records if r.name == "privacy.tasks"]
    assert "applications anonymised 1" in first
    assert "applications anonymised 0" in second
    assert "김영희" not in first + second


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture
def empty_queue() -> Iterator[None]:
    app.control.purge()
    yield
    app.control.purge()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_retention_task(empty_queue: None) -> None:
    now = timezone.now()
    old_case = ended_application(ended_at=now - dt.timedelta(days=1096))
    kept_case = ended_application(ended_at=now - dt.timedelta(days=10))
    old_access = access_at(now - dt.timedelta(days=731))

    with running_worker():
        apply_retention.delay()
        done = wait_for(
            lambda: (
                SupportApplication.objects.filter(pk=old_case.pk, applicant_name="-").exists()
                and not PersonalDataAccess.objects.filter(pk=old_access.pk).exists()
            ),
            timeout=30,
        )

    assert done, "the worker did not apply the retention within 30 seconds"
    assert SupportApplication.objects.get(pk=kept_case.pk).applicant_name == "김영희"
    assert SupportApplication.objects.count() == 2
