"""The server refuses what the OpenAPI document forbids (400) and takes what it allows; a
well-formed request naming a row that does not exist or cannot be used is a 422, which the
document lists beside every 400. (The live schemathesis run finds these by itself; these
tests name each one.)"""

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from residents.consents import CONSENT_TEXTS
from residents.models import User
from tests.api.clients import token_client
from tests.matching.factories import make_resident
from tests.projects.factories import NeighbourhoodFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident() -> User:
    return make_resident(neighbourhood=NeighbourhoodFactory.create())


def document(client: Client) -> dict[str, Any]:
    loaded: dict[str, Any] = client.get("/api/schema/", {"format": "json"}).json()
    return loaded


@pytest.mark.parametrize("page_size", ["abc", "null", "0", "-1", "101", "1.5"])
def test_a_page_size_outside_1_to_100_is_refused(client: Client, page_size: str) -> None:
    response = client.get("/api/neighbourhoods/", {"page_size": page_size})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"page_size"}


def test_a_page_size_within_bounds_is_taken_and_the_document_states_the_bounds(
    client: Client,
) -> None:
    assert client.get("/api/neighbourhoods/", {"page_size": "100"}).status_code == 200
    parameters = document(client)["paths"]["/api/neighbourhoods/"]["get"]["parameters"]
    page_size = next(p for p in parameters if p["name"] == "page_size")
    page = next(p for p in parameters if p["name"] == "page")

    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert page["schema"] == {"type": "integer", "minimum": 1}


def test_the_hsds_per_page_is_checked_the_same_way(client: Client) -> None:
    assert client.get("/api/hsds/services", {"per_page": "null"}).status_code == 400


def test_an_unknown_neighbourhood_in_a_filter_is_unprocessable_not_malformed(
    client: Client,
) -> None:
    unknown = client.get("/api/projects/", {"neighbourhood": "999999"})
    malformed = client.get("/api/projects/", {"neighbourhood": "abc"})

    assert unknown.status_code == 422, unknown.json()
    assert malformed.status_code == 400


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/projects/", "neighbourhood"),
        ("/api/projects/", "area"),
        ("/api/hsds/services", "taxonomy_term_id"),
        ("/api/impact/", "to"),
        ("/api/impact/", "district"),
    ],
)
def test_an_empty_value_for_a_parameter_that_is_not_free_text_is_refused(
    client: Client, path: str, parameter: str
) -> None:
    response = client.get(path, {parameter: ""})

    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) == {parameter}


def test_empty_search_words_are_still_no_words(client: Client) -> None:
    assert client.get("/api/projects/", {"q": ""}).status_code == 200


def test_an_unknown_district_of_the_figures_is_unprocessable(client: Client) -> None:
    response = client.get("/api/impact/", {"district": "nowhere"})

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"district"}


def test_a_submission_key_that_is_a_number_not_a_uuid_string_is_refused(
    resident: User,
) -> None:
    response = token_client(resident).post(
        "/api/me/talent-offers/create/",
        {"category": "repairs", "description": "전등 수리", "submission_key": 5},
        format="json",
    )

    assert response.status_code == 400, response.json()
    assert set(response.json()["errors"]) == {"submission_key"}


def test_a_neighbourhood_id_of_no_neighbourhood_in_the_profile_is_unprocessable(
    resident: User,
) -> None:
    response = token_client(resident).put(
        "/api/me/profile/update/",
        {"neighbourhood": 999999, "birth_year": 1950, "household_type": "single_person"},
        format="json",
    )

    assert response.status_code == 422, response.json()
    assert set(response.json()["errors"]) == {"neighbourhood"}


def test_a_project_not_open_for_donations_is_unprocessable(resident: User) -> None:
    response = token_client(resident).post(
        "/api/me/pledges/create/",
        {"project": str(uuid.uuid4()), "kind": "money", "amount_won": 1000},
        format="json",
    )

    assert response.status_code == 422, response.json()


def test_the_consent_version_is_one_of_the_current_ones_in_the_document_and_the_server(
    client: Client, resident: User
) -> None:
    components = document(client)["components"]["schemas"]
    reference = components["ConsentGiveRequest"]["properties"]["text_version"]["$ref"]
    current = sorted({text.version for text in CONSENT_TEXTS.values()})
    api = token_client(resident)

    assert components[reference.rsplit("/", 1)[1]]["enum"] == current
    old = api.post(
        "/api/me/consents/give/", {"kind": "personal", "text_version": "2000-01"}, format="json"
    )
    assert old.status_code == 400
    given = api.post(
        "/api/me/consents/give/",
        {"kind": "notifications", "text_version": CONSENT_TEXTS["notifications"].version},
        format="json",
    )
    assert given.status_code in (200, 201), given.json()


def test_every_operation_that_can_refuse_a_request_documents_the_422_too(
    client: Client,
) -> None:
    for path, item in document(client)["paths"].items():
        for method, operation in item.items():
            if "400" in operation["responses"]:
                assert "422" in operation["responses"], f"{method} {path}"


def test_a_list_that_may_not_be_empty_says_so(client: Client) -> None:
    schema = document(client)["components"]["schemas"]["MyApplicationCreateRequest"]

    assert schema["properties"]["areas"]["minItems"] == 1


def test_a_closed_project_is_still_listed_by_its_filters(client: Client) -> None:
    ProjectFactory.create()

    assert client.get("/api/projects/", {"page": "1", "page_size": "1"}).status_code == 200


def test_an_order_the_list_does_not_offer_is_refused(client: Client) -> None:
    assert client.get("/api/neighbourhoods/", {"ordering": "AAA"}).status_code == 400
    assert client.get("/api/neighbourhoods/", {"ordering": "-name"}).status_code == 200


def test_a_number_for_a_text_field_is_refused(resident: User) -> None:
    response = token_client(resident).post(
        "/api/me/talent-offers/create/",
        {"category": "repairs", "description": "전등 수리", "availability": 0},
        format="json",
    )

    assert response.status_code == 400, response.json()
    assert set(response.json()["errors"]) == {"availability"}


def test_patching_a_profile_not_yet_filled_in_is_a_conflict() -> None:
    user = make_resident(neighbourhood=NeighbourhoodFactory.create())
    user.profile.delete()

    response = token_client(user).patch("/api/me/profile/update/", {}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "profile_missing"


@pytest.mark.parametrize(
    ("text", "allowed"), [("연락 기다림", True), ("\r", False), ("  ", False), ("a\x00b", False)]
)
def test_the_document_says_which_texts_the_server_refuses(
    client: Client, text: str, allowed: bool
) -> None:
    # DRF refuses NUL, and text blank once trimmed where blank is not allowed (a reason).
    components = document(client)["components"]["schemas"]
    reason = components["RejectRequest"]["properties"]["note"]
    optional = components["ApplicationWithdrawRequest"]["properties"]["reason"]

    assert bool(re.search(reason["pattern"], text)) is allowed
    assert bool(re.search(optional["pattern"], text)) is ("\x00" not in text)
