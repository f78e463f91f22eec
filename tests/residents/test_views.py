"""The profile and consent step, the consents page."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import HouseholdType, TargetGroup
from residents.models import Consent, ResidentProfile
from tests.residents.factories import NeighbourhoodFactory, UserFactory

pytestmark = pytest.mark.django_db


def _profile_post(neighbourhood_id: int, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "neighbourhood": neighbourhood_id,
        "birth_year": "1948",
        "household_type": HouseholdType.SINGLE_PERSON,
        "phone": "010-1234-5678",
        "preferred_language": "ko",
        "notification_channel": "email",
        "consent_personal": "on",
        "consent_notifications": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def resident_client(client: Client) -> tuple[Client, Any]:
    user = UserFactory.create()
    client.force_login(user)
    return client, user


def test_the_profile_step_shows_every_consent_text_with_purpose_retention_and_refusal(
    resident_client: tuple[Client, Any],
) -> None:
    client, _ = resident_client

    html = client.get(reverse("residents:profile")).content.decode()

    assert "개인정보" in html
    assert html.count('class="consent-text"') == 3
    assert "2026-01" in html


def test_saving_the_profile_records_the_profile_and_the_consents_with_their_text_version(
    resident_client: tuple[Client, Any],
) -> None:
    client, user = resident_client
    neighbourhood = NeighbourhoodFactory.create()

    response = client.post(reverse("residents:profile"), _profile_post(neighbourhood.pk))

    assert response.status_code == 302
    profile = ResidentProfile.objects.get(user=user)
    assert profile.neighbourhood == neighbourhood
    assert profile.birth_year == 1948
    kinds = dict(
        Consent.objects.filter(user=user, withdrawn_at__isnull=True).values_list(
            "kind", "text_version"
        )
    )
    assert kinds == {"personal": "2026-01", "notifications": "2026-01"}


def test_without_the_personal_consent_nothing_is_saved_and_the_field_says_why(
    resident_client: tuple[Client, Any],
) -> None:
    client, user = resident_client
    neighbourhood = NeighbourhoodFactory.create()

    response = client.post(
        reverse("residents:profile"), _profile_post(neighbourhood.pk, consent_personal=None)
    )

    assert response.status_code == 200
    assert not ResidentProfile.objects.filter(user=user).exists()
    assert not Consent.objects.filter(user=user).exists()
    assert "동의" in response.content.decode()
    # What the resident typed is still there.
    assert 'value="010-1234-5678"' in response.content.decode()


def test_a_sensitive_group_needs_the_separate_sensitive_consent(
    resident_client: tuple[Client, Any],
) -> None:
    client, user = resident_client
    neighbourhood = NeighbourhoodFactory.create()
    disability = TargetGroup.objects.get(code="disability")

    refused = client.post(
        reverse("residents:profile"),
        _profile_post(neighbourhood.pk, target_groups=[disability.pk]),
    )
    accepted = client.post(
        reverse("residents:profile"),
        _profile_post(neighbourhood.pk, target_groups=[disability.pk], consent_sensitive="on"),
    )

    assert refused.status_code == 200
    assert accepted.status_code == 302
    profile = ResidentProfile.objects.get(user=user)
    assert list(profile.target_groups.all()) == [disability]
    assert Consent.objects.filter(user=user, kind="sensitive", withdrawn_at=None).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("birth_year", "3000"), ("birth_year", "abc"), ("phone", "12345"), ("neighbourhood", "0")],
)
def test_bad_input_answers_next_to_the_field_in_korean(
    resident_client: tuple[Client, Any], field: str, value: str
) -> None:
    client, user = resident_client
    neighbourhood = NeighbourhoodFactory.create()

    response = client.post(
        reverse("residents:profile"), _profile_post(neighbourhood.pk, **{field: value})
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ResidentProfile.objects.filter(user=user).exists()


def test_notifications_without_their_consent_are_refused_unless_none_is_chosen(
    resident_client: tuple[Client, Any],
) -> None:
    client, _user = resident_client
    neighbourhood = NeighbourhoodFactory.create()

    refused = client.post(
        reverse("residents:profile"),
        _profile_post(neighbourhood.pk, consent_notifications=None),
    )
    accepted = client.post(
        reverse("residents:profile"),
        _profile_post(neighbourhood.pk, consent_notifications=None, notification_channel="none"),
    )

    assert "consent_notifications" in refused.context["form"].errors
    assert accepted.status_code == 302


def test_withdrawing_a_consent_from_the_consents_page_records_when(
    resident_client: tuple[Client, Any],
) -> None:
    client, user = resident_client
    neighbourhood = NeighbourhoodFactory.create()
    client.post(reverse("residents:profile"), _profile_post(neighbourhood.pk))

    client.post(reverse("residents:consent_withdraw", args=["notifications"]))

    consent = Consent.objects.get(user=user, kind="notifications")
    assert consent.withdrawn_at is not None
    assert "notifications" not in client.get(reverse("residents:consents")).content.decode()


def test_the_profile_pages_need_a_login(client: Client) -> None:
    for name in ("residents:profile", "residents:consents"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
