import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import Neighbourhood, StaffMember
from residents.models import Consent, ResidentProfile, User
from residents.services import (
    consent_give,
    consent_withdraw,
    profile_upsert,
    user_anonymise,
    user_deletion_check,
)
from tests.factories import StaffMemberFactory
from tests.residents.factories import NeighbourhoodFactory, TargetGroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


def _profile(user: User, **changes: Any) -> ResidentProfile:
    values: dict[str, Any] = {
        "user": user,
        "neighbourhood": changes.pop("neighbourhood", None) or NeighbourhoodFactory.create(),
        "birth_year": 1948,
        "household_type": "single_person",
        "phone": "010-1234-5678",
        "preferred_language": "ko",
        "notification_channel": "sms",
        "target_groups": [],
    }
    values.update(changes)
    return profile_upsert(**values)


# --- profile_upsert --------------------------------------------------------------------------


def test_a_profile_is_created_then_updated_in_place() -> None:
    user = UserFactory.create()
    older = TargetGroupFactory.create(name="홀로 사는 어르신")
    first = _profile(user, target_groups=[older])
    moved_to: Neighbourhood = NeighbourhoodFactory.create()

    second = _profile(user, neighbourhood=moved_to, notification_channel="email", phone="")

    assert first.pk == second.pk
    assert ResidentProfile.objects.count() == 1
    second.refresh_from_db()
    assert (second.neighbourhood_id, second.notification_channel) == (moved_to.pk, "email")
    assert list(second.target_groups.all()) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "", "notification_channel": "sms"}, "phone"),
        ({"birth_year": timezone.localdate().year + 1}, "birth_year"),
        ({"birth_year": 1800}, "birth_year"),
        ({"household_type": "castle"}, "household_type"),
        ({"preferred_language": "fr"}, "preferred_language"),
        ({"notification_channel": "pigeon"}, "notification_channel"),
    ],
)
def test_an_invalid_profile_is_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        _profile(UserFactory.create(), **changes)

    assert _fields(error) == {field}
    assert not ResidentProfile.objects.exists()


def test_a_sensitive_target_group_needs_an_active_sensitive_consent() -> None:
    user = UserFactory.create()
    disability = TargetGroupFactory.create(name="장애인", is_sensitive=True)

    with pytest.raises(ValidationError) as error:
        _profile(user, target_groups=[disability])

    assert _fields(error) == {"target_groups"}
    assert "장애인" in " ".join(error.value.message_dict["target_groups"])
    assert not ResidentProfile.objects.exists()


def test_a_sensitive_target_group_is_accepted_with_the_sensitive_consent() -> None:
    user = UserFactory.create()
    disability = TargetGroupFactory.create(is_sensitive=True)
    consent_give(user=user, kind=Consent.Kind.SENSITIVE, text_version="2026-01")

    profile = _profile(user, target_groups=[disability])

    assert list(profile.target_groups.all()) == [disability]


def test_another_kinds_consent_does_not_allow_a_sensitive_target_group() -> None:
    user = UserFactory.create()
    consent_give(user=user, kind=Consent.Kind.PERSONAL, text_version="2026-01")

    with pytest.raises(ValidationError) as error:
        _profile(user, target_groups=[TargetGroupFactory.create(is_sensitive=True)])

    assert _fields(error) == {"target_groups"}


def test_withdrawing_the_sensitive_consent_removes_only_the_sensitive_target_groups() -> None:
    user = UserFactory.create()
    disability = TargetGroupFactory.create(is_sensitive=True)
    single_parent = TargetGroupFactory.create(is_sensitive=False)
    consent_give(user=user, kind=Consent.Kind.SENSITIVE, text_version="2026-01")
    profile = _profile(user, target_groups=[disability, single_parent])

    consent_withdraw(user=user, kind=Consent.Kind.SENSITIVE)

    assert list(profile.target_groups.all()) == [single_parent]
    with pytest.raises(ValidationError):
        _profile(user, target_groups=[disability])


# --- consents --------------------------------------------------------------------------------


def test_giving_the_same_consent_again_returns_the_active_one_unchanged() -> None:
    user = UserFactory.create()
    first = consent_give(user=user, kind=Consent.Kind.PERSONAL, text_version="2026-01")

    again = consent_give(user=user, kind=Consent.Kind.PERSONAL, text_version="2026-01")

    assert again.pk == first.pk
    assert again.given_at == first.given_at
    assert Consent.objects.count() == 1


def test_a_new_text_version_withdraws_the_old_consent_and_records_the_new_one() -> None:
    user = UserFactory.create()
    first_at = timezone.now() - datetime.timedelta(days=30)
    new_at = timezone.now()
    old = consent_give(user=user, kind=Consent.Kind.PERSONAL, text_version="2026-01", at=first_at)

    new = consent_give(user=user, kind=Consent.Kind.PERSONAL, text_version="2026-07", at=new_at)

    old.refresh_from_db()
    assert old.withdrawn_at == new_at
    assert (new.text_version, new.given_at, new.withdrawn_at) == ("2026-07", new_at, None)
    assert Consent.objects.filter(user=user, withdrawn_at__isnull=True).get() == new


def test_consents_of_different_kinds_are_independent() -> None:
    user = UserFactory.create()
    personal = consent_give(user=user, kind=Consent.Kind.PERSONAL, text_version="v1")
    consent_give(user=user, kind=Consent.Kind.NOTIFICATIONS, text_version="v1")

    consent_withdraw(user=user, kind=Consent.Kind.NOTIFICATIONS)

    personal.refresh_from_db()
    assert personal.is_active


def test_withdrawing_a_consent_records_when_and_twice_is_harmless() -> None:
    user = UserFactory.create()
    consent_give(user=user, kind=Consent.Kind.NOTIFICATIONS, text_version="v1")

    withdrawn = consent_withdraw(user=user, kind=Consent.Kind.NOTIFICATIONS)
    again = consent_withdraw(user=user, kind=Consent.Kind.NOTIFICATIONS)

    assert withdrawn is not None and withdrawn.withdrawn_at is not None
    assert again is None
    assert not Consent.objects.filter(withdrawn_at__isnull=True).exists()


def test_a_consent_of_an_unknown_kind_or_without_a_text_version_names_the_fields() -> None:
    with pytest.raises(ValidationError) as error:
        consent_give(user=UserFactory.create(), kind="everything", text_version=" ")

    assert _fields(error) == {"kind", "text_version"}
    assert not Consent.objects.exists()


# --- user_deletion_check, user_anonymise -----------------------------------------------------

STAFF_ACCOUNTS = {
    "an admin user": lambda: UserFactory.create(is_staff=True),
    "a superuser": lambda: UserFactory.create(is_superuser=True),
    "a coordinator without admin access": lambda: (
        StaffMemberFactory.create(role=StaffMember.Role.COORDINATOR, user__is_staff=False).user
    ),
    "district staff": lambda: StaffMemberFactory.create().user,
}


@pytest.mark.parametrize("make_staff", STAFF_ACCOUNTS.values(), ids=STAFF_ACCOUNTS.keys())
def test_a_staff_account_may_not_be_deleted_by_its_owner(make_staff: Any) -> None:
    staff = make_staff()

    with pytest.raises(ValidationError) as error:
        user_deletion_check(user=staff)

    assert error.value.code == "staff_account"


def test_a_residents_account_may_be_deleted_by_its_owner() -> None:
    user_deletion_check(user=UserFactory.create())


def test_a_staff_account_is_not_anonymised() -> None:
    staff = StaffMemberFactory.create().user

    with pytest.raises(ValidationError):
        user_anonymise(user=staff)

    staff.refresh_from_db()
    assert (staff.is_active, staff.username.startswith("deleted-")) == (True, False)
    assert staff.has_usable_password()
