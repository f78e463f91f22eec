"""The Open Referral HSDS 3.1 feed: public projects as services, validated against the
specification's ``service`` schema (tests/projects/fixtures/hsds/service.json)."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from projects import hsds
from projects.models import Area, Project

from .factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    ProjectFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "fixtures/hsds/service.json").read_text())
SERVICE = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
ORGANIZATION = Draft202012Validator(
    {"$ref": "#/$defs/organization", "$defs": SCHEMA["$defs"]},
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)


def assert_valid_service(service: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in SERVICE.iter_errors(service)]
    assert errors == []
    # jsonschema checks date-time formats only with an extra package: parse them here.
    dt.datetime.fromisoformat(service["last_modified"])
    for capacity in service["capacities"]:
        dt.datetime.fromisoformat(capacity["updated"])


def services(client: Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/hsds/services", params)
    assert response.status_code == 200, response.content
    return response.json()["contents"]  # type: ignore[no-any-return]


def service_of(client: Client, project: Project) -> dict[str, Any]:
    response = client.get(f"/api/hsds/services/{project.public_id}")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_fixture_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_catches_a_misspelt_field_or_a_wrong_status() -> None:
    ok = {"id": "6f1c3c1e-5d0b-4a8e-9a57-2f0d7c4b9e10", "name": "x", "status": "active"}

    assert SERVICE.is_valid(ok)
    assert not SERVICE.is_valid({**ok, "capacity": []})
    assert not SERVICE.is_valid({**ok, "status": "open"})
    assert not SERVICE.is_valid({**ok, "id": "12"})


def test_every_kind_of_project_is_a_valid_hsds_service(client: Client) -> None:
    district = DistrictFactory.create()
    dongs = NeighbourhoodFactory.create_batch(2, district=district)
    ProjectFactory.create(district=district, neighbourhoods=dongs, min_age=65, max_age=120)
    ProjectFactory.create(district=district, whole_district=True, status=Project.Status.PAUSED)
    ProjectFactory.create(
        district=district,
        status=Project.Status.CLOSED,
        description="",
        contact_email="care@example.org",
        eligibility_note="혼자 사시는 어르신",
        target_groups=TargetGroupFactory.create_batch(2),
        apply_by=None,
    )
    ProjectFactory.create(
        district=district,
        organisation=OrganisationFactory.create(
            district=district, phone="", email="", website="https://example.org", description=""
        ),
        contact_phone="",
    )

    listed = services(client)

    assert len(listed) == 4
    for service in listed:
        assert_valid_service(service)


def test_a_service_is_the_projects_public_facts(client: Client) -> None:
    dong = NeighbourhoodFactory.create(name="면목본동", code="myeonmok-bon")
    project = ProjectFactory.create(
        title="반찬 나눔", neighbourhoods=[dong], capacity=20, places_taken=5, min_age=65
    )

    service = service_of(client, project)

    assert service["id"] == str(project.public_id)
    assert service["name"] == "반찬 나눔"
    assert service["status"] == "active"
    assert service["organization_id"] == str(project.organisation.public_id)
    assert service["organization"]["id"] == service["organization_id"]
    assert service["minimum_age"] == 65
    assert "maximum_age" not in service
    assert service["url"] == f"http://testserver/projects/{project.pk}/"
    assert service["url"] in service["application_process"]
    assert [area["name"] for area in service["service_areas"]] == ["면목본동"]
    [capacity] = service["capacities"]
    assert (capacity["available"], capacity["maximum"]) == (15, 20)
    assert capacity["unit"]["id"] == hsds.PLACE_UNIT_ID


def test_a_project_for_the_whole_district_has_the_district_as_its_one_area(
    client: Client,
) -> None:
    district = DistrictFactory.create(name="중랑구")
    project = ProjectFactory.create(
        district=district,
        whole_district=True,
        neighbourhoods=[NeighbourhoodFactory.create(district=district)],
    )

    assert [area["name"] for area in service_of(client, project)["service_areas"]] == ["중랑구"]


@pytest.mark.parametrize(
    ("status", "hsds_status"),
    [
        (Project.Status.OPEN, "active"),
        (Project.Status.PAUSED, "temporarily closed"),
        (Project.Status.CLOSED, "defunct"),
    ],
)
def test_a_projects_status_becomes_the_services_status(
    client: Client, status: str, hsds_status: str
) -> None:
    project = ProjectFactory.create(status=status)

    assert service_of(client, project)["status"] == hsds_status


def test_the_area_is_an_attribute_with_a_term_of_the_areas_taxonomy(client: Client) -> None:
    project = ProjectFactory.create(area=Area.HEALTH)

    [attribute] = service_of(client, project)["attributes"]

    assert attribute["link_id"] == str(project.public_id)
    assert attribute["link_entity"] == "service"
    assert attribute["taxonomy_term_id"] == hsds.area_term_id("health")
    assert attribute["taxonomy_term"]["code"] == "health"
    assert attribute["taxonomy_term"]["taxonomy_detail"]["id"] == hsds.AREA_TAXONOMY_ID


def test_every_id_stays_the_same_from_one_request_to_the_next(client: Client) -> None:
    project = ProjectFactory.create(neighbourhoods=[NeighbourhoodFactory.create()])

    first, second = service_of(client, project), service_of(client, project)

    assert first == second
    nested_ids = [
        first["service_areas"][0]["id"],
        first["capacities"][0]["id"],
        first["attributes"][0]["id"],
        first["phones"][0]["id"],
    ]
    assert len(set(nested_ids)) == len(nested_ids)


def test_the_ids_of_terms_and_units_do_not_depend_on_the_database() -> None:
    # Directories that imported them before keep matching them.
    assert hsds.area_term_id("health") == hsds.stable_id("taxonomy_term", "area", "health")
    assert hsds.area_for_term_id(hsds.area_term_id("education")) == "education"
    assert hsds.area_for_term_id(hsds.PLACE_UNIT_ID) is None


def test_the_root_names_the_version_the_profile_and_the_openapi_document(
    client: Client,
) -> None:
    body = client.get("/api/hsds/").json()

    assert body["version"] == "3.1"
    assert body["profile"] == hsds.HSDS_PROFILE
    assert body["openapi_url"] == "http://testserver/api/schema/?format=json"
    assert client.get(body["openapi_url"]).json()["openapi"].startswith("3.")


def test_the_list_has_hsds_pages(client: Client) -> None:
    ProjectFactory.create_batch(3)

    first = client.get("/api/hsds/services", {"per_page": 2}).json()
    second = client.get("/api/hsds/services", {"per_page": 2, "page": 2}).json()

    assert {k: v for k, v in first.items() if k != "contents"} == {
        "total_items": 3,
        "total_pages": 2,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert (second["page_number"], second["size"], second["first_page"]) == (2, 1, False)
    assert second["last_page"] is True
    assert {s["id"] for s in first["contents"] + second["contents"]} == {
        str(p.public_id) for p in Project.objects.all()
    }


def test_an_empty_feed_says_so(client: Client) -> None:
    body = client.get("/api/hsds/services").json()

    assert body["empty"] is True
    assert (body["total_items"], body["size"], body["contents"]) == (0, 0, [])


def test_the_feed_filters_by_organisation_area_words_and_change_date(client: Client) -> None:
    org = OrganisationFactory.create()
    mine = ProjectFactory.create(organisation=org, district=org.district, title="건강 체조")
    other = ProjectFactory.create(area=Area.HEALTH)
    Project.objects.filter(pk=other.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    def ids(**params: Any) -> set[str]:
        return {s["id"] for s in services(client, **params)}

    assert ids(organization_id=org.public_id) == {str(mine.public_id)}
    assert ids(taxonomy_term_id=hsds.area_term_id("health")) == {str(other.public_id)}
    assert ids(taxonomy_term_id=hsds.PLACE_UNIT_ID) == set()
    assert ids(search="체조") == {str(mine.public_id)}
    assert ids(modified_after="2025-01-01T00:00:00Z") == {str(mine.public_id)}


def test_a_wrong_filter_is_a_400_in_the_apis_error_shape(client: Client) -> None:
    response = client.get("/api/hsds/services", {"modified_after": "yesterday"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == ["modified_after"]


def test_organisations_are_those_with_a_public_project_and_valid_hsds(client: Client) -> None:
    public = ProjectFactory.create().organisation
    drafts_only = ProjectFactory.create(status=Project.Status.DRAFT).organisation

    listed = client.get("/api/hsds/organizations").json()["contents"]
    detail = client.get(f"/api/hsds/organizations/{public.public_id}")

    assert [org["id"] for org in listed] == [str(public.public_id)]
    assert detail.status_code == 200
    assert list(ORGANIZATION.iter_errors(detail.json())) == []
    assert list(ORGANIZATION.iter_errors(listed[0])) == []
    assert client.get(f"/api/hsds/organizations/{drafts_only.public_id}").status_code == 404


@pytest.mark.parametrize(
    ("when", "status"),
    [
        # An offset the database refuses, but a moment it can hold once in UTC.
        ("0543-06-23T20:03:02+19:08", 200),
        # Moments before year 1 or after 9999 once in UTC.
        ("0001-01-01T00:00:00+05:00", 400),
        ("9999-12-31T23:00:00-05:00", 400),
    ],
)
def test_a_change_date_the_database_cannot_hold_is_a_400_not_a_500(
    client: Client, when: str, status: int
) -> None:
    ProjectFactory.create()

    response = client.get("/api/hsds/services", {"modified_after": when})

    assert response.status_code == status
    if status == 400:
        assert list(response.json()["errors"]) == ["modified_after"]
