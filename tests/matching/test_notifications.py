"""Notifications: in the recipient's language, only with their channel and consent, once per
task however often it is delivered; the SMS console backend; the coordinator's digest."""

import datetime as dt
import logging
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from matching import tasks
from matching.digest import coordinator_digest
from matching.models import ApplicationEvent, Notification, Referral, SupportApplication
from matching.services import (
    account_delete,
    connection_record_outcome,
    proposal_accept,
    referral_close,
    referral_convert,
    referral_record_contact,
    referral_submit,
)
from matching.sms import ConsoleSmsBackend, sms_backend
from projects.models import StaffMember
from residents.models import Consent, User
from tests.matching.engine_factories import (
    ApplicationFactory,
    NeighbourhoodFactory,
    ProposalFactory,
)
from tests.matching.outcome_helpers import make_coordinator, make_resident
from welfare_net.celery import app

pytestmark = pytest.mark.django_db

Status = SupportApplication.Status


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Tasks enqueued after commit run here, in this process, instead of on a worker."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def proposal_for(resident: User) -> tuple:
    proposal = ProposalFactory.create(
        application__applicant=resident,
        application__applicant_name="홍길동",
        application__neighbourhood=resident.profile.neighbourhood,
        project__title="방문 건강 관리",
    )
    return proposal, make_coordinator(resident.profile.neighbourhood)


def test_accepting_a_proposal_emails_the_resident_in_korean_after_commit(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    resident = make_resident(language="ko")
    proposal, coordinator = proposal_for(resident)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        proposal_accept(proposal=proposal, by=coordinator)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [resident.email]
    assert "연계 진행 중" in message.subject
    assert "홍길동" in message.body and "방문 건강 관리" in message.body
    notification = Notification.objects.get()
    assert (notification.kind, notification.channel, notification.user) == (
        "application_event",
        "email",
        resident,
    )


def test_a_sent_message_keeps_its_words_and_its_cases_district(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    resident = make_resident(language="ko")
    proposal, coordinator = proposal_for(resident)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        proposal_accept(proposal=proposal, by=coordinator)

    notification = Notification.objects.get()
    assert notification.district == proposal.application.district
    assert (notification.subject, notification.body) == (
        mail.outbox[0].subject,
        mail.outbox[0].body,
    )


def test_deleting_an_account_blanks_the_words_of_the_messages_it_was_sent(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    resident = make_resident(language="ko")
    proposal, coordinator = proposal_for(resident)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        proposal_accept(proposal=proposal, by=coordinator)

    account_delete(user=resident)

    notification = Notification.objects.get()
    assert (notification.subject, notification.body) == ("", "")
    assert notification.kind == Notification.Kind.APPLICATION_EVENT  # still counted


def test_a_resident_who_prefers_english_is_told_in_english(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    resident = make_resident(language="en")
    proposal, coordinator = proposal_for(resident)
    proposal_accept(proposal=proposal, by=coordinator)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        connection_record_outcome(
            proposal=proposal, outcome="delivered", on=timezone.localdate(), note="", by=coordinator
        )

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Your application: Support delivered"
    assert "was delivered on" in message.body
    assert "지원 완료" not in message.subject + message.body


def test_a_closed_connection_is_told_in_korean_with_the_korean_status(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    resident = make_resident(language="ko")
    proposal, coordinator = proposal_for(resident)
    proposal_accept(proposal=proposal, by=coordinator)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        connection_record_outcome(
            proposal=proposal,
            outcome="unreachable",
            on=timezone.localdate(),
            note="",
            by=coordinator,
        )

    assert len(mail.outbox) == 1
    assert "지원 없이 종료" in mail.outbox[0].subject


def _accepted_event(resident: User) -> ApplicationEvent:
    proposal, coordinator = proposal_for(resident)
    proposal_accept(proposal=proposal, by=coordinator)
    return ApplicationEvent.objects.filter(to_status=Status.ACCEPTED).get()


def test_no_notification_without_an_active_notifications_consent() -> None:
    resident = make_resident(notifications_consent=False)
    event = _accepted_event(resident)

    tasks.notify_application_event.apply(args=(event.pk,))

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_no_notification_once_the_notifications_consent_is_withdrawn() -> None:
    resident = make_resident()
    Consent.objects.filter(user=resident, kind="notifications").update(withdrawn_at=timezone.now())
    event = _accepted_event(resident)

    tasks.notify_application_event.apply(args=(event.pk,))

    assert mail.outbox == []


def test_no_notification_for_a_resident_whose_channel_is_none() -> None:
    resident = make_resident(channel="none")
    event = _accepted_event(resident)

    tasks.notify_application_event.apply(args=(event.pk,))

    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_notification_task_delivered_twice_sends_once() -> None:
    resident = make_resident()
    event = _accepted_event(resident)

    tasks.notify_application_event.apply(args=(event.pk,))
    tasks.notify_application_event.apply(args=(event.pk,))

    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_an_event_of_an_unnotified_state_sends_nothing() -> None:
    resident = make_resident()
    application = ApplicationFactory.create(applicant=resident)
    event = ApplicationEvent.objects.create(
        application=application, from_status="", to_status="pending", created_at=timezone.now()
    )

    tasks.notify_application_event.apply(args=(event.pk,))

    assert mail.outbox == []


def test_a_resident_who_chose_sms_gets_a_text_through_the_console_backend(
    caplog: pytest.LogCaptureFixture,
) -> None:
    resident = make_resident(channel="sms", phone="010-9876-5432", language="ko")
    event = _accepted_event(resident)

    with caplog.at_level(logging.INFO, logger="matching.sms"):
        tasks.notify_application_event.apply(args=(event.pk,))

    assert mail.outbox == []
    texts = [r.getMessage() for r in caplog.records if r.name == "matching.sms"]
    assert len(texts) == 1
    assert texts[0].startswith("SMS to 010-9876-5432: ")
    assert "연계 진행 중" in texts[0]
    assert Notification.objects.get().channel == "sms"


def test_the_sms_backend_is_the_console_one_by_default_and_read_from_settings_at_call_time(
    settings: pytest.FixtureDef,
) -> None:
    assert isinstance(sms_backend(), ConsoleSmsBackend)
    settings.SMS_BACKEND = "matching.sms.NoSuchBackend"  # type: ignore[attr-defined]

    with pytest.raises(ImportError):
        sms_backend()


# --- Referrals ----------------------------------------------------------------------------


def _referral(referrer: User) -> Referral:
    return referral_submit(
        referrer=referrer,
        neighbourhood_id=referrer.profile.neighbourhood_id,
        situation="혼자 사시는 어르신이 며칠째 보이지 않습니다",
        how_to_reach="101동 202호",
        neighbour_knows=True,
        submission_key=uuid.uuid4(),
    )


def test_the_referrer_is_told_each_status_change_and_nothing_about_the_neighbour(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    referrer = make_resident(language="ko")
    referral = _referral(referrer)
    coordinator = make_coordinator(referrer.profile.neighbourhood)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        referral_record_contact(referral=referral, by=coordinator, note="통화 완료")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        referral_close(referral=referral, by=coordinator, reason="이사 가셨습니다")

    assert [m.to for m in mail.outbox] == [[referrer.email], [referrer.email]]
    assert "연락 완료" in mail.outbox[0].subject
    assert "마감" in mail.outbox[1].subject
    for message in mail.outbox:
        assert "통화 완료" not in message.body
        assert "이사 가셨습니다" not in message.body
        assert "101동" not in message.body


def test_a_referral_status_notification_whose_status_has_moved_on_sends_nothing() -> None:
    referrer = make_resident()
    referral = _referral(referrer)
    coordinator = make_coordinator(referrer.profile.neighbourhood)
    referral_record_contact(referral=referral, by=coordinator, note="")
    referral_close(referral=referral, by=coordinator, reason="연락 두절")

    tasks.notify_referral_status.apply(args=(referral.pk, "contacted"))

    assert mail.outbox == []


def test_the_neighbour_applied_for_gets_one_text_at_their_phone(
    eager_tasks: None,
    django_capture_on_commit_callbacks: pytest.FixtureDef,
    caplog: pytest.LogCaptureFixture,
) -> None:
    referrer = make_resident()
    referral = _referral(referrer)
    coordinator = make_coordinator(referrer.profile.neighbourhood)
    referral_record_contact(referral=referral, by=coordinator, note="")

    with caplog.at_level(logging.INFO, logger="matching.sms"):
        with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
            application = referral_convert(
                referral=referral,
                by=coordinator,
                applicant_name="김순자",
                contact_phone="010-2222-3333",
                birth_year=1941,
                household_type="single_person",
                target_group_ids=[],
                areas=["health"],
                description="병원 동행이 필요합니다",
                urgency=3,
                consent_text_version="2026-01",
            )
        # Run only the neighbour's message (not the matching pass it also asks for), twice.
        tasks.notify_referral_converted.apply(args=(application.pk,))
        tasks.notify_referral_converted.apply(args=(application.pk,))

    assert len(callbacks) == 2  # matching, and the text to the neighbour
    texts = [r.getMessage() for r in caplog.records if r.name == "matching.sms"]
    assert len(texts) == 1
    assert texts[0].startswith("SMS to 010-2222-3333: ")
    assert "김순자" in texts[0]
    assert Notification.objects.get().recipient == "phone:010-2222-3333"


def test_a_neighbour_without_a_phone_gets_no_text(caplog: pytest.LogCaptureFixture) -> None:
    referrer = make_resident()
    referral = _referral(referrer)
    coordinator = make_coordinator(referrer.profile.neighbourhood)
    referral_record_contact(referral=referral, by=coordinator, note="")
    application = referral_convert(
        referral=referral,
        by=coordinator,
        applicant_name="김순자",
        contact_phone="",
        birth_year=None,
        household_type="",
        target_group_ids=[],
        areas=["health"],
        description="병원 동행이 필요합니다",
        urgency=3,
        consent_text_version="2026-01",
    )

    with caplog.at_level(logging.INFO, logger="matching.sms"):
        tasks.notify_referral_converted.apply(args=(application.pk,))

    assert not [r for r in caplog.records if r.name == "matching.sms"]
    assert not Notification.objects.exists()


# --- The coordinator's digest -------------------------------------------------------------


def _aged_application(neighbourhood: object, days: float) -> SupportApplication:
    return ApplicationFactory.create(
        neighbourhood=neighbourhood, submitted_at=timezone.now() - dt.timedelta(days=days)
    )


def test_the_digest_lists_new_and_ageing_cases_of_the_coordinators_neighbourhoods_only(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    mine = NeighbourhoodFactory.create(name="면목본동")
    other = NeighbourhoodFactory.create(district=mine.district, name="상봉1동")
    make_coordinator(mine, email="coordinator@example.org")
    make_coordinator(other, email="other@example.org")
    new = _aged_application(mine, 0.2)
    two_days = _aged_application(mine, 2)
    four_days = _aged_application(mine, 4)
    ten_days = _aged_application(mine, 10)
    delivered = _aged_application(mine, 10)
    SupportApplication.objects.filter(pk=delivered.pk).update(status=Status.DELIVERED)
    elsewhere = _aged_application(other, 10)
    referrer = make_resident(neighbourhood=mine)
    referral = _referral(referrer)
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - dt.timedelta(days=8))

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        tasks.send_coordinator_digests.apply()

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"coordinator@example.org", "other@example.org"}
    message = by_recipient["coordinator@example.org"]
    digest = coordinator_digest(
        staff_member=StaffMember.objects.get(user__email="coordinator@example.org"),
        now=timezone.now(),
    )
    assert (len(digest.new), len(digest.over_3_days), len(digest.over_7_days)) == (1, 1, 2)
    body = message.body
    for case in (new, four_days, ten_days):
        assert f"#{case.pk} · 면목본동 · 연계 대기" in body
    assert f"#{referral.pk} · 면목본동 · 접수" in body
    for case in (two_days, delivered, elsewhere):
        assert f"#{case.pk} ·" not in body
    assert "상봉1동" not in body
    # New first, then over three days, then over seven days (the referral and ten_days).
    assert body.index(f"#{new.pk} ·") < body.index(f"#{four_days.pk} ·")
    assert body.index(f"#{four_days.pk} ·") < body.index(f"#{ten_days.pk} ·")
    assert f"#{elsewhere.pk} · 상봉1동" in by_recipient["other@example.org"].body


def test_the_digest_is_sent_once_a_day_and_not_at_all_when_there_is_nothing() -> None:
    mine = NeighbourhoodFactory.create()
    coordinator = make_coordinator(mine)
    idle = make_coordinator(NeighbourhoodFactory.create(district=mine.district))
    _aged_application(mine, 4)
    member_id = coordinator.staff_member.pk
    today = timezone.localdate().isoformat()

    tasks.send_coordinator_digest.apply(args=(member_id, today))
    tasks.send_coordinator_digest.apply(args=(member_id, today))
    tasks.send_coordinator_digest.apply(args=(idle.staff_member.pk, today))

    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_the_digest_runs_each_morning_from_the_beat_schedule() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["matching-coordinator-digests"]

    assert entry["task"] == tasks.send_coordinator_digests.name
    schedule = entry["schedule"]
    assert schedule.hour == {8} and schedule.minute == {0}  # type: ignore[attr-defined]
