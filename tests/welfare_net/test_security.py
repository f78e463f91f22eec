"""The security settings: the Content-Security-Policy, production's headers and cookies, the
login limits (django-axes everywhere a password is checked, allauth's on the site) and the
admin's configurable address.

``check --deploy`` on production settings is in ``test_deployment.py``; the pages working in a
real browser under the policy are the end-to-end tests (``tests/e2e``), whose browser fixture
fails on anything the policy refused.
"""

import importlib
import re
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import clear_url_caches
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from residents.login_guard import login_name
from residents.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "welfare-test-password"  # tests.factories.UserFactory's
WRONG = "not-the-password"


def policy(response: object) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]  # type: ignore[index]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_strict(directives: dict[str, list[str]]) -> None:
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)


# --- The Content-Security-Policy -----------------------------------------------------------


def test_a_page_of_the_site_allows_only_its_own_scripts_and_styles(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert_strict(policy(response))
    assert policy(response)["img-src"] == ["'self'"]


def test_error_pages_carry_the_policy_too(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_strict(policy(response))


def test_the_api_docs_loosen_only_images_to_data_urls_and_have_no_inline_code(
    client: Client,
) -> None:
    response = client.get("/api/docs/")
    html = response.content.decode()

    directives = policy(response)
    assert directives.pop("img-src") == ["'self'", "data:"]
    assert_strict(directives)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html
    assert "/static/css/api-docs.css" in html


def test_the_admin_carries_the_policy(client: Client) -> None:
    staff = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(staff)

    for url in (f"/{settings.ADMIN_URL}", f"/{settings.ADMIN_URL}projects/project/"):
        response = client.get(url)

        assert response.status_code == 200, url
        assert_strict(policy(response))


# Templates we render: ours, and the third-party ones we override for the policy.
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
TAG = re.compile(r"<[a-zA-Z][^>]*>")
COMMENT = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}|<!--.*?-->", re.S)
INLINE = {
    "an inline <script>": re.compile(
        r"<script(?![^>]*\b(src|type=\"application/(ld\+)?json\")=?)[^>]*>", re.I
    ),
    "a <style> block": re.compile(r"<style\b", re.I),
}
IN_A_TAG = {
    "an on*= handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "a style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "an hx-on handler": re.compile(r"\s(data-)?hx-on", re.I),
    "a javascript: address": re.compile(r"=\s*[\"']?\s*javascript:", re.I),
}


def test_the_template_scan_finds_what_the_policy_would_refuse() -> None:
    html = (
        '<script>alert(1)</script><style>p{}</style><a href="javascript:x()">'
        '<p onclick="x()" style="color:red" hx-on:click="y()">'
    )

    found = {name for name, pattern in INLINE.items() if pattern.search(html)}
    for tag in TAG.findall(html):
        found |= {name for name, pattern in IN_A_TAG.items() if pattern.search(tag)}

    assert found == set(INLINE) | set(IN_A_TAG)
    clean = '<script src="/static/x.js" defer></script><script type="application/json">{}</script>'
    assert not any(pattern.search(clean) for pattern in INLINE.values())


def test_no_template_has_inline_script_or_style_or_event_handlers() -> None:
    templates = [path for folder in TEMPLATE_DIRS for path in sorted(folder.rglob("*.html"))]
    assert len(templates) > 40

    problems = []
    for path in templates:
        html = COMMENT.sub("", path.read_text())
        for name, pattern in INLINE.items():
            if pattern.search(html):
                problems.append(f"{path.relative_to(ROOT)}: {name}")
        for tag in TAG.findall(html):
            problems += [
                f"{path.relative_to(ROOT)}: {name} in {tag[:80]}"
                for name, pattern in IN_A_TAG.items()
                if pattern.search(tag)
            ]

    assert problems == []


def test_htmx_is_told_not_to_inject_styles_or_evaluate_strings() -> None:
    html = (ROOT / "templates/queue/_base.html").read_text()

    assert '"includeIndicatorStyles": false' in html
    assert '"allowEval": false' in html


# --- Production's headers and cookies ------------------------------------------------------


@pytest.fixture
def production(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """This suite's settings with production's security values, read from the module itself."""
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "testserver")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/unused")
    sys.modules.pop("welfare_net.settings.production", None)
    module = importlib.import_module("welfare_net.settings.production")
    try:
        for name in dir(module):
            if name.startswith(
                ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "X_FRAME", "CONTENT_")
            ):
                setattr(settings, name, getattr(module, name))
    finally:
        sys.modules.pop("welfare_net.settings.production", None)
    return settings


def test_production_redirects_plain_http_to_https(client: Client, production: object) -> None:
    response = client.get("/accounts/login/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_production_answers_with_hsts_frame_denial_nosniff_and_secure_cookies(
    client: Client, production: object
) -> None:
    # TLS ends at the proxy, which says so in X-Forwarded-Proto.
    response = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert_strict(policy(response))
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_production_session_cookie_is_secure_and_hidden_from_scripts(
    client: Client, production: object
) -> None:
    UserFactory.create(username="mina", email="mina@example.com")
    EmailAddress.objects.create(
        user=User.objects.get(username="mina"), email="mina@example.com", verified=True
    )

    response = client.post(
        "/accounts/login/",
        {"login": "mina@example.com", "password": PASSWORD},
        headers={"x-forwarded-proto": "https"},
        REMOTE_ADDR="192.0.2.10",
    )

    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


# --- Login limits: django-axes on every password check -------------------------------------


def admin_login(client: Client, username: str, password: str, address: str) -> Any:
    return client.post(
        f"/{settings.ADMIN_URL}login/",
        {"username": username, "password": password, "next": f"/{settings.ADMIN_URL}"},
        REMOTE_ADDR=address,
    )


def test_the_admin_login_locks_a_name_and_address_after_five_failures_in_korean(
    client: Client,
) -> None:
    UserFactory.create(username="office", is_staff=True, is_superuser=True)
    address = "198.51.100.7"

    answers = [admin_login(client, "office", WRONG, address).status_code for _ in range(5)]
    locked = admin_login(client, "office", PASSWORD, address)

    assert answers == [200, 200, 200, 200, 429]
    assert locked.status_code == 429  # even the right password, until the pause is over
    html = locked.content.decode()
    assert 'id="login-locked"' in html
    # Korean from the catalog (msgids in the branch's report): "paused for 15 minutes".
    assert "15분 동안" in html
    assert_strict(policy(locked))


def test_the_lock_holds_one_name_from_one_address_and_lifts_after_the_pause(
    client: Client,
) -> None:
    UserFactory.create(username="office", is_staff=True, is_superuser=True)
    for _ in range(5):
        admin_login(client, "office", WRONG, "198.51.100.8")

    # The same person from another address (a colleague's desk) still gets in.
    elsewhere = admin_login(client, "office", PASSWORD, "198.51.100.9")
    assert elsewhere.status_code == 302

    # Once the pause (AXES_COOLOFF_TIME) is over, the locked address gets in too.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    client.logout()
    assert admin_login(client, "office", PASSWORD, "198.51.100.8").status_code == 302


def test_a_good_login_clears_the_earlier_failures(client: Client) -> None:
    UserFactory.create(username="office", is_staff=True, is_superuser=True)
    address = "198.51.100.10"
    for _ in range(4):
        admin_login(client, "office", WRONG, address)
    assert admin_login(client, "office", PASSWORD, address).status_code == 302
    client.logout()

    answers = [admin_login(client, "office", WRONG, address).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 200]


def site_login(client: Client, email: str, password: str, address: str) -> Any:
    return client.post(
        "/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def resident() -> User:
    user = UserFactory.create(username="jiwoo", email="jiwoo@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_the_sites_login_locks_the_same_way(client: Client) -> None:
    # Its own email: allauth's count per email (in the cache) outlives the test's database.
    user = UserFactory.create(username="haneul", email="haneul@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    address = "198.51.100.20"

    answers = [site_login(client, "haneul@example.com", WRONG, address) for _ in range(5)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]
    assert 'id="login-locked"' in answers[-1].content.decode()
    # Now refused even with the right password (allauth's own limit below answers first).
    site_login(client, "haneul@example.com", PASSWORD, address)
    assert "_auth_user_id" not in client.session


def test_axes_counts_the_name_as_typed_in_any_case_from_any_login_form() -> None:
    factory = RequestFactory()
    site = factory.post("/accounts/login/", {"login": " Jiwoo@Example.com ", "password": "x"})
    admin = factory.post("/admin/login/", {"username": "Office", "password": "x"})
    in_code = factory.get("/")

    assert login_name(site, {"email": "Jiwoo@Example.com"}) == "jiwoo@example.com"
    # On success axes passes the username: the posted email still names the failures.
    assert login_name(site, {"username": "jiwoo"}) == "jiwoo@example.com"
    assert login_name(admin, {"username": "Office"}) == "office"
    assert login_name(in_code, {"email": "a@example.com"}) == "a@example.com"
    assert login_name(in_code, None) == ""


def test_the_api_token_answers_429_with_its_own_code_once_locked(api_client: APIClient) -> None:
    UserFactory.create(username="app-user", email="app@example.com")
    address = "198.51.100.30"

    def ask(password: str) -> tuple[int, str]:
        response = api_client.post(
            "/api/auth/token/",
            {"username": "app-user", "password": password},
            format="json",
            REMOTE_ADDR=address,
        )
        return response.status_code, response.json()["code"] if response.status_code != 200 else ""

    answers = [ask(WRONG) for _ in range(5)]

    assert answers == [(400, "wrong_credentials")] * 4 + [(429, "login_locked")]
    assert ask(PASSWORD) == (429, "login_locked")


# --- Login limits: allauth's own, per login name from any address --------------------------


def test_the_sites_login_refuses_a_name_tried_too_often_even_from_many_addresses(
    client: Client, resident: User
) -> None:
    too_many = str(get_adapter().error_messages["too_many_login_attempts"])
    # One wrong password from each of five addresses: axes (name and address) locks none.
    for n in range(5):
        response = site_login(client, "jiwoo@example.com", WRONG, f"203.0.113.{n + 1}")
        assert response.status_code == 200
        assert too_many not in response.context["form"].errors["__all__"]

    refused = site_login(client, "jiwoo@example.com", PASSWORD, "203.0.113.99")

    assert refused.status_code == 200
    assert refused.context["form"].errors == {"__all__": [too_many]}
    assert too_many == "너무 많은 로그인 실패가 감지되었습니다. 잠시 후에 다시 시도하세요."
    assert "_auth_user_id" not in client.session


def test_too_many_logins_from_one_address_get_the_sites_own_429_page(
    client: Client, settings: Settings
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    address = "203.0.113.150"

    answers = [site_login(client, f"n{n}@example.com", WRONG, address) for n in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert 'id="too-many-requests"' in answers[-1].content.decode()
    assert_strict(policy(answers[-1]))


# --- The admin's address -------------------------------------------------------------------


@pytest.fixture
def admin_elsewhere(settings: Settings) -> Iterator[str]:
    """The URLconf rebuilt with ADMIN_URL set as a deployment would set it."""
    import welfare_net.urls

    configured = settings.ADMIN_URL
    settings.ADMIN_URL = "office-7f3a/"
    importlib.reload(welfare_net.urls)
    clear_url_caches()
    yield "/office-7f3a/"
    settings.ADMIN_URL = configured
    importlib.reload(welfare_net.urls)
    clear_url_caches()


def test_the_admin_answers_only_at_its_configured_address(
    client: Client, admin_elsewhere: str
) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    assert client.get(admin_elsewhere).status_code == 200
    assert client.get(f"{admin_elsewhere}projects/project/").status_code == 200
