"""An app gets its token with the same login as the website: email (or username) and password;
with it, the resident keeps their own profile and consents, by the website's rules."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from knox.models import AuthToken
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from residents.consents import CONSENT_TEXTS
from residents.models import Consent, ResidentProfile, User
from residents.services import consent_withdraw, user_anonymise
from tests.api.clients import error_fields, token_client
from tests.factories import UserFactory
from tests.residents.factories import (
    ConsentFactory,
    NeighbourhoodFactory,
    ResidentProfileFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/auth/token/"
PASSWORD = "welfare-test-password"  # tests.factories.UserFactory's


def ask(client: APIClient, **credentials: str) -> tuple[int, dict[str, object]]:
    response = client.post(URL, credentials, format="json")
    return response.status_code, response.json()


@pytest.fixture
def resident() -> User:
    user = UserFactory.create(username="mina", email="mina@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_a_resident_gets_a_token_with_the_email_and_password_of_the_website(
    api_client: APIClient, resident: User
) -> None:
    status, body = ask(api_client, email="MINA@example.com", password=PASSWORD)

    assert status == 200
    assert set(body) == {"token"}
    # Only its digest is kept (knox): the token itself is shown this once.
    token = AuthToken.objects.get(user=resident)
    assert str(body["token"]).startswith(token.token_key)
    assert str(body["token"]) not in token.digest


def test_asking_again_gives_another_device_its_own_token(
    api_client: APIClient, resident: User
) -> None:
    first = ask(api_client, email=resident.email, password=PASSWORD)[1]
    second = ask(api_client, email=resident.email, password=PASSWORD)[1]

    assert first != second
    assert AuthToken.objects.filter(user=resident).count() == 2


def test_past_the_limit_of_devices_the_oldest_token_ends(
    api_client: APIClient, resident: User, settings: Settings
) -> None:
    settings.API_TOKENS_PER_USER = 2
    oldest = ask(api_client, email=resident.email, password=PASSWORD)[1]["token"]
    ask(api_client, email=resident.email, password=PASSWORD)
    ask(api_client, email=resident.email, password=PASSWORD)

    assert AuthToken.objects.filter(user=resident).count() == 2
    response = api_client.get("/api/me/consents/", HTTP_AUTHORIZATION=f"Token {oldest}")
    assert response.status_code == 401


def test_staff_without_an_email_login_get_theirs_with_the_admins_username(
    api_client: APIClient,
) -> None:
    UserFactory.create(username="staff-kim", email="", is_staff=True)

    status, body = ask(api_client, username="staff-kim", password=PASSWORD)

    assert status == 200
    assert "token" in body


def test_a_wrong_password_is_refused_with_its_own_code(
    api_client: APIClient, resident: User
) -> None:
    status, body = ask(api_client, email=resident.email, password="not-the-password")

    assert status == 400
    assert body["code"] == "wrong_credentials"
    assert list(body["errors"]) == ["non_field_errors"]  # type: ignore[call-overload]
    assert not AuthToken.objects.exists()


def test_an_unknown_account_is_refused_like_a_wrong_password(api_client: APIClient) -> None:
    status, body = ask(api_client, email="nobody@example.com", password=PASSWORD)

    assert status == 400
    assert body["code"] == "wrong_credentials"


def test_an_email_not_yet_confirmed_is_refused_as_on_the_website(api_client: APIClient) -> None:
    user = UserFactory.create(email="new@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    status, body = ask(api_client, email="new@example.com", password=PASSWORD)

    assert status == 400
    assert body["code"] == "email_not_verified"
    assert not AuthToken.objects.exists()


def test_a_closed_account_gets_no_token_and_loses_the_one_it_had(
    api_client: APIClient, resident: User
) -> None:
    ask(api_client, email=resident.email, password=PASSWORD)
    user_anonymise(user=resident)

    status, body = ask(api_client, username=resident.username, password=PASSWORD)

    assert status == 400
    assert body["code"] == "wrong_credentials"
    assert not AuthToken.objects.exists()


@pytest.mark.parametrize(
    "credentials",
    [
        {"password": PASSWORD},
        {"email": "mina@example.com", "username": "mina", "password": PASSWORD},
    ],
    ids=["neither", "both"],
)
def test_either_the_email_or_the_username_must_be_sent(
    api_client: APIClient, resident: User, credentials: dict[str, str]
) -> None:
    status, body = ask(api_client, **credentials)

    assert status == 422  # well formed, one of the two missing
    assert body["code"] == "login_missing"


def test_missing_and_malformed_fields_are_named(api_client: APIClient) -> None:
    status, body = ask(api_client, email="not an email")

    assert status == 400
    assert body["code"] == "invalid"
    assert set(body["errors"]) == {"email", "password"}  # type: ignore[call-overload]


def test_the_token_opens_the_api_to_its_owner(api_client: APIClient, resident: User) -> None:
    token = ask(api_client, email=resident.email, password=PASSWORD)[1]["token"]

    response = api_client.get("/api/projects/", HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 200
    assert response.wsgi_request.user == resident  # type: ignore[attr-defined]


def test_guessing_passwords_is_rate_limited_per_address(
    api_client: APIClient, resident: User, settings: Settings
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_login": "3/minute"},
    }
    address = "10.8.0.1"
    statuses = [
        api_client.post(
            URL,
            {"email": resident.email, "password": f"guess-{n}"},
            format="json",
            REMOTE_ADDR=address,
        ).status_code
        for n in range(3)
    ]

    refused = api_client.post(
        URL, {"email": resident.email, "password": PASSWORD}, format="json", REMOTE_ADDR=address
    )

    assert statuses == [400, 400, 400]
    elsewhere = api_client.post(
        URL, {"email": resident.email, "password": PASSWORD}, format="json", REMOTE_ADDR="10.8.0.2"
    )

    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert elsewhere.status_code == 200


# --- The resident's own profile and consents -----------------------------------------------

PROFILE = "/api/me/profile/"
PROFILE_UPDATE = "/api/me/profile/update/"
CONSENTS = "/api/me/consents/"
GIVE = "/api/me/consents/give/"
VERSION = CONSENT_TEXTS[Consent.Kind.PERSONAL].version


def a_profile(**fields: Any) -> dict[str, Any]:
    return {
        "neighbourhood": NeighbourhoodFactory.create().pk,
        "birth_year": 1948,
        "household_type": "single_person",
        "phone": "010-1234-5678",
        "notification_channel": "none",
        **fields,
    }


def consent(user: User, kind: str = Consent.Kind.PERSONAL) -> Consent:
    return ConsentFactory.create(user=user, kind=kind, given_at=timezone.now())


@pytest.fixture
def someone() -> User:
    return UserFactory.create()


@pytest.fixture
def client(someone: User) -> APIClient:
    return token_client(someone)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", PROFILE),
        ("put", PROFILE_UPDATE),
        ("patch", PROFILE_UPDATE),
        ("get", CONSENTS),
        ("post", GIVE),
        ("post", f"{CONSENTS}personal/withdraw/"),
    ],
)
def test_the_residents_own_doors_ask_an_anonymous_caller_to_log_in(
    api_client: APIClient, method: str, url: str
) -> None:
    response = getattr(api_client, method)(url, {}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_anyone_may_read_the_consent_texts_in_their_current_version(
    api_client: APIClient,
) -> None:
    response = api_client.get("/api/consent-texts/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    texts = {text["kind"]: text for text in response.json()}
    assert set(texts) == {"personal", "sensitive", "notifications"}
    assert texts["personal"]["version"] == VERSION
    assert texts["personal"]["title"] == "Use of personal information (required to apply)"
    assert texts["personal"]["retention"]


def test_before_the_profile_is_filled_in_reading_it_says_so(client: APIClient) -> None:
    response = client.get(PROFILE)

    assert response.status_code == 404
    assert response.json()["code"] == "profile_missing"


def test_the_profile_shows_the_residents_own_facts(someone: User) -> None:
    group = TargetGroupFactory.create(code="elderly-alone")
    profile = ResidentProfileFactory.create(user=someone, birth_year=1944, phone="02-123-4567")
    profile.target_groups.set([group])
    ResidentProfileFactory.create()  # someone else's

    body = token_client(someone).get(PROFILE).json()

    assert body["neighbourhood"]["id"] == profile.neighbourhood_id
    assert body["birth_year"] == 1944
    assert body["phone"] == "02-123-4567"
    assert [g["code"] for g in body["target_groups"]] == ["elderly-alone"]


def test_the_profile_is_kept_only_with_the_personal_consent(
    client: APIClient, someone: User
) -> None:
    response = client.put(PROFILE_UPDATE, a_profile(), format="json")

    assert response.status_code == 422
    assert response.json()["code"] == "consent_needed"
    assert not ResidentProfile.objects.exists()


def test_an_app_gives_the_consent_then_fills_in_the_profile(
    client: APIClient, someone: User
) -> None:
    given = client.post(GIVE, {"kind": "personal", "text_version": VERSION}, format="json")
    saved = client.put(PROFILE_UPDATE, a_profile(birth_year=1950), format="json")

    assert given.status_code == 201
    assert given.json()["kind"] == "personal"
    assert given.json()["is_active"] is True
    assert saved.status_code == 200, saved.json()
    assert saved.json()["birth_year"] == 1950
    assert ResidentProfile.objects.get(user=someone).notification_channel == "none"


def test_a_consent_to_an_old_or_unknown_text_is_refused(client: APIClient) -> None:
    old = client.post(GIVE, {"kind": "personal", "text_version": "2020-01"}, format="json")
    unknown = client.post(GIVE, {"kind": "marketing", "text_version": VERSION}, format="json")

    assert old.status_code == unknown.status_code == 400
    assert error_fields(old.json()) == {"text_version"}
    assert error_fields(unknown.json()) == {"kind"}
    assert not Consent.objects.exists()


def test_giving_the_same_consent_twice_keeps_one(client: APIClient, someone: User) -> None:
    first = client.post(GIVE, {"kind": "personal", "text_version": VERSION}, format="json")
    again = client.post(GIVE, {"kind": "personal", "text_version": VERSION}, format="json")

    assert first.json()["id"] == again.json()["id"]
    assert Consent.objects.filter(user=someone).count() == 1


def test_notifications_need_their_own_consent(client: APIClient, someone: User) -> None:
    consent(someone)

    response = client.put(PROFILE_UPDATE, a_profile(notification_channel="email"), format="json")

    assert response.status_code == 400
    assert error_fields(response.json()) == {"notification_channel"}


def test_each_wrong_answer_is_named(client: APIClient, someone: User) -> None:
    consent(someone)
    future = timezone.localdate().year + 1

    response = client.put(
        PROFILE_UPDATE,
        {"neighbourhood": 0, "birth_year": 1800, "household_type": "castle", "phone": "123"},
        format="json",
    )
    too_young = client.put(PROFILE_UPDATE, a_profile(birth_year=future), format="json")

    assert response.status_code == 400
    assert error_fields(response.json()) == {
        "neighbourhood",
        "birth_year",
        "household_type",
        "phone",
    }
    assert too_young.status_code == 400
    assert error_fields(too_young.json()) == {"birth_year"}


def test_a_health_group_needs_the_consent_to_sensitive_information(
    client: APIClient, someone: User
) -> None:
    consent(someone)
    health = TargetGroupFactory.create(is_sensitive=True)

    refused = client.put(PROFILE_UPDATE, a_profile(target_groups=[health.pk]), format="json")
    consent(someone, Consent.Kind.SENSITIVE)
    accepted = client.put(PROFILE_UPDATE, a_profile(target_groups=[health.pk]), format="json")

    assert refused.status_code == 400
    assert error_fields(refused.json()) == {"target_groups"}
    assert accepted.status_code == 200
    assert [g["id"] for g in accepted.json()["target_groups"]] == [health.pk]


def test_a_patch_changes_only_what_it_sends(client: APIClient, someone: User) -> None:
    consent(someone)
    group = TargetGroupFactory.create()
    client.put(PROFILE_UPDATE, a_profile(target_groups=[group.pk]), format="json")

    response = client.patch(PROFILE_UPDATE, {"phone": "010-5555-6666"}, format="json")

    assert response.status_code == 200
    profile = ResidentProfile.objects.get(user=someone)
    assert profile.phone == "010-5555-6666"
    assert profile.birth_year == 1948
    assert list(profile.target_groups.all()) == [group]


def test_a_first_profile_needs_every_field_so_it_is_sent_by_put(
    client: APIClient, someone: User
) -> None:
    consent(someone)

    patched = client.patch(PROFILE_UPDATE, {"phone": "010-5555-6666"}, format="json")
    put = client.put(PROFILE_UPDATE, {"phone": "010-5555-6666"}, format="json")

    # PATCH changes a profile there is; with none yet it is a conflict, not a malformed body.
    assert (patched.status_code, patched.json()["code"]) == (409, "profile_missing")
    assert put.status_code == 400
    assert error_fields(put.json()) == {"neighbourhood", "birth_year", "household_type"}


def test_withdrawing_a_consent_ends_it_and_a_second_time_is_harmless(
    client: APIClient, someone: User
) -> None:
    given = consent(someone, Consent.Kind.NOTIFICATIONS)

    first = client.post(f"{CONSENTS}notifications/withdraw/", format="json")
    again = client.post(f"{CONSENTS}notifications/withdraw/", format="json")

    assert first.status_code == again.status_code == 204
    given.refresh_from_db()
    assert given.withdrawn_at is not None


def test_withdrawing_the_sensitive_consent_removes_the_health_groups(
    client: APIClient, someone: User
) -> None:
    consent(someone)
    consent(someone, Consent.Kind.SENSITIVE)
    health = TargetGroupFactory.create(is_sensitive=True)
    client.put(PROFILE_UPDATE, a_profile(target_groups=[health.pk]), format="json")

    client.post(f"{CONSENTS}sensitive/withdraw/", format="json")

    assert client.get(PROFILE).json()["target_groups"] == []


def test_an_unknown_kind_of_consent_cannot_be_withdrawn(client: APIClient) -> None:
    response = client.post(f"{CONSENTS}marketing/withdraw/", format="json")

    assert response.status_code == 404


def test_the_consent_list_shows_only_the_residents_own_active_ones_first(
    client: APIClient, someone: User
) -> None:
    notifications = consent(someone, Consent.Kind.NOTIFICATIONS)
    consent_withdraw(user=someone, kind=Consent.Kind.NOTIFICATIONS)
    personal = consent(someone)
    consent(UserFactory.create())

    rows = client.get(CONSENTS).json()["results"]

    assert [row["id"] for row in rows] == [personal.pk, notifications.pk]
    assert [row["is_active"] for row in rows] == [True, False]


def test_the_consent_list_costs_the_same_few_queries_however_long_it_is(
    client: APIClient, someone: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(12):
        consent(someone, Consent.Kind.NOTIFICATIONS)
        consent_withdraw(user=someone, kind=Consent.Kind.NOTIFICATIONS)

    with django_assert_max_num_queries(3):
        response = client.get(CONSENTS, {"page_size": 10})

    assert response.json()["count"] == 12
