"""The resident's talent offers in the API: offered with the website's rules, sent twice and
made once, shown to their owner only, taken back."""

import uuid
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from projects.models import Area, Project
from residents.models import User
from talents.models import TalentOffer
from talents.services import talent_offer_attach
from tests.api.clients import error_fields, token_client
from tests.residents.factories import (
    NeighbourhoodFactory,
    ProjectFactory,
    ResidentProfileFactory,
    UserFactory,
)
from tests.talents.factories import TalentOfferFactory

pytestmark = pytest.mark.django_db

OFFERS = "/api/me/talent-offers/"
CREATE = "/api/me/talent-offers/create/"


def an_offer(**fields: Any) -> dict[str, Any]:
    return {"category": "repairs", "description": "전등을 고쳐 드립니다.", **fields}


@pytest.fixture
def resident() -> User:
    return ResidentProfileFactory.create().user


@pytest.fixture
def client(resident: User) -> APIClient:
    return token_client(resident)


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", OFFERS), ("post", CREATE), ("get", f"{OFFERS}1/"), ("post", f"{OFFERS}1/withdraw/")],
)
def test_every_door_asks_an_anonymous_caller_to_log_in(
    api_client: APIClient, method: str, url: str
) -> None:
    assert getattr(api_client, method)(url, {}, format="json").status_code == 401


def test_a_resident_offers_a_talent_in_neighbourhoods_of_their_district(
    client: APIClient, resident: User
) -> None:
    home = resident.profile.neighbourhood

    response = client.post(
        CREATE, an_offer(neighbourhoods=[home.pk], availability="평일 오전"), format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    offer = TalentOffer.objects.get(resident=resident)
    assert body["id"] == offer.pk
    assert body["status"] == "offered"
    assert body["neighbourhoods"] == [{"id": home.pk, "name": home.name, "name_en": home.name_en}]
    assert body["availability"] == "평일 오전"
    assert body["project"] is None


def test_logging_in_is_enough_to_offer_a_talent_anywhere() -> None:
    response = token_client(UserFactory.create()).post(CREATE, an_offer(), format="json")

    assert response.status_code == 201
    assert response.json()["neighbourhoods"] == []


def test_a_neighbourhood_of_another_district_is_refused(client: APIClient) -> None:
    elsewhere = NeighbourhoodFactory.create()

    response = client.post(CREATE, an_offer(neighbourhoods=[elsewhere.pk]), format="json")

    assert response.status_code == 422
    assert error_fields(response.json()) == {"neighbourhoods"}


def test_missing_answers_are_named(client: APIClient) -> None:
    response = client.post(CREATE, {"category": "magic", "availability": "x" * 201}, format="json")

    assert response.status_code == 400
    assert error_fields(response.json()) == {"category", "description", "availability"}


def test_the_same_submission_key_twice_makes_one_offer(client: APIClient, resident: User) -> None:
    data = an_offer(submission_key=str(uuid.uuid4()))

    first = client.post(CREATE, data, format="json")
    again = client.post(CREATE, data, format="json")

    assert first.json()["id"] == again.json()["id"]
    assert TalentOffer.objects.filter(resident=resident).count() == 1


def test_another_residents_offer_is_not_found(client: APIClient) -> None:
    theirs = TalentOfferFactory.create()

    assert client.get(f"{OFFERS}{theirs.pk}/").status_code == 404
    assert client.post(f"{OFFERS}{theirs.pk}/withdraw/", format="json").status_code == 404
    assert client.get(OFFERS).json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.status == TalentOffer.Status.OFFERED


def test_an_offer_shows_the_project_the_district_attached_it_to(
    client: APIClient, resident: User
) -> None:
    offer = TalentOfferFactory.create(resident=resident)
    project = ProjectFactory.create(area=Area.TALENT, status=Project.Status.OPEN)
    talent_offer_attach(offer=offer, project=project)

    body = client.get(f"{OFFERS}{offer.pk}/").json()

    assert body["status"] == "active"
    assert body["project"] == {"id": str(project.public_id), "title": project.title}


def test_taking_an_offer_back_twice_is_harmless(client: APIClient, resident: User) -> None:
    offer = TalentOfferFactory.create(resident=resident)

    first = client.post(f"{OFFERS}{offer.pk}/withdraw/", format="json")
    again = client.post(f"{OFFERS}{offer.pk}/withdraw/", format="json")

    assert first.status_code == again.status_code == 200
    assert again.json()["status"] == "withdrawn"


def test_the_list_keeps_the_statuses_asked_for(client: APIClient, resident: User) -> None:
    offered = TalentOfferFactory.create(resident=resident)
    TalentOfferFactory.create(resident=resident, status=TalentOffer.Status.WITHDRAWN)

    rows = client.get(OFFERS, {"status": "offered"}).json()["results"]

    assert [row["id"] for row in rows] == [offered.pk]


def test_the_offer_list_costs_the_same_few_queries_however_long_it_is(
    client: APIClient, resident: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    home = resident.profile.neighbourhood
    project = ProjectFactory.create(area=Area.TALENT)
    for _ in range(25):
        TalentOfferFactory.create(resident=resident, neighbourhoods=[home], project=project)

    # The token, the count, the page, its neighbourhoods.
    with django_assert_max_num_queries(4):
        response = client.get(OFFERS, {"page_size": "20", "ordering": "-created_at"})

    assert len(response.json()["results"]) == 20
