import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching import services
from matching.models import ApplicationEvent, Referral, SupportApplication, Urgency
from projects.models import Area, Project, StaffMember, TargetGroup
from residents.models import Consent

from .factories import (
    NeighbourhoodFactory,
    ProjectFactory,
    UserFactory,
    make_resident,
    submit_application,
    submit_referral,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = SupportApplication.Status


def test_submit_records_the_application_with_a_snapshot_of_the_profile_and_a_pending_event() -> (
    None
):
    user = make_resident(phone="010-2222-3333")
    group = TargetGroup.objects.create(code="alone", name="홀몸 어르신")
    user.profile.target_groups.add(group)

    application = services.application_submit(
        applicant=user,
        areas=[Area.HEALTH, Area.DONATION, Area.HEALTH],
        description="  병원에 같이 가 줄 분이 필요합니다  ",
        urgency=Urgency.HIGH,
        submission_key=uuid.uuid4(),
    )

    application.refresh_from_db()
    profile = user.profile
    assert application.applicant == user
    assert application.neighbourhood == profile.neighbourhood
    assert application.district_id == profile.neighbourhood.district_id
    assert application.areas == [Area.DONATION, Area.HEALTH]
    assert application.description == "병원에 같이 가 줄 분이 필요합니다"
    assert application.urgency == Urgency.HIGH
    assert application.applicant_name == "길동 홍"
    assert application.contact_phone == "010-2222-3333"
    assert application.contact_email == user.email
    assert application.birth_year == 1950
    assert application.household_type == "single_person"
    assert list(application.target_groups.all()) == [group]
    assert application.status == Status.PENDING
    events = list(application.events.values_list("from_status", "to_status", "actor"))
    assert events == [("", Status.PENDING, user.pk)]


def test_submit_keeps_the_phone_the_resident_confirmed_over_the_profile_one() -> None:
    user = make_resident(phone="010-2222-3333")

    application = submit_application(user, contact_phone="02-123-4567")

    assert application.contact_phone == "02-123-4567"


def test_the_same_submission_key_twice_gives_one_application_and_one_event() -> None:
    user = make_resident()
    key = uuid.uuid4()

    first = submit_application(user, submission_key=key)
    second = submit_application(user, submission_key=key, description="다른 내용")

    assert first.pk == second.pk
    assert SupportApplication.objects.count() == 1
    assert ApplicationEvent.objects.count() == 1
    assert second.description == "반찬이 필요합니다"


def test_another_resident_cannot_reuse_a_submission_key() -> None:
    key = uuid.uuid4()
    submit_application(make_resident(), submission_key=key)

    with pytest.raises(ValidationError):
        submit_application(make_resident(), submission_key=key)

    assert SupportApplication.objects.count() == 1


def test_submit_without_a_profile_is_refused() -> None:
    user = UserFactory.create()

    with pytest.raises(ValidationError, match="내 정보"):
        submit_application(user)

    assert not SupportApplication.objects.exists()


def test_submit_without_the_personal_consent_is_refused() -> None:
    user = make_resident(consent=False)

    with pytest.raises(ValidationError, match="동의"):
        submit_application(user)

    assert not SupportApplication.objects.exists()


def test_submit_after_the_consent_was_withdrawn_is_refused() -> None:
    user = make_resident()
    Consent.objects.filter(user=user).update(withdrawn_at=timezone.now())

    with pytest.raises(ValidationError, match="동의"):
        submit_application(user)


@pytest.mark.parametrize(
    ("fields", "field_name"),
    [
        ({"areas": []}, "areas"),
        ({"areas": ["gardening"]}, "areas"),
        ({"description": "   "}, "description"),
        ({"urgency": 9}, "urgency"),
        ({"support_type": "spaceship"}, "support_type"),
    ],
)
def test_submit_names_the_field_of_a_bad_answer(fields: dict, field_name: str) -> None:
    user = make_resident()

    with pytest.raises(ValidationError) as caught:
        submit_application(user, **fields)

    assert field_name in caught.value.message_dict
    assert not SupportApplication.objects.exists()


def test_submit_refuses_a_preferred_project_that_is_closed_or_of_another_district() -> None:
    user = make_resident()
    district = user.profile.neighbourhood.district
    closed = ProjectFactory.create(district=district, status=Project.Status.CLOSED)
    elsewhere = ProjectFactory.create()

    for project in (closed, elsewhere):
        with pytest.raises(ValidationError) as caught:
            submit_application(user, preferred_project=project)
        assert "preferred_project" in caught.value.message_dict
    open_here = ProjectFactory.create(district=district)
    assert submit_application(user, preferred_project=open_here).preferred_project == open_here


def test_withdraw_from_pending_records_the_event_with_the_residents_note() -> None:
    user = make_resident()
    application = submit_application(user)

    services.application_withdraw(application=application, by=user, note="다른 곳에서 도움 받음")

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    last = application.events.last()
    assert last is not None
    assert (last.from_status, last.to_status, last.note) == (
        Status.PENDING,
        Status.WITHDRAWN,
        "다른 곳에서 도움 받음",
    )


@pytest.mark.parametrize("status", [Status.DELIVERED, Status.ACCEPTED, Status.WITHDRAWN])
def test_withdraw_is_refused_once_connected_delivered_or_withdrawn(status: str) -> None:
    user = make_resident()
    application = submit_application(user)
    SupportApplication.objects.filter(pk=application.pk).update(status=status)

    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, by=user)

    application.refresh_from_db()
    assert application.status == status
    assert application.events.count() == 1


def test_referral_submit_records_what_the_referrer_entered() -> None:
    user = make_resident()
    other = NeighbourhoodFactory.create(district=user.profile.neighbourhood.district)

    referral = submit_referral(
        user,
        neighbourhood_id=other.pk,
        neighbour_name="  김영희 ",
        neighbour_knows=True,
    )

    referral.refresh_from_db()
    assert referral.referrer == user
    assert referral.neighbourhood == other
    assert referral.district_id == other.district_id
    assert referral.neighbour_name == "김영희"
    assert referral.neighbour_knows is True
    assert referral.status == Referral.Status.RECEIVED
    assert referral.application is None


@pytest.mark.parametrize(
    ("fields", "field_name"),
    [
        ({"situation": "  "}, "situation"),
        ({"how_to_reach": ""}, "how_to_reach"),
        ({"neighbourhood_id": 0}, "neighbourhood"),
    ],
)
def test_referral_submit_names_the_field_of_a_bad_answer(fields: dict, field_name: str) -> None:
    user = make_resident()

    with pytest.raises(ValidationError) as caught:
        submit_referral(user, **fields)

    assert field_name in caught.value.message_dict
    assert not Referral.objects.exists()


def test_the_same_referral_sent_twice_is_recorded_once() -> None:
    user = make_resident()
    key = uuid.uuid4()

    first = submit_referral(user, submission_key=key)
    second = submit_referral(user, submission_key=key)

    assert first.pk == second.pk
    assert Referral.objects.count() == 1


# --- account_delete -------------------------------------------------------------------------


def test_a_coordinator_who_also_applied_may_not_delete_their_account_and_nothing_changes() -> None:
    neighbourhood = NeighbourhoodFactory.create()
    coordinator = make_resident(neighbourhood=neighbourhood)
    StaffMember.objects.create(
        user=coordinator, district=neighbourhood.district, role=StaffMember.Role.COORDINATOR
    )
    application = submit_application(coordinator)

    with pytest.raises(ValidationError) as error:
        services.account_delete(user=coordinator)

    assert error.value.code == "staff_account"
    application.refresh_from_db()
    coordinator.refresh_from_db()
    assert (application.status, application.applicant_name) == (
        Status.PENDING,
        coordinator.get_full_name(),
    )
    assert (coordinator.is_active, coordinator.email) == (True, application.contact_email)
    assert Consent.objects.filter(user=coordinator).exists()


def test_a_resident_still_deletes_their_account() -> None:
    resident = make_resident()
    application = submit_application(resident)

    services.account_delete(user=resident)

    application.refresh_from_db()
    resident.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert (resident.is_active, resident.email) == (False, "")
