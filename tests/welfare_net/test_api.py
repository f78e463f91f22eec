"""The API's foundation: one error shape for every failure, in the requester's language;
closed by default; token and session both open the door."""

import json

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from residents.models import User
from welfare_net.api import NON_FIELD_ERRORS, _flatten

pytestmark = pytest.mark.django_db

STUB_URLS = "tests.welfare_net.api_stub_urls"


def korean_or_skip(msgid: str) -> str:
    """The Korean of ``msgid``; the test is skipped while the catalog lacks it (the lead
    compiles the catalog after merging)."""
    with translation.override("ko"):
        korean = translation.gettext(msgid)
    if korean == msgid:
        pytest.skip(f"no Korean for {msgid!r} in the compiled catalog yet")
    return korean


def assert_error_shape(body: dict[str, object], code: str) -> None:
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    assert isinstance(body["errors"], dict)


# --- Addresses and methods ---------------------------------------------------------------


def test_an_unknown_address_below_api_answers_not_found_in_the_error_shape(
    client: Client,
) -> None:
    response = client.get("/api/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "code": "not_found",
        "message": "Nothing was found at this address.",
        "errors": {},
    }


def test_an_unknown_address_elsewhere_still_gets_the_sites_own_page(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_id_that_is_not_a_uuid_is_not_found_in_the_error_shape(client: Client) -> None:
    response = client.get("/api/projects/12/")

    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")


def test_the_not_found_message_is_korean_by_default(client: Client) -> None:
    korean = korean_or_skip("Nothing was found at this address.")

    # Korean expected: "이 주소에서 찾은 것이 없습니다."
    assert client.get("/api/no-such-thing/").json()["message"] == korean


def test_a_method_the_door_does_not_take_is_405_in_the_error_shape(
    api_client: APIClient,
) -> None:
    response = api_client.post("/api/projects/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 405
    assert response.json() == {
        "code": "method_not_allowed",
        "message": "This address does not accept this method.",
        "errors": {},
    }


def test_a_body_that_is_not_json_is_refused_in_the_error_shape(api_client: APIClient) -> None:
    broken = api_client.post("/api/auth/token/", "{not json", content_type="application/json")
    form = api_client.post("/api/auth/token/", {"email": "a@example.com", "password": "x"})

    assert broken.status_code == 400
    assert_error_shape(broken.json(), "parse_error")
    assert form.status_code == 415
    assert_error_shape(form.json(), "unsupported_media_type")


# --- Who may come in ----------------------------------------------------------------------


@pytest.mark.urls(STUB_URLS)
def test_a_door_without_permissions_of_its_own_needs_a_login_and_says_so_with_401(
    client: Client,
) -> None:
    response = client.get("/api/test/whoami/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Log in or send a valid token to use this.",
        "errors": {},
    }


@pytest.mark.urls(STUB_URLS)
def test_a_wrong_token_is_refused_with_authentication_failed(client: Client) -> None:
    response = client.get("/api/test/whoami/", HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401
    assert_error_shape(response.json(), "authentication_failed")


@pytest.mark.urls(STUB_URLS)
def test_the_sites_own_session_opens_the_door(client: Client) -> None:
    user = User.objects.create_user(username="dora", password="pw-123456")
    client.force_login(user)

    response = client.get("/api/test/whoami/")

    assert response.status_code == 200
    assert response.json() == {"username": "dora"}


# --- Errors raised by services and doors ----------------------------------------------------


@pytest.mark.urls(STUB_URLS)
def test_a_services_validation_error_is_a_400_with_its_fields(client: Client) -> None:
    response = client.get("/api/test/refused/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "Some of the information sent is not valid.",
        "errors": {"birth_year": ["Too early.", "Really."], NON_FIELD_ERRORS: ["No."]},
    }


@pytest.mark.urls(STUB_URLS)
def test_a_refusal_of_the_whole_request_for_one_reason_carries_that_reasons_code(
    client: Client,
) -> None:
    response = client.get("/api/test/refused/", {"whole": "1"})

    assert response.status_code == 400
    assert response.json() == {
        "code": "project_full",
        "message": "The project is full.",
        "errors": {NON_FIELD_ERRORS: ["The project is full."]},
    }


@pytest.mark.urls(STUB_URLS)
def test_a_door_can_answer_with_its_own_code_and_status(client: Client) -> None:
    response = client.get("/api/test/conflict/")

    assert response.status_code == 409
    assert response.json() == {
        "code": "already_withdrawn",
        "message": "Already withdrawn.",
        "errors": {},
    }


@pytest.mark.urls(STUB_URLS)
def test_an_unexpected_failure_is_a_500_in_the_error_shape_without_details() -> None:
    client = Client(raise_request_exception=False)

    response = client.get("/api/test/crash/")

    assert response.status_code == 500
    body = json.loads(response.content)
    assert_error_shape(body, "server_error")
    assert "a bug" not in response.content.decode()


def test_nested_errors_are_named_by_their_path() -> None:
    detail = {"items": [{"name": ["Required."]}, {}], "__all__": ["No."], "age": "Too old."}

    assert _flatten(detail) == {
        "items.0.name": ["Required."],
        NON_FIELD_ERRORS: ["No."],
        "age": ["Too old."],
    }
