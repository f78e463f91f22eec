"""Matching's personal data past its retention: applications, referrals, notifications.

Each rule is tested a minute inside and a minute past its limit; the rows, their counts,
statuses, dates, neighbourhoods, areas and events stay; a second run changes nothing."""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matching.models import (
    ApplicationEvent,
    MatchProposal,
    Notification,
    Referral,
    SupportApplication,
)
from matching.selectors import applications_past_retention
from matching.services import (
    account_delete,
    applications_anonymise_expired,
    notifications_blank_expired,
    referrals_anonymise_expired,
)
from tests.factories import NotificationFactory, ResidentProfileFactory, UserFactory
from tests.matching.engine_factories import (
    ApplicationFactory,
    MatchRunFactory,
    NeighbourhoodFactory,
    ProjectFactory,
    target_group,
)

pytestmark = pytest.mark.django_db

APPLICATION_DAYS = 3 * 365
REFERRAL_DAYS = 365
NOTIFICATION_DAYS = 365
MINUTE = dt.timedelta(minutes=1)
Status = SupportApplication.Status


def limit(days: int, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=days)


def ended_application(
    *, ended_at: dt.datetime, status: str = Status.DELIVERED
) -> SupportApplication:
    """A case that ended at ``ended_at``: submitted a month before, with a declared group,
    a staff note on its last event and a coordinator's note on its proposal."""
    application = ApplicationFactory.create(
        status=status,
        submitted_at=ended_at - dt.timedelta(days=30),
        applicant_name="김영희",
        contact_phone="010-9876-5432",
        contact_email="younghee@example.org",
        description="무릎이 아파 장보기가 어렵습니다",
        birth_year=1948,
        household_type="single_person",
        areas=["health"],
        outcome="delivered" if status == Status.DELIVERED else "",
        target_groups=[target_group("older-alone")],
    )
    ApplicationEvent.objects.create(
        application=application,
        from_status="",
        to_status=Status.PENDING,
        created_at=ended_at - dt.timedelta(days=30),
    )
    ApplicationEvent.objects.create(
        application=application,
        from_status=Status.ACCEPTED,
        to_status=status,
        note="따님 김미영 씨와 통화함",
        created_at=ended_at,
    )
    project = ProjectFactory.create(district=application.district)
    MatchProposal.objects.create(
        run=MatchRunFactory.create(district=application.district),
        application=application,
        project=project,
        score=100,
        status=MatchProposal.Status.ACCEPTED,
        decision_note="김영희 님 댁 방문 예정",
        # The reasons' details repeat the applicant's age, household type and groups.
        reasons={
            "rules": ["area"],
            "details": {"age": 78, "household_type": "single_person"},
            "score": {"total": 100},
        },
    )
    return application


def personal_fields(application: SupportApplication) -> dict[str, Any]:
    application.refresh_from_db()
    return {
        "name": application.applicant_name,
        "phone": application.contact_phone,
        "email": application.contact_email,
        "description": application.description,
        "birth_year": application.birth_year,
        "household_type": application.household_type,
        "groups": application.target_groups.count(),
        "event_notes": sorted(application.events.values_list("note", flat=True)),
        "proposal_notes": list(application.proposals.values_list("decision_note", flat=True)),
        "proposal_details": [
            "details" in reasons
            for reasons in application.proposals.values_list("reasons", flat=True)
        ],
    }


ANONYMOUS = {
    "name": "-",
    "phone": "",
    "email": "",
    "description": "-",
    "birth_year": None,
    "household_type": "",
    "groups": 0,
    "event_notes": ["", ""],
    "proposal_notes": [""],
    "proposal_details": [False],
}


# --- Applications -------------------------------------------------------------------------


def test_an_application_ended_just_past_three_years_loses_every_personal_field() -> None:
    now = timezone.now()
    application = ended_application(ended_at=limit(APPLICATION_DAYS, now) - MINUTE)

    changed = applications_anonymise_expired(now=now)

    assert changed == 1
    assert personal_fields(application) == ANONYMOUS


def test_an_application_ended_just_inside_three_years_keeps_its_personal_fields() -> None:
    now = timezone.now()
    application = ended_application(ended_at=limit(APPLICATION_DAYS, now) + MINUTE)
    before = personal_fields(application)

    assert applications_anonymise_expired(now=now) == 0
    assert personal_fields(application) == before
    assert before["name"] == "김영희"


@pytest.mark.parametrize("status", [Status.CLOSED, Status.WITHDRAWN])
def test_closed_and_withdrawn_cases_are_anonymised_like_delivered_ones(status: str) -> None:
    now = timezone.now()
    application = ended_application(ended_at=limit(APPLICATION_DAYS, now) - MINUTE, status=status)

    assert applications_anonymise_expired(now=now) == 1
    assert personal_fields(application) == ANONYMOUS


def test_an_open_case_is_never_anonymised_however_old() -> None:
    now = timezone.now()
    application = ended_application(ended_at=limit(APPLICATION_DAYS, now) - dt.timedelta(days=400))
    SupportApplication.objects.filter(pk=application.pk).update(status=Status.ACCEPTED)

    assert applications_anonymise_expired(now=now) == 0
    assert personal_fields(application)["name"] == "김영희"


def test_the_clock_starts_at_the_last_event_not_at_submission() -> None:
    now = timezone.now()
    # Submitted four years ago, but reopened and ended a year ago.
    application = ended_application(ended_at=limit(APPLICATION_DAYS + 365, now))
    ApplicationEvent.objects.create(
        application=application,
        from_status=Status.ON_HOLD,
        to_status=Status.CLOSED,
        created_at=now - dt.timedelta(days=365),
    )

    assert applications_anonymise_expired(now=now) == 0


def test_anonymising_keeps_what_the_figures_count() -> None:
    now = timezone.now()
    application = ended_application(ended_at=limit(APPLICATION_DAYS, now) - MINUTE)
    kept = ("status", "outcome", "submitted_at", "neighbourhood_id", "district_id", "areas")
    before = SupportApplication.objects.values(*kept).get(pk=application.pk)
    events_before = list(
        ApplicationEvent.objects.filter(application=application).values_list(
            "to_status", "created_at", "outcome"
        )
    )

    applications_anonymise_expired(now=now)

    assert SupportApplication.objects.values(*kept).get(pk=application.pk) == before
    assert (
        list(
            ApplicationEvent.objects.filter(application=application).values_list(
                "to_status", "created_at", "outcome"
            )
        )
        == events_before
    )
    assert MatchProposal.objects.filter(application=application).count() == 1


def test_a_second_run_changes_nothing_more() -> None:
    now = timezone.now()
    ended_application(ended_at=limit(APPLICATION_DAYS, now) - MINUTE)
    applications_anonymise_expired(now=now)
    stamps = list(SupportApplication.objects.values_list("pk", "updated_at"))

    assert applications_anonymise_expired(now=now) == 0
    assert list(SupportApplication.objects.values_list("pk", "updated_at")) == stamps
    assert not applications_past_retention(now=now).exists()


def test_an_application_left_half_anonymised_is_finished_by_the_run() -> None:
    """As account deletion left them before it removed the notes and the household type."""
    now = timezone.now()
    application = ended_application(ended_at=limit(APPLICATION_DAYS, now) - MINUTE)
    SupportApplication.objects.filter(pk=application.pk).update(
        applicant_name="-", contact_phone="", contact_email="", description="-", birth_year=None
    )

    assert applications_anonymise_expired(now=now) == 1
    assert personal_fields(application) == ANONYMOUS


def test_deleting_an_account_removes_at_once_what_the_run_would_remove_later() -> None:
    now = timezone.now()
    application = ended_application(ended_at=now - dt.timedelta(days=3))
    resident = UserFactory.create()
    ResidentProfileFactory.create(user=resident)
    SupportApplication.objects.filter(pk=application.pk).update(applicant=resident)

    account_delete(user=resident)

    assert personal_fields(application) == ANONYMOUS
    assert applications_anonymise_expired(now=now + dt.timedelta(days=APPLICATION_DAYS)) == 0


@override_settings(RETENTION_BATCH_SIZE=2)
def test_many_applications_are_changed_in_batches_not_row_by_row() -> None:
    now = timezone.now()
    neighbourhood = NeighbourhoodFactory.create()
    ended = limit(APPLICATION_DAYS, now) - dt.timedelta(days=1)
    applications = ApplicationFactory.create_batch(
        7, neighbourhood=neighbourhood, status=Status.CLOSED, submitted_at=ended
    )

    with CaptureQueriesContext(connection) as queries:
        changed = applications_anonymise_expired(now=now)

    assert changed == 7
    # Four batches of at most two rows, then the select that finds none left; each batch
    # a fixed handful of statements (lock, groups, event notes, proposal notes, update).
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len([sql for sql in statements if "FOR UPDATE" in sql]) == 5
    assert len([sql for sql in statements if sql.startswith('UPDATE "matching_supportapp')]) == 4
    assert len(statements) == 4 * 5 + 1
    assert set(
        SupportApplication.objects.filter(pk__in=[a.pk for a in applications]).values_list(
            "applicant_name", flat=True
        )
    ) == {"-"}


# --- Referrals ----------------------------------------------------------------------------


def closed_referral(*, at: dt.datetime, status: str = Referral.Status.CLOSED) -> Referral:
    neighbourhood = NeighbourhoodFactory.create()
    referral = Referral.objects.create(
        referrer=UserFactory.create(),
        district=neighbourhood.district,
        neighbourhood=neighbourhood,
        neighbour_name="박철수",
        situation="혼자 사시는 어르신이 며칠째 보이지 않습니다",
        how_to_reach="101동 202호",
        neighbour_knows=False,
        status=status,
        contact_note="딸과 통화: 박철수 님 입원 중",
        closed_reason="이사하심",
        closed_at=at if status == Referral.Status.CLOSED else None,
        submission_key=uuid.uuid4(),
    )
    Referral.objects.filter(pk=referral.pk).update(updated_at=at)
    return referral


def referral_fields(referral: Referral) -> tuple[str, ...]:
    referral.refresh_from_db()
    return (
        referral.neighbour_name,
        referral.situation,
        referral.how_to_reach,
        referral.contact_note,
        referral.closed_reason,
    )


@pytest.mark.parametrize("status", [Referral.Status.CLOSED, Referral.Status.CONNECTED])
def test_a_referral_ended_just_past_its_year_loses_the_neighbours_details(status: str) -> None:
    now = timezone.now()
    referral = closed_referral(at=limit(REFERRAL_DAYS, now) - MINUTE, status=status)

    assert referrals_anonymise_expired(now=now) == 1
    neighbourhood = referral.neighbourhood_id
    assert referral_fields(referral) == ("", "-", "-", "", "")
    assert (referral.status, referral.neighbourhood_id) == (status, neighbourhood)


def test_a_referral_closed_just_inside_its_year_keeps_the_neighbours_details() -> None:
    now = timezone.now()
    referral = closed_referral(at=limit(REFERRAL_DAYS, now) + MINUTE)

    assert referrals_anonymise_expired(now=now) == 0
    assert referral_fields(referral)[0] == "박철수"


def test_an_open_referral_is_kept() -> None:
    now = timezone.now()
    referral = closed_referral(at=limit(REFERRAL_DAYS, now) - MINUTE)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.CONTACTED)

    assert referrals_anonymise_expired(now=now) == 0


def test_a_referral_whose_application_ended_recently_waits_for_it() -> None:
    now = timezone.now()
    referral = closed_referral(
        at=limit(REFERRAL_DAYS, now) - dt.timedelta(days=30), status=Referral.Status.CONTACTED
    )
    application = ended_application(ended_at=now - dt.timedelta(days=10), status=Status.CLOSED)
    Referral.objects.filter(pk=referral.pk).update(application=application)

    assert referrals_anonymise_expired(now=now) == 0

    ApplicationEvent.objects.filter(application=application).update(
        created_at=limit(REFERRAL_DAYS, now) - MINUTE
    )
    assert referrals_anonymise_expired(now=now) == 1
    assert referrals_anonymise_expired(now=now) == 0


# --- Notifications ------------------------------------------------------------------------


def test_messages_sent_just_past_a_year_lose_their_words_and_the_neighbours_number() -> None:
    now = timezone.now()
    old = NotificationFactory.create(
        sent_at=limit(NOTIFICATION_DAYS, now) - MINUTE,
        recipient="phone:010-5555-1234",
        subject="",
        body="박철수 님, 주민센터가 신청했습니다.",
    )
    recent = NotificationFactory.create(
        sent_at=limit(NOTIFICATION_DAYS, now) + MINUTE, body="김영희 님, 신청을 받았습니다."
    )
    resident = UserFactory.create()
    to_account = NotificationFactory.create(
        sent_at=limit(NOTIFICATION_DAYS, now) - MINUTE,
        user=resident,
        recipient=f"user:{resident.pk}",
        channel=Notification.Channel.EMAIL,
        subject="신청 소식",
        body="김영희 님, 지원이 전달되었습니다.",
    )

    assert notifications_blank_expired(now=now) == 2

    old.refresh_from_db()
    recent.refresh_from_db()
    to_account.refresh_from_db()
    assert (old.subject, old.body, old.recipient) == ("", "", f"phone:-{old.pk}")
    assert (to_account.subject, to_account.body) == ("", "")
    assert to_account.recipient == f"user:{resident.pk}"
    assert recent.body == "김영희 님, 신청을 받았습니다."
    assert (old.kind, old.channel, old.sent_at) == (
        Notification.Kind.REFERRAL_CONVERTED,
        Notification.Channel.SMS,
        limit(NOTIFICATION_DAYS, now) - MINUTE,
    )
    assert notifications_blank_expired(now=now) == 0
    assert Notification.objects.count() == 3
