"""GET /api/impact/: the figures as JSON, what it refuses, and its OpenAPI description."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.generators import SchemaGenerator
from pytest_django import DjangoAssertNumQueries

from projects.models import Area
from tests.factories import DistrictFactory, NeighbourhoodFactory

from .helpers import SEAM_QUERIES, apply, resident, this_year

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

KEYS = {
    "participants",
    "participants_growth",
    "projects",
    "projects_change_pct",
    "applications",
    "connections",
    "connection_rate",
    "visitors",
    "survey",
    "by_area",
    "by_neighbourhood",
}


def test_the_figures_come_with_exactly_the_agreed_keys(client: Client) -> None:
    home = NeighbourhoodFactory.create()
    for _ in range(6):
        apply(resident(home), Area.HEALTH)
    start, end = this_year()

    response = client.get("/api/impact/", {"from": start.isoformat(), "to": end.isoformat()})

    assert response.status_code == 200
    data = response.json()
    assert set(data) == KEYS
    assert (data["participants"], data["applications"], data["connections"]) == (6, 6, 0)
    assert data["connection_rate"] == 0.0
    assert data["participants_growth"] is None
    assert set(data["survey"]) == {"awareness", "convenience", "benefit", "trust", "contribution"}
    health = next(row for row in data["by_area"] if row["area"] == Area.HEALTH)
    assert (health["applications"], health["connections"]) == (6, 0)
    assert data["by_neighbourhood"] == [
        {
            "code": home.code,
            "name": home.name,
            "participants": 6,
            "applications": 6,
            "connections": 0,
            "connection_rate": 0.0,
        }
    ]


def test_small_groups_are_null_in_the_breakdowns(client: Client) -> None:
    home = NeighbourhoodFactory.create()
    small = NeighbourhoodFactory.create(district=home.district)
    for _ in range(5):
        apply(resident(home))
    apply(resident(small))
    start, end = this_year()

    data = client.get(
        "/api/impact/",
        {"from": start.isoformat(), "to": end.isoformat(), "district": home.district.code},
    ).json()

    rows = {row["code"]: row for row in data["by_neighbourhood"]}
    assert rows[small.code]["applications"] is None
    assert rows[small.code]["connection_rate"] is None
    assert rows[home.code]["applications"] == 5
    assert data["applications"] == 6  # the district's total is not a small group


def test_without_a_period_the_figures_are_the_last_complete_years_as_on_the_page(
    client: Client,
) -> None:
    from impact.periods import default_period

    period = default_period()
    asked = {"from": period.start.isoformat(), "to": period.end.isoformat()}

    response = client.get("/api/impact/")

    assert response.status_code == 200
    assert response.json() == client.get("/api/impact/", asked).json()
    assert (period.start.month, period.start.day, period.end.month, period.end.day) == (
        1,
        1,
        12,
        31,
    )


@pytest.mark.parametrize(
    ("query", "field", "status"),
    [
        # Well-formed days, an impossible period or an unknown district: 422.
        ({"from": "2025-12-01", "to": "2025-01-01"}, "non_field_errors", 422),
        ({"from": "2025-13-01", "to": "2025-12-31"}, "from", 400),
        ({"from": "2025-01-01", "to": "31/12/2025"}, "to", 400),
        ({"to": "2025-12-31"}, "from", 422),
        ({"from": "2025-01-01"}, "to", 422),
        ({"from": "2025-01-01", "to": "2025-12-31", "district": "nowhere"}, "district", 422),
        ({"from": "1990-01-01", "to": "2025-12-31"}, "non_field_errors", 422),
    ],
)
def test_bad_input_is_a_400_naming_what_is_wrong(
    client: Client, query: dict[str, str], field: str, status: int
) -> None:
    response = client.get("/api/impact/", query)

    assert response.status_code == status
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_400_is_in_the_requesters_language(client: Client, language: str) -> None:
    response = client.get(
        "/api/impact/",
        {"from": "2025-12-01", "to": "2025-01-01"},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    with translation.override(language):
        # Korean once the catalog is compiled: "종료일이 시작일보다 앞에 있습니다."
        expected = gettext("The last day comes before the first day.")
    assert response.json()["errors"] == {"non_field_errors": [expected]}
    assert response.json()["errors"]["non_field_errors"] == (
        ["종료일이 시작일보다 앞에 있습니다."] if language == "ko" else [expected]
    )


def test_the_figures_are_public_and_read_only(client: Client) -> None:
    period = {"from": "2025-01-01", "to": "2025-12-31"}

    assert client.get("/api/impact/", period).status_code == 200
    assert client.post("/api/impact/", period).status_code == 405
    assert client.delete("/api/impact/").status_code == 405


def test_the_figures_of_a_district_cost_a_few_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    district = DistrictFactory.create()
    for _ in range(4):
        NeighbourhoodFactory.create(district=district)

    with django_assert_max_num_queries(5 + SEAM_QUERIES):
        response = client.get(
            "/api/impact/", {"from": "2025-01-01", "to": "2025-12-31", "district": district.code}
        )

    assert len(response.json()["by_neighbourhood"]) == 4


def test_the_openapi_document_describes_the_figures() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"]["/api/impact/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to", "district"}
    # Neither day given: the last complete year.
    assert not [p["name"] for p in operation["parameters"] if p.get("required")]
    assert "400" in operation["responses"]
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(component["properties"]) == KEYS
    assert component["properties"]["connection_rate"]["description"]
