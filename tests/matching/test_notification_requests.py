"""Messages owed: recorded with their event, marked done by their task, and sent by the
beat's catch-up when their task never ran -- once, not too late, not twice.

A test's on-commit callbacks run only where it says so: a service called without
``django_capture_on_commit_callbacks(execute=True)`` stands for an event saved while the
broker was down (its task never reached a worker)."""

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from matching import tasks
from matching.models import ApplicationEvent, Notification, NotificationRequest, Referral
from matching.selectors import (
    CATCH_UP_ATTEMPTS,
    DIGEST_TIME,
    coordinators_for_digest,
    digest_due_at,
    notification_requests_missed,
)
from matching.services import (
    coordinator_digests_request,
    notification_requests_catch_up,
    proposal_accept,
    referral_close,
    referral_convert,
    referral_record_contact,
    referral_submit,
)
from projects.models import StaffMember
from residents.models import User
from tests.matching.engine_factories import (
    ApplicationFactory,
    NeighbourhoodFactory,
    ProposalFactory,
)
from tests.matching.outcome_helpers import make_coordinator, make_resident
from welfare_net.celery import app

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Tasks enqueued after commit run here, in this process, instead of on a worker."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def owed(key: str, *, ago: dt.timedelta, now: dt.datetime, **fields: object) -> NotificationRequest:
    return NotificationRequest.objects.create(
        kind=Kind.APPLICATION_EVENT, key=key, args=[int(key)], requested_at=now - ago, **fields
    )


def accepted_while_the_broker_was_down(resident: User) -> ApplicationEvent:
    """A coordinator accepts a proposal for the resident; the message's task is never sent."""
    neighbourhood = resident.profile.neighbourhood
    proposal = ProposalFactory.create(
        application__applicant=resident,
        application__applicant_name="홍길동",
        application__neighbourhood=neighbourhood,
    )
    proposal_accept(proposal=proposal, by=make_coordinator(neighbourhood))
    return ApplicationEvent.objects.get(application=proposal.application, to_status="accepted")


def minutes_later(minutes: int) -> None:
    """Every message owed was asked for ``minutes`` earlier than it was."""
    for row in NotificationRequest.objects.all():
        row.requested_at -= dt.timedelta(minutes=minutes)
        row.save(update_fields=["requested_at"])


# --- The selector -------------------------------------------------------------------------


def test_the_missed_are_those_open_between_five_minutes_and_two_days_old() -> None:
    now = timezone.now()
    missed = owed("1", ago=10 * MINUTE, now=now)
    nearly_two_days = owed("2", ago=dt.timedelta(days=2) - MINUTE, now=now)
    owed("3", ago=2 * MINUTE, now=now)  # its task may still be on its way
    owed("4", ago=dt.timedelta(days=2, minutes=1), now=now)  # stale news
    owed("5", ago=10 * MINUTE, now=now, done_at=now - 9 * MINUTE)  # its task ran

    assert list(notification_requests_missed(now=now)) == [nearly_two_days, missed]


def test_one_sent_again_lately_or_too_often_is_not_missed() -> None:
    now = timezone.now()
    owed("1", ago=30 * MINUTE, now=now, caught_up_at=now - 2 * MINUTE, catch_ups=1)
    again = owed("2", ago=30 * MINUTE, now=now, caught_up_at=now - 6 * MINUTE, catch_ups=1)
    owed("3", ago=60 * MINUTE, now=now, caught_up_at=now - 6 * MINUTE, catch_ups=CATCH_UP_ATTEMPTS)

    assert list(notification_requests_missed(now=now)) == [again]


@pytest.mark.django_db(transaction=True)
def test_one_another_catch_up_has_locked_is_passed_over() -> None:
    now = timezone.now()
    taken = owed("1", ago=10 * MINUTE, now=now)
    free = owed("2", ago=9 * MINUTE, now=now)
    locked, release = threading.Event(), threading.Event()

    def other_catch_up() -> None:
        with transaction.atomic():
            list(NotificationRequest.objects.select_for_update().filter(pk=taken.pk))
            locked.set()
            release.wait(10)
        connection.close()

    other = threading.Thread(target=other_catch_up)
    other.start()
    try:
        assert locked.wait(10)
        with transaction.atomic():
            claimed = list(
                notification_requests_missed(now=now).select_for_update(skip_locked=True)
            )
    finally:
        release.set()
        other.join()

    assert claimed == [free]


def test_the_digest_is_owed_to_the_active_coordinators_who_were_there_when_it_was_due() -> None:
    due = digest_due_at(on=timezone.localdate() + dt.timedelta(days=1))
    neighbourhood = NeighbourhoodFactory.create()
    there = make_coordinator(neighbourhood).staff_member
    StaffMember.objects.filter(pk=make_coordinator(neighbourhood).staff_member.pk).update(
        created_at=due + MINUTE
    )
    User.objects.filter(pk=make_coordinator(neighbourhood).pk).update(is_active=False)

    assert list(coordinators_for_digest(by=due)) == [there]
    assert timezone.localtime(due).time() == DIGEST_TIME


# --- Recorded with the event, done by the task ----------------------------------------------


def test_the_events_that_tell_someone_record_the_message_they_owe() -> None:
    resident = make_resident()
    event = accepted_while_the_broker_was_down(resident)
    referral = referral_submit(
        referrer=resident,
        neighbourhood_id=resident.profile.neighbourhood_id,
        situation="혼자 사시는 어르신",
        how_to_reach="101동",
        neighbour_knows=True,
        submission_key=uuid.uuid4(),
    )
    coordinator = make_coordinator(resident.profile.neighbourhood)
    referral_record_contact(referral=referral, by=coordinator, note="")
    converted = referral_convert(
        referral=referral,
        by=coordinator,
        applicant_name="김순자",
        contact_phone="010-2222-3333",
        birth_year=None,
        household_type="",
        target_group_ids=[],
        areas=["health"],
        description="병원 동행",
        urgency=3,
        consent_text_version="2026-01",
    )

    recorded = NotificationRequest.objects.values_list("kind", "key", "args", "done_at")
    assert {(kind, key, tuple(args), done) for kind, key, args, done in recorded} == {
        (Kind.APPLICATION_EVENT, str(event.pk), (event.pk,), None),
        (Kind.REFERRAL_STATUS, f"{referral.pk}:contacted", (referral.pk, "contacted"), None),
        (Kind.REFERRAL_CONVERTED, str(converted.pk), (converted.pk,), None),
    }


def test_a_task_that_ran_marks_its_message_done_even_when_it_had_nothing_to_send() -> None:
    told = accepted_while_the_broker_was_down(make_resident())
    untold = accepted_while_the_broker_was_down(make_resident(notifications_consent=False))

    for event in (told, untold):
        tasks.notify_application_event.apply(args=(event.pk,))

    assert len(mail.outbox) == 1
    assert not NotificationRequest.objects.filter(done_at__isnull=True).exists()


def test_a_referral_whose_status_moved_on_marks_the_earlier_message_done() -> None:
    referrer = make_resident()
    coordinator = make_coordinator(referrer.profile.neighbourhood)
    referral = referral_submit(
        referrer=referrer,
        neighbourhood_id=referrer.profile.neighbourhood_id,
        situation="이웃",
        how_to_reach="102동",
        neighbour_knows=False,
        submission_key=uuid.uuid4(),
    )
    referral_record_contact(referral=referral, by=coordinator, note="")
    referral_close(referral=referral, by=coordinator, reason="이사")

    tasks.notify_referral_status.apply(args=(referral.pk, Referral.Status.CONTACTED))

    assert mail.outbox == []
    assert list(
        NotificationRequest.objects.filter(done_at__isnull=True).values_list("key", flat=True)
    ) == [f"{referral.pk}:closed"]


# --- The catch-up ---------------------------------------------------------------------------


def test_a_message_whose_task_never_ran_is_sent_by_the_catch_up_once(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    resident = make_resident()
    accepted_while_the_broker_was_down(resident)
    minutes_later(6)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        first = notification_requests_catch_up(now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        second = notification_requests_catch_up(now=timezone.now() + dt.timedelta(minutes=10))

    assert (first.sent_again, second.sent_again) == (1, 0)
    assert [message.to for message in mail.outbox] == [[resident.email]]
    assert "홍길동" in mail.outbox[0].body
    request = NotificationRequest.objects.get()
    assert (request.catch_ups, request.done_at is not None) == (1, True)


def test_the_catch_up_waits_a_few_minutes_for_the_task_sent_with_the_event(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    accepted_while_the_broker_was_down(make_resident())
    minutes_later(2)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = notification_requests_catch_up(now=timezone.now())

    assert result.sent_again == 0
    assert mail.outbox == []


def test_a_message_already_sent_is_not_sent_again_even_if_its_task_died_before_saying_so(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    event = accepted_while_the_broker_was_down(make_resident())
    tasks.notify_application_event.apply(args=(event.pk,))
    NotificationRequest.objects.update(done_at=None)  # the worker died after sending
    minutes_later(6)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = notification_requests_catch_up(now=timezone.now())

    assert result.sent_again == 1
    assert len(mail.outbox) == 1  # the one sent by the task itself
    assert Notification.objects.count() == 1
    assert NotificationRequest.objects.get().done_at is not None


def test_news_older_than_two_days_is_not_sent_late(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    accepted_while_the_broker_was_down(make_resident())
    minutes_later(2 * 24 * 60 + 1)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = notification_requests_catch_up(now=timezone.now())

    assert result.sent_again == 0
    assert mail.outbox == []


def test_records_older_than_a_week_are_deleted() -> None:
    now = timezone.now()
    owed("1", ago=dt.timedelta(days=8), now=now, done_at=now - dt.timedelta(days=8))
    owed("2", ago=dt.timedelta(days=8), now=now)
    kept = owed("3", ago=dt.timedelta(days=6), now=now, done_at=now - dt.timedelta(days=6))

    result = notification_requests_catch_up(now=now)

    assert result.deleted == 2
    assert list(NotificationRequest.objects.all()) == [kept]


@pytest.mark.django_db(transaction=True)
def test_two_catch_ups_at_once_send_each_task_once(eager_tasks: None) -> None:
    now = timezone.now()
    owed("1", ago=10 * MINUTE, now=now)  # no such event: the task finds nothing to send
    first_claimed, release = threading.Event(), threading.Event()
    results = []

    def first_catch_up() -> None:
        with transaction.atomic():  # holds its claim until released
            results.append(notification_requests_catch_up(now=now))
            first_claimed.set()
            release.wait(10)
        connection.close()

    first = threading.Thread(target=first_catch_up)
    first.start()
    try:
        assert first_claimed.wait(10)
        started = time.monotonic()
        second = notification_requests_catch_up(now=now)
        waited = time.monotonic() - started
    finally:
        release.set()
        first.join()
    third = notification_requests_catch_up(now=now + MINUTE)

    assert waited < 5  # it passed over the claimed record rather than wait for it
    assert [result.sent_again for result in (*results, second, third)] == [1, 0, 0]
    request = NotificationRequest.objects.get()
    assert (request.catch_ups, request.done_at is not None) == (1, True)


# --- The morning digest -------------------------------------------------------------------


def test_a_morning_digest_the_beat_never_sent_is_sent_by_the_catch_up(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    neighbourhood = NeighbourhoodFactory.create()
    coordinator = make_coordinator(neighbourhood, email="coordinator@example.org")
    ApplicationFactory.create(neighbourhood=neighbourhood)
    # Tomorrow's morning, so that the coordinator was there when the digest was due.
    due = digest_due_at(on=timezone.localdate() + dt.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        before = notification_requests_catch_up(now=due + 4 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        after = notification_requests_catch_up(now=due + 6 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        again = notification_requests_catch_up(now=due + 16 * MINUTE)

    assert [(r.digests_owed, r.sent_again) for r in (before, after, again)] == [
        (0, 0),
        (1, 1),
        (0, 0),
    ]
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
    request = NotificationRequest.objects.get()
    assert (request.kind, request.requested_at, request.done_at is not None) == (
        Kind.COORDINATOR_DIGEST,
        due,
        True,
    )


def test_digests_the_beat_asked_for_are_not_owed_again(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    neighbourhood = NeighbourhoodFactory.create()
    coordinator = make_coordinator(neighbourhood)
    ApplicationFactory.create(neighbourhood=neighbourhood)
    today = timezone.localdate()
    # A coordinator since yesterday, so owed this morning's digest whatever the time now.
    StaffMember.objects.filter(user=coordinator).update(
        created_at=digest_due_at(on=today) - dt.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert coordinator_digests_request(on=today) == 1

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = notification_requests_catch_up(now=digest_due_at(on=today) + 10 * MINUTE)

    assert (result.digests_owed, result.sent_again) == (0, 0)
    assert len(mail.outbox) == 1


# --- The beat -----------------------------------------------------------------------------


def test_the_catch_up_runs_every_five_minutes_from_the_beat_schedule() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["matching-notifications-catch-up"]

    assert entry["task"] == tasks.catch_up_notifications.name
    assert entry["schedule"] == 300.0


def test_the_catch_up_knows_when_the_beat_sends_the_digests() -> None:
    schedule = settings.CELERY_BEAT_SCHEDULE["matching-coordinator-digests"]["schedule"]

    assert schedule.hour == {DIGEST_TIME.hour}  # type: ignore[attr-defined]
    assert schedule.minute == {DIGEST_TIME.minute}  # type: ignore[attr-defined]
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE


def test_the_catch_up_task_sends_what_was_missed(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    accepted_while_the_broker_was_down(make_resident())
    minutes_later(6)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        tasks.catch_up_notifications.apply()

    assert len(mail.outbox) == 1
