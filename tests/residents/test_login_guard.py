"""The login limits count one account, however its name is typed and at whichever door: the
site (allauth, by email), the admin (by username) and the API's token door (either).

Per account and address: 5 wrong passwords pause that address for 15 minutes. Per account
from all addresses together: 20 wrong passwords pause the account for 5 minutes, short so
that an attacker cannot keep its owner out for long."""

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from rest_framework.test import APIClient

from residents.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]

PASSWORD = "welfare-test-password"  # tests.factories.UserFactory's
WRONG = "not-the-password"


def make_account(name: str) -> User:
    # A name of each test's own: allauth's counts per email live in the cache.
    user = UserFactory.create(username=name, email=f"{name}@example.com", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def site(name: str, password: str, address: str) -> int:
    response = Client().post(
        "/accounts/login/", {"login": name, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def admin(name: str, password: str, address: str) -> int:
    response = Client().post(
        f"/{settings.ADMIN_URL}login/",
        {"username": name, "password": password, "next": f"/{settings.ADMIN_URL}"},
        REMOTE_ADDR=address,
    )
    return response.status_code


def api(field: str, name: str, password: str, address: str) -> int:
    response = APIClient().post(
        "/api/auth/token/", {field: name, "password": password}, format="json", REMOTE_ADDR=address
    )
    return response.status_code


def page(name: str, password: str, address: str) -> Any:
    return Client().post(
        "/accounts/login/", {"login": name, "password": password}, REMOTE_ADDR=address
    )


def test_once_the_token_door_locked_a_name_the_site_and_the_admin_refuse_it_too() -> None:
    user = make_account("lock-one")
    address = "198.51.100.41"

    answers = [api("username", "lock-one", WRONG, address) for _ in range(5)]

    assert answers == [400, 400, 400, 400, 429]
    assert site(user.email, PASSWORD, address) == 429
    assert admin("lock-one", PASSWORD, address) == 429


def test_the_email_and_the_username_of_one_account_are_counted_together() -> None:
    make_account("lock-two")
    address = "198.51.100.42"

    answers = [
        admin("lock-two", WRONG, address),
        admin("LOCK-TWO", WRONG, address),
        api("email", "Lock-Two@Example.com", WRONG, address),
        api("username", "lock-two", WRONG, address),
        site("lock-two@example.com", WRONG, address),
    ]

    assert answers == [200, 200, 400, 400, 429]
    assert api("email", "lock-two@example.com", PASSWORD, address) == 429


def guess_from_six_addresses(name: str) -> list[int]:
    """24 wrong guesses, 4 from each of six addresses, at the three doors."""
    answers = []
    for n in range(6):
        address = f"127.0.0.{n + 2}"
        answers += [
            admin(name, WRONG, address),
            api("username", name, WRONG, address),
            api("email", f"{name}@example.com", WRONG, address),
            admin(name.upper(), WRONG, address),
        ]
    return answers


def test_guesses_spread_over_many_addresses_pause_the_account_for_a_few_minutes() -> None:
    make_account("lock-three")

    answers = guess_from_six_addresses("lock-three")

    assert 429 in answers  # the twentieth wrong password paused the account
    # The right password from a seventh address is refused too, in Korean, for 5 minutes.
    refused = page("lock-three@example.com", PASSWORD, "127.0.0.9")
    assert refused.status_code == 429
    assert "5분 동안" in refused.content.decode()
    assert api("username", "lock-three", PASSWORD, "127.0.0.9") == 429

    # Five minutes later the owner gets in from anywhere, the attacker's addresses aside.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=6))
    assert site("lock-three@example.com", PASSWORD, "127.0.0.9") == 302


def test_guessing_on_during_the_pause_does_not_make_it_longer() -> None:
    make_account("lock-four")
    guess_from_six_addresses("lock-four")
    counted = sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))

    for n in range(10):
        admin("lock-four", WRONG, f"127.0.1.{n + 2}")

    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == counted


def test_one_address_under_its_own_limit_does_not_pause_the_account() -> None:
    make_account("lock-five")
    address = "198.51.100.45"

    answers = [admin("lock-five", WRONG, address) for _ in range(4)]

    assert answers == [200] * 4
    assert site("lock-five@example.com", PASSWORD, "198.51.100.46") == 302


def test_names_of_no_account_are_counted_as_typed() -> None:
    address = "198.51.100.47"

    answers = [api("username", "Nobody-Here", WRONG, address) for _ in range(5)]

    assert answers == [400, 400, 400, 400, 429]
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"nobody-here"}


def test_behind_trusted_proxies_the_clients_address_is_the_one_counted(
    settings: Any,
) -> None:
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    make_account("lock-six")

    for _ in range(5):
        APIClient().post(
            "/api/auth/token/",
            {"username": "lock-six", "password": WRONG},
            format="json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.60",
        )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.60"}
    # Another client behind the same proxy is not paused.
    other = Client().post(
        f"/{settings.ADMIN_URL}login/",
        {"username": "lock-six", "password": PASSWORD, "next": f"/{settings.ADMIN_URL}"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.61",
    )
    assert other.status_code == 302


@pytest.mark.parametrize("field", ["username", "login", "email"])
def test_a_login_name_longer_than_axes_keeps_is_counted_not_a_500(
    client: Client, field: str
) -> None:
    # The admin's form refuses the name as too long, but axes still counts the failure under
    # what was posted: a varchar(255) overflow was a DataError (a 500).
    response = client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": "short", field: "x" * 300, "password": WRONG},
    )

    assert response.status_code == 200
    assert AccessAttempt.objects.filter(username__startswith="x").count() <= 1
