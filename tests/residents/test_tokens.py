"""An app's token lasts as long as the login it stands for: a new password (changed, reset or
set by an administrator), a closed or deactivated account, the end of its lifetime, or the
resident's "sign out everywhere" ends it, and the other devices' sessions with it."""

import importlib
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from residents.models import User
from residents.services import user_anonymise
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]

PASSWORD = "welfare-test-password"  # tests.factories.UserFactory's
NEW_PASSWORD = "a-new-long-password-77"
MINE = "/api/me/consents/"  # any door that needs a login


@pytest.fixture
def resident() -> User:
    user = UserFactory.create(username="mina", email="mina@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def token_of(user: User, *, address: str = "127.0.0.1") -> str:
    """A token got as an app gets it: the email and password at the token door."""
    response = APIClient().post(
        "/api/auth/token/",
        {"email": user.email, "password": PASSWORD},
        format="json",
        REMOTE_ADDR=address,
    )
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def app(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def site(user: User) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def test_a_token_works_until_something_ends_it(resident: User) -> None:
    assert app(token_of(resident)).get(MINE).status_code == 200


def test_changing_the_password_on_the_site_ends_the_apps_tokens(resident: User) -> None:
    token = token_of(resident)
    browser = site(resident)

    response = browser.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert app(token).get(MINE).status_code == 401


def test_a_password_reset_by_email_ends_the_tokens_and_the_other_sessions(
    resident: User,
) -> None:
    token = token_of(resident)
    other_device = site(resident)
    anonymous = Client()
    anonymous.post(reverse("account_reset_password"), {"email": resident.email})
    link = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", str(mail.outbox[-1].body)
    )
    assert link is not None
    form = anonymous.get(link.group(1), follow=True)
    assert form.status_code == 200

    done = anonymous.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert done.status_code == 302
    assert app(token).get(MINE).status_code == 401
    assert other_device.get(reverse("residents:consents")).status_code == 302  # to log in


def test_a_password_set_by_an_administrator_ends_the_tokens(resident: User) -> None:
    token = token_of(resident)

    resident.set_password(NEW_PASSWORD)
    resident.save()

    assert app(token).get(MINE).status_code == 401


def test_a_deactivated_account_is_refused_with_its_token(resident: User) -> None:
    token = token_of(resident)

    resident.is_active = False
    resident.save()

    assert app(token).get(MINE).status_code == 401


def test_a_deleted_account_is_refused_with_its_token(resident: User) -> None:
    token = token_of(resident)

    user_anonymise(user=resident)

    assert app(token).get(MINE).status_code == 401


def age_tokens(user: User, *, by: timedelta) -> None:
    """As if the user's tokens had been issued ``by`` ago."""
    AuthToken.objects.filter(user=user).update(created=F("created") - by, expiry=F("expiry") - by)


def test_a_token_expires_after_its_lifetime(resident: User) -> None:
    token = token_of(resident)

    age_tokens(resident, by=timedelta(days=31))

    assert app(token).get(MINE).status_code == 401


def test_each_device_gets_a_token_of_its_own(resident: User) -> None:
    assert token_of(resident) != token_of(resident)


def test_signing_out_everywhere_in_the_api_ends_every_token_and_every_session(
    resident: User,
) -> None:
    phone, tablet = token_of(resident), token_of(resident)
    browser = site(resident)

    response = app(phone).post("/api/auth/logout-all/")

    assert response.status_code == 204
    assert app(phone).get(MINE).status_code == 401
    assert app(tablet).get(MINE).status_code == 401
    assert browser.get(reverse("residents:consents")).status_code == 302


def test_signing_out_this_device_in_the_api_ends_its_token_only(resident: User) -> None:
    phone, tablet = token_of(resident), token_of(resident)

    response = app(phone).post("/api/auth/logout/")

    assert response.status_code == 204
    assert app(phone).get(MINE).status_code == 401
    assert app(tablet).get(MINE).status_code == 200


def test_signing_out_everywhere_on_my_page_keeps_this_browser_only(resident: User) -> None:
    token = token_of(resident)
    here, elsewhere = site(resident), site(resident)

    response = here.post("/me/sign-out-everywhere/")

    assert response.status_code == 302
    assert app(token).get(MINE).status_code == 401
    assert elsewhere.get(reverse("residents:consents")).status_code == 302
    assert here.get(reverse("residents:consents")).status_code == 200


def test_signing_out_everywhere_needs_a_post_with_its_csrf_token(resident: User) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(resident)
    token = token_of(resident)

    assert browser.post("/me/sign-out-everywhere/").status_code == 403
    assert app(token).get(MINE).status_code == 200


def test_the_tokens_of_before_knox_still_open_the_api_and_are_no_longer_kept_in_clear(
    resident: User,
) -> None:
    """The data migration 0004, run on a table as DRF's authtoken left it."""
    from django.apps import apps
    from django.db import connection

    carry_over = importlib.import_module(
        "residents.migrations.0004_carry_over_authtoken_tokens"
    ).carry_over
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamptz,"
            " user_id bigint)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, now(), %s)", [old_key, resident.pk])

    with connection.schema_editor() as editor:
        carry_over(apps, editor)

    assert app(old_key).get(MINE).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    token = AuthToken.objects.get(user=resident)
    assert token.expiry is not None
    assert old_key not in token.digest


def test_a_token_nobody_was_given_is_refused(resident: User) -> None:
    token_of(resident)

    assert app("f" * 64).get(MINE).status_code == 401
