"""The API's one JSON parser: a body it cannot read as plain JSON text (malformed, nested too
deep, invalid UTF-8, a lone surrogate anywhere) is a 400 in the error shape, and nothing is
saved. The fuzz over every write is ``test_fuzz_api.py``; these name the classes one by one."""

import pytest
from rest_framework.test import APIClient

from residents.models import ResidentProfile, User
from tests.matching.factories import make_resident
from tests.welfare_net.test_api import assert_error_shape

pytestmark = pytest.mark.django_db

PROFILE_UPDATE = "/api/me/profile/update/"
CONSENT_GIVE = "/api/me/consents/give/"
APPLICATION_CREATE = "/api/me/applications/create/"

DEEP_LIST = b"[" * 5000 + b"]" * 5000
DEEP_OBJECT = b'{"a":' * 5000 + b"1" + b"}" * 5000


@pytest.fixture
def resident(api_client: APIClient) -> User:
    user = make_resident()
    api_client.force_authenticate(user)
    return user


def send(api_client: APIClient, method: str, url: str, body: bytes) -> object:
    return getattr(api_client, method)(
        url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT], ids=["list", "object"])
@pytest.mark.parametrize(
    ("method", "url"),
    [("post", APPLICATION_CREATE), ("post", CONSENT_GIVE), ("patch", PROFILE_UPDATE)],
)
def test_a_body_nested_thousands_deep_is_a_parse_error(
    api_client: APIClient, resident: User, method: str, url: str, body: bytes
) -> None:
    response = send(api_client, method, url, body)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert_error_shape(response.json(), "parse_error")  # type: ignore[attr-defined]


def test_a_body_nested_past_the_limit_is_refused_though_python_could_read_it(
    api_client: APIClient, resident: User
) -> None:
    body = b'{"household_type": ' + b"[" * 64 + b"]" * 64 + b"}"

    response = send(api_client, "patch", PROFILE_UPDATE, body)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert_error_shape(response.json(), "parse_error")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "body",
    [
        b'{"preferred_language": "\\ud800x"}',
        b'{"household_type": ["\\udfff"]}',
        b'{"\\ud800": "single_person"}',
        b'{"household_type": {"k\\udc00": 1}}',
    ],
    ids=["value", "in-a-list", "key", "nested-key"],
)
def test_a_lone_surrogate_anywhere_in_the_body_is_a_parse_error_and_nothing_changes(
    api_client: APIClient, resident: User, body: bytes
) -> None:
    before = ResidentProfile.objects.get(user=resident).household_type

    response = send(api_client, "patch", PROFILE_UPDATE, body)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert_error_shape(response.json(), "parse_error")  # type: ignore[attr-defined]
    assert ResidentProfile.objects.get(user=resident).household_type == before


def test_a_surrogate_pair_escaped_is_one_valid_character_and_reads_as_json(
    api_client: APIClient, resident: User
) -> None:
    # "\ud83d\ude00" is one emoji: valid text, so the serializer judges it (not a choice).
    response = send(api_client, "patch", PROFILE_UPDATE, b'{"household_type": "\\ud83d\\ude00"}')

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert_error_shape(response.json(), "invalid")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "body",
    [b'{"household_type": "\xed\xa0\x80"}', b'{"household_type": "\xff"}', b"\xfe\xff{}"],
    ids=["encoded-surrogate", "stray-byte", "bom-utf16"],
)
def test_a_body_that_is_not_utf8_is_a_parse_error(
    api_client: APIClient, resident: User, body: bytes
) -> None:
    response = send(api_client, "patch", PROFILE_UPDATE, body)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert_error_shape(response.json(), "parse_error")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"kind": ', "The request could not be read. Check that it is valid JSON."),
        (
            DEEP_LIST,
            "The request could not be read: its data is nested too deeply (at most 32 levels).",
        ),
        (
            b'{"kind": "\\ud800"}',
            "The request could not be read: it holds characters that are not valid text.",
        ),
    ],
    ids=["malformed", "deep", "not-text"],
)
def test_the_parse_error_says_in_plain_words_what_is_wrong(
    api_client: APIClient, resident: User, body: bytes, message: str
) -> None:
    response = send(api_client, "post", CONSENT_GIVE, body)

    assert response.json()["message"] == message  # type: ignore[attr-defined]


def test_a_body_that_is_plain_json_still_reads(api_client: APIClient, resident: User) -> None:
    response = send(
        api_client,
        "patch",
        PROFILE_UPDATE,
        b'{"household_type": "couple", "notification_channel": "none"}',
    )

    assert response.status_code == 200, response.json()  # type: ignore[attr-defined]
    assert ResidentProfile.objects.get(user=resident).household_type == "couple"


def test_the_parse_error_is_korean_by_default(api_client: APIClient, resident: User) -> None:
    response = api_client.post(CONSENT_GIVE, DEEP_LIST, content_type="application/json")

    # "요청을 읽을 수 없습니다. 데이터가 너무 깊게 겹쳐 있습니다(최대 32단계)."
    assert response.json()["message"].startswith("요청을 읽을 수 없습니다.")  # type: ignore[attr-defined]
    assert "32" in response.json()["message"]  # type: ignore[attr-defined]


def test_a_body_larger_than_the_site_reads_is_refused_unread_and_nothing_changes(
    api_client: APIClient, resident: User, settings: object
) -> None:
    # DRF reads a JSON body from the stream itself, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
    limit = 1000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = limit  # type: ignore[attr-defined]
    before = ResidentProfile.objects.get(user=resident).updated_at
    body = b'{"preferred_language": "en", "phone": "' + b"1" * limit + b'"}'

    response = send(api_client, "patch", PROFILE_UPDATE, body)

    assert response.status_code == 413  # type: ignore[attr-defined]
    assert_error_shape(response.json(), "body_too_large")  # type: ignore[attr-defined]
    assert ResidentProfile.objects.get(user=resident).updated_at == before


def test_the_document_says_every_body_write_can_be_too_large(api_client: APIClient) -> None:
    document = api_client.get("/api/schema/?format=json").json()

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch"):
                assert "413" in operation["responses"], f"{method} {path}"
