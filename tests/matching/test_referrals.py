"""A coordinator's handling of a referral: contact, an application with the neighbour's
consent, closing; and the referral following its application to ``connected``."""

import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from matching.models import ApplicationEvent, MatchProposal, Referral, SupportApplication
from matching.services import (
    connection_record_outcome,
    proposal_accept,
    referral_close,
    referral_convert,
    referral_record_contact,
    referral_submit,
)
from projects.models import TargetGroup
from residents.models import User
from tests.matching.engine_factories import MatchRunFactory, NeighbourhoodFactory, ProjectFactory
from tests.matching.outcome_helpers import make_coordinator, make_resident

pytestmark = pytest.mark.django_db

RStatus = Referral.Status


def a_referral() -> tuple[Referral, User]:
    neighbourhood = NeighbourhoodFactory.create()
    referrer = make_resident(neighbourhood=neighbourhood)
    referral = referral_submit(
        referrer=referrer,
        neighbourhood_id=neighbourhood.pk,
        situation="혼자 사시는 어르신이 며칠째 보이지 않습니다",
        how_to_reach="101동 202호",
        neighbour_knows=True,
        submission_key=uuid.uuid4(),
    )
    return referral, make_coordinator(neighbourhood)


def convert(referral: Referral, by: User, **overrides: Any) -> SupportApplication:
    fields: dict[str, Any] = {
        "applicant_name": "김순자",
        "contact_phone": "010-2222-3333",
        "birth_year": 1941,
        "household_type": "single_person",
        "target_group_ids": [],
        "areas": ["health"],
        "description": "병원 동행이 필요합니다",
        "urgency": 3,
        "support_type": "health_care",
        "consent_text_version": "2026-01",
    }
    fields.update(overrides)
    return referral_convert(referral=referral, by=by, **fields)


def test_recording_the_contact_moves_a_received_referral_to_contacted_with_the_note() -> None:
    referral, coordinator = a_referral()

    contacted = referral_record_contact(referral=referral, by=coordinator, note="통화 완료")

    contacted.refresh_from_db()
    assert contacted.status == RStatus.CONTACTED
    assert contacted.contact_note == "통화 완료"
    assert contacted.contacted_at is not None


def test_recording_the_contact_twice_is_refused() -> None:
    referral, coordinator = a_referral()
    referral_record_contact(referral=referral, by=coordinator, note="")

    with pytest.raises(ValidationError) as error:
        referral_record_contact(referral=referral, by=coordinator, note="")

    assert error.value.code == "invalid_state"


def test_converting_creates_an_application_on_the_neighbours_behalf_with_their_consent() -> None:
    referral, coordinator = a_referral()
    referral_record_contact(referral=referral, by=coordinator, note="")
    group = TargetGroup.objects.create(code="alone-test", name="독거노인")

    application = convert(referral, coordinator, target_group_ids=[group.pk])

    application.refresh_from_db()
    assert application.applicant is None
    assert application.submitted_by == coordinator
    assert (application.neighbourhood_id, application.district_id) == (
        referral.neighbourhood_id,
        referral.district_id,
    )
    assert (application.applicant_name, application.contact_phone) == ("김순자", "010-2222-3333")
    assert application.status == SupportApplication.Status.PENDING
    assert application.consent_text_version == "2026-01"
    assert application.consent_given_at is not None
    assert list(application.target_groups.all()) == [group]
    event = ApplicationEvent.objects.get(application=application)
    assert (event.from_status, event.to_status, event.actor) == ("", "pending", coordinator)
    referral.refresh_from_db()
    assert referral.application == application
    assert referral.status == RStatus.CONTACTED


def test_converting_without_the_neighbours_consent_is_refused_naming_the_consent_field() -> None:
    referral, coordinator = a_referral()
    referral_record_contact(referral=referral, by=coordinator, note="")

    with pytest.raises(ValidationError) as error:
        convert(referral, coordinator, consent_text_version=" ")

    assert "consent_text_version" in error.value.message_dict
    assert not SupportApplication.objects.exists()


def test_converting_a_referral_nobody_has_contacted_yet_is_refused() -> None:
    referral, coordinator = a_referral()

    with pytest.raises(ValidationError) as error:
        convert(referral, coordinator)

    assert error.value.code == "not_contacted"
    assert not SupportApplication.objects.exists()


def test_converting_twice_is_refused_and_makes_one_application() -> None:
    referral, coordinator = a_referral()
    referral_record_contact(referral=referral, by=coordinator, note="")
    convert(referral, coordinator)

    with pytest.raises(ValidationError) as error:
        convert(referral, coordinator)

    assert error.value.code == "already_converted"
    assert SupportApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"applicant_name": ""}, "applicant_name"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"birth_year": 1800}, "birth_year"),
        ({"household_type": "castle"}, "household_type"),
        ({"target_group_ids": [987654]}, "target_groups"),
        ({"areas": []}, "areas"),
        ({"description": " "}, "description"),
    ],
)
def test_converting_names_the_field_of_a_bad_answer(overrides: dict, field: str) -> None:
    referral, coordinator = a_referral()
    referral_record_contact(referral=referral, by=coordinator, note="")

    with pytest.raises(ValidationError) as error:
        convert(referral, coordinator, **overrides)

    assert field in error.value.message_dict


def test_a_sensitive_target_group_is_refused_without_the_separate_consent() -> None:
    referral, coordinator = a_referral()
    referral_record_contact(referral=referral, by=coordinator, note="")
    sensitive = TargetGroup.objects.create(code="disability-test", name="장애인", is_sensitive=True)

    with pytest.raises(ValidationError) as error:
        convert(referral, coordinator, target_group_ids=[sensitive.pk])

    assert "target_groups" in error.value.message_dict


def test_closing_needs_a_reason_naming_the_reason_field() -> None:
    referral, coordinator = a_referral()

    with pytest.raises(ValidationError) as error:
        referral_close(referral=referral, by=coordinator, reason="  ")

    assert "reason" in error.value.message_dict
    referral.refresh_from_db()
    assert referral.status == RStatus.RECEIVED


def test_closing_records_the_reason_and_a_closed_referral_cannot_change_again() -> None:
    referral, coordinator = a_referral()

    referral_close(referral=referral, by=coordinator, reason="이사 가셨습니다")

    referral.refresh_from_db()
    assert (referral.status, referral.closed_reason) == (RStatus.CLOSED, "이사 가셨습니다")
    with override("en"), pytest.raises(ValidationError) as error:
        referral_record_contact(referral=referral, by=coordinator, note="")
    assert "cannot change that way" in str(error.value)


def test_a_referral_whose_application_is_still_open_cannot_be_closed() -> None:
    referral, coordinator = a_referral()
    referral_record_contact(referral=referral, by=coordinator, note="")
    convert(referral, coordinator)

    with pytest.raises(ValidationError) as error:
        referral_close(referral=referral, by=coordinator, reason="연락 두절")

    assert error.value.code == "application_open"


def test_the_referral_becomes_connected_when_its_application_is_delivered() -> None:
    referral, coordinator = a_referral()
    referral_record_contact(referral=referral, by=coordinator, note="")
    application = convert(referral, coordinator)
    project = ProjectFactory.create(district=application.district)
    proposal = MatchProposal.objects.create(
        run=MatchRunFactory.create(district=application.district),
        application=application,
        project=project,
        score=100,
    )
    SupportApplication.objects.filter(pk=application.pk).update(
        status=SupportApplication.Status.PROPOSED
    )
    proposal_accept(proposal=proposal, by=coordinator)

    connection_record_outcome(
        proposal=proposal, outcome="delivered", on=timezone.localdate(), note="", by=coordinator
    )

    referral.refresh_from_db()
    assert referral.status == RStatus.CONNECTED


def test_a_referral_stays_contacted_when_its_application_ends_without_support() -> None:
    referral, coordinator = a_referral()
    referral_record_contact(referral=referral, by=coordinator, note="")
    application = convert(referral, coordinator)
    proposal = MatchProposal.objects.create(
        run=MatchRunFactory.create(district=application.district),
        application=application,
        project=ProjectFactory.create(district=application.district),
        score=100,
    )
    SupportApplication.objects.filter(pk=application.pk).update(
        status=SupportApplication.Status.PROPOSED
    )
    proposal_accept(proposal=proposal, by=coordinator)

    connection_record_outcome(
        proposal=proposal, outcome="declined", on=timezone.localdate(), note="", by=coordinator
    )

    referral.refresh_from_db()
    assert referral.status == RStatus.CONTACTED
    referral_close(referral=referral, by=coordinator, reason="본인이 거절")
    referral.refresh_from_db()
    assert referral.status == RStatus.CLOSED
