"""The donor's pledges and receipts in the API: pledged with the website's rules, sent twice
and made once, shown to their owner only."""

import uuid
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from donations.models import DonationPledge
from donations.services import pledge_mark_received
from projects.models import Project
from residents.models import User
from tests.api.clients import error_fields, token_client
from tests.donations.factories import GoodsPledgeFactory, MoneyPledgeFactory
from tests.residents.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

PLEDGES = "/api/me/pledges/"
CREATE = "/api/me/pledges/create/"
RECEIPTS = "/api/me/receipts/"


@pytest.fixture
def donor() -> User:
    return UserFactory.create(first_name="나눔", last_name="김")


@pytest.fixture
def client(donor: User) -> APIClient:
    return token_client(donor)


@pytest.fixture
def project() -> Project:
    return ProjectFactory.create(status=Project.Status.OPEN)


def money(project: Project, **fields: Any) -> dict[str, Any]:
    return {"project": str(project.public_id), "kind": "money", "amount_won": 30000, **fields}


def received_with_receipt(donor: User, project: Project) -> DonationPledge:
    pledge = MoneyPledgeFactory.create(donor=donor, project=project)
    return pledge_mark_received(pledge=pledge)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", PLEDGES),
        ("post", CREATE),
        ("get", f"{PLEDGES}1/"),
        ("get", RECEIPTS),
        ("get", f"{RECEIPTS}1/"),
    ],
)
def test_every_door_asks_an_anonymous_caller_to_log_in(
    api_client: APIClient, method: str, url: str
) -> None:
    assert getattr(api_client, method)(url, {}, format="json").status_code == 401


def test_a_resident_pledges_money_to_an_open_project(
    client: APIClient, donor: User, project: Project
) -> None:
    response = client.post(CREATE, money(project, anonymous=True), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    pledge = DonationPledge.objects.get(donor=donor)
    assert body["id"] == pledge.pk
    assert body["project"] == {"id": str(project.public_id), "title": project.title}
    assert body["amount_won"] == 30000
    assert body["anonymous"] is True
    assert body["status"] == "pledged"
    assert body["receipt"] is None


def test_goods_need_a_description_and_a_quantity_and_no_amount(
    client: APIClient, project: Project
) -> None:
    response = client.post(
        CREATE,
        {"project": str(project.public_id), "kind": "goods", "amount_won": 5},
        format="json",
    )

    assert response.status_code == 400
    assert error_fields(response.json()) == {"goods_description", "goods_quantity", "amount_won"}
    assert not DonationPledge.objects.exists()


def test_a_pledge_of_goods_is_recorded(client: APIClient, project: Project) -> None:
    response = client.post(
        CREATE,
        {
            "project": str(project.public_id),
            "kind": "goods",
            "goods_description": "쌀 10kg",
            "goods_quantity": 2,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["goods_quantity"] == 2
    assert response.json()["amount_won"] is None


@pytest.mark.parametrize("amount", [0, -5, 1.5, "many", 10_000_000_001])
def test_an_amount_that_is_not_whole_positive_won_is_refused(
    client: APIClient, project: Project, amount: object
) -> None:
    response = client.post(CREATE, money(project, amount_won=amount), format="json")

    assert response.status_code == 400
    assert error_fields(response.json()) == {"amount_won"}


@pytest.mark.parametrize("status", [Project.Status.DRAFT, Project.Status.CLOSED])
def test_a_project_not_open_takes_no_pledge(client: APIClient, status: str) -> None:
    project = ProjectFactory.create(status=status)

    response = client.post(CREATE, money(project), format="json")

    assert response.status_code == 422
    assert error_fields(response.json()) == {"project"}


def test_the_same_submission_key_twice_makes_one_pledge(
    client: APIClient, donor: User, project: Project
) -> None:
    data = money(project, submission_key=str(uuid.uuid4()))

    first = client.post(CREATE, data, format="json")
    again = client.post(CREATE, data, format="json")

    assert first.json()["id"] == again.json()["id"]
    assert DonationPledge.objects.filter(donor=donor).count() == 1


def test_another_donors_submission_key_is_refused(client: APIClient, project: Project) -> None:
    key = uuid.uuid4()
    MoneyPledgeFactory.create(submission_key=key)

    response = client.post(CREATE, money(project, submission_key=str(key)), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "used_form"


def test_a_received_money_pledge_names_its_receipt(
    client: APIClient, donor: User, project: Project
) -> None:
    pledge = received_with_receipt(donor, project)

    body = client.get(f"{PLEDGES}{pledge.pk}/").json()

    assert body["status"] == "received"
    assert body["receipt"] == {"id": pledge.receipt.pk, "number": pledge.receipt.number}


def test_a_receipt_shows_what_the_tax_office_needs(
    client: APIClient, donor: User, project: Project
) -> None:
    receipt = received_with_receipt(donor, project).receipt

    body = client.get(f"{RECEIPTS}{receipt.pk}/").json()

    assert body["number"] == receipt.number
    assert body["amount_won"] == 50_000
    assert body["donor_name"] == receipt.donor_name
    assert body["organisation_name"] == project.organisation.name
    assert body["issued_on"] == receipt.issued_on.isoformat()
    assert body["project"]["id"] == str(project.public_id)


def test_another_donors_pledges_and_receipts_are_not_found(
    client: APIClient, project: Project
) -> None:
    theirs = received_with_receipt(UserFactory.create(), project)

    assert client.get(f"{PLEDGES}{theirs.pk}/").status_code == 404
    assert client.get(f"{RECEIPTS}{theirs.receipt.pk}/").status_code == 404
    assert client.get(PLEDGES).json()["results"] == []
    assert client.get(RECEIPTS).json()["results"] == []


def test_the_pledge_list_keeps_the_kinds_and_statuses_asked_for(
    client: APIClient, donor: User
) -> None:
    goods = GoodsPledgeFactory.create(donor=donor)
    MoneyPledgeFactory.create(donor=donor)

    rows = client.get(PLEDGES, {"kind": "goods", "status": "pledged"}).json()["results"]

    assert [row["id"] for row in rows] == [goods.pk]


def test_the_pledge_and_receipt_lists_cost_the_same_few_queries_however_long_they_are(
    client: APIClient,
    donor: User,
    project: Project,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(25):
        received_with_receipt(donor, project)

    with django_assert_max_num_queries(3):
        pledges = client.get(PLEDGES, {"page_size": "20", "ordering": "-amount_won"})
    with django_assert_max_num_queries(3):
        receipts = client.get(RECEIPTS, {"page_size": 20})

    assert len(pledges.json()["results"]) == len(receipts.json()["results"]) == 20
