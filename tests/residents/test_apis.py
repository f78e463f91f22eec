"""An app gets its token with the same login as the website: email (or username) and password."""

import pytest
from allauth.account.models import EmailAddress
from pytest_django.fixtures import Settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from residents.models import User
from residents.services import user_anonymise
from tests.factories import UserFactory

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
    assert body == {"token": Token.objects.get(user=resident).key}


def test_asking_again_gives_the_same_token(api_client: APIClient, resident: User) -> None:
    first = ask(api_client, email=resident.email, password=PASSWORD)[1]
    second = ask(api_client, email=resident.email, password=PASSWORD)[1]

    assert first == second
    assert Token.objects.filter(user=resident).count() == 1


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
    assert not Token.objects.exists()


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
    assert not Token.objects.exists()


def test_a_closed_account_gets_no_token_and_loses_the_one_it_had(
    api_client: APIClient, resident: User
) -> None:
    ask(api_client, email=resident.email, password=PASSWORD)
    user_anonymise(user=resident)

    status, body = ask(api_client, username=resident.username, password=PASSWORD)

    assert status == 400
    assert body["code"] == "wrong_credentials"
    assert not Token.objects.exists()


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

    assert status == 400
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
