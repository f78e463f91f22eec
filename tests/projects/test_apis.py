"""The public API of projects, areas and neighbourhoods: anyone may read, nobody may write,
drafts never show, and every list costs the same few queries however long it is. And the
staff's doors: district staff register and change their own district's projects."""

from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from projects.models import Area, District, Organisation, Project, StaffMember
from residents.services import auth_token_issue
from tests.factories import StaffMemberFactory

from .factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    ProjectFactory,
    TargetGroupFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROJECTS = "/api/projects/"


def ids(client: Client, **params: Any) -> list[str]:
    response = client.get(PROJECTS, params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def detail_url(project: Project) -> str:
    return f"{PROJECTS}{project.public_id}/"


# --- Who may do what ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", [PROJECTS, "/api/areas/", "/api/neighbourhoods/", "/api/hsds/services"]
)
def test_public_lists_are_readable_without_logging_in(client: Client, url: str) -> None:
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", [PROJECTS, "/api/areas/", "/api/neighbourhoods/"])
def test_nobody_can_write_through_the_public_doors(
    api_client: APIClient, url: str, method: str
) -> None:
    response = getattr(api_client, method)(url, {}, format="json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_nor_change_a_project_through_its_public_page(api_client: APIClient) -> None:
    project = ProjectFactory.create()

    for method in ("put", "patch", "delete"):
        response = getattr(api_client, method)(detail_url(project), {}, format="json")
        assert response.status_code == 405
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN


# --- What a project shows -----------------------------------------------------------------


def test_a_project_shows_its_public_facts_and_nothing_else(client: Client) -> None:
    group = TargetGroupFactory.create(code="elderly-alone", name="홀몸 어르신")
    dong = NeighbourhoodFactory.create(name="면목본동", code="myeonmok-bon")
    project = ProjectFactory.create(
        title="반찬 나눔",
        neighbourhoods=[dong],
        target_groups=[group],
        min_age=65,
        capacity=20,
        places_taken=5,
        contact_phone="",
    )

    body = client.get(detail_url(project), HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["id"] == str(project.public_id)
    assert body["title"] == "반찬 나눔"
    assert body["area"] == "network"
    assert body["area_label"] == "Neighbour networks"
    assert body["status"] == "open"
    assert body["places_left"] == 15
    assert body["min_age"] == 65
    assert body["max_age"] is None
    assert body["organisation"]["id"] == str(project.organisation.public_id)
    assert body["contact_phone"] == project.organisation.phone  # as the project page
    assert body["neighbourhoods"] == [
        {"id": dong.pk, "code": "myeonmok-bon", "name": "면목본동", "name_en": dong.name_en}
    ]
    assert [g["code"] for g in body["target_groups"]] == ["elderly-alone"]
    assert body["url"] == f"http://testserver/projects/{project.pk}/"
    assert "places_taken" not in body
    assert "district" not in body


def test_labels_follow_the_requesters_language(client: Client) -> None:
    project = ProjectFactory.create()

    english = client.get(detail_url(project), HTTP_ACCEPT_LANGUAGE="en").json()
    korean = client.get(detail_url(project), HTTP_ACCEPT_LANGUAGE="ko").json()

    assert english["area_label"] == "Neighbour networks"
    assert korean["area_label"] != english["area_label"]
    assert korean["area"] == english["area"] == "network"


def test_a_draft_never_appears_in_any_list_or_by_its_id(client: Client) -> None:
    draft = ProjectFactory.create(title="초안 사업", status=Project.Status.DRAFT)
    shown = ProjectFactory.create()

    assert ids(client) == [str(shown.public_id)]
    assert ids(client, q="초안") == []
    assert ids(client, status="open") == [str(shown.public_id)]
    response = client.get(detail_url(draft))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    hsds = client.get("/api/hsds/services").json()["contents"]
    assert [service["id"] for service in hsds] == [str(shown.public_id)]
    assert client.get(f"/api/hsds/services/{draft.public_id}").status_code == 404


def test_asking_for_the_draft_status_is_refused_not_answered(client: Client) -> None:
    ProjectFactory.create(status=Project.Status.DRAFT)

    response = client.get(PROJECTS, {"status": "draft"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == ["status"]


# --- Filters, ordering, pages -------------------------------------------------------------


def test_every_public_status_is_listed_unless_some_are_asked_for(client: Client) -> None:
    open_ = ProjectFactory.create(status=Project.Status.OPEN)
    paused = ProjectFactory.create(status=Project.Status.PAUSED)
    closed = ProjectFactory.create(status=Project.Status.CLOSED)

    assert set(ids(client)) == {str(p.public_id) for p in (open_, paused, closed)}
    assert ids(client, status="paused") == [str(paused.public_id)]
    assert set(ids(client, status=["open", "closed"])) == {
        str(open_.public_id),
        str(closed.public_id),
    }


def test_the_list_filters_by_area_neighbourhood_target_group_and_words(client: Client) -> None:
    district = DistrictFactory.create()
    dong, other_dong = NeighbourhoodFactory.create_batch(2, district=district)
    elderly, children = TargetGroupFactory.create_batch(2)
    health = ProjectFactory.create(
        district=district, area=Area.HEALTH, title="건강 체조", neighbourhoods=[dong]
    )
    everywhere = ProjectFactory.create(district=district, whole_district=True, title="도시락")
    for_children = ProjectFactory.create(
        district=district, neighbourhoods=[other_dong], target_groups=[children]
    )
    for_elderly = ProjectFactory.create(
        district=district, neighbourhoods=[other_dong], target_groups=[elderly]
    )

    assert ids(client, area="health") == [str(health.public_id)]
    assert set(ids(client, neighbourhood=dong.pk)) == {
        str(health.public_id),
        str(everywhere.public_id),
    }
    # A project naming no group is for everyone.
    assert str(for_children.public_id) not in ids(client, target_group=elderly.pk)
    assert str(for_elderly.public_id) in ids(client, target_group=elderly.pk)
    assert str(health.public_id) in ids(client, target_group=elderly.pk)
    assert ids(client, q="체조 건강") == [str(health.public_id)]


@pytest.mark.parametrize(
    ("params", "field", "status"),
    [
        ({"area": "cooking"}, "area", 400),
        # An id of no row: well formed, so 422; not an id at all: 400.
        ({"neighbourhood": "99999"}, "neighbourhood", 422),
        ({"neighbourhood": "abc"}, "neighbourhood", 400),
        ({"target_group": "99999"}, "target_group", 422),
        ({"q": "x" * 101}, "q", 400),
        ({"q": "nul\x00"}, "q", 400),
    ],
)
def test_a_wrong_filter_is_a_400_naming_the_field(
    client: Client, params: dict[str, str], field: str, status: int
) -> None:
    response = client.get(PROJECTS, params)

    assert response.status_code == status
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == [field]


def test_the_list_orders_by_the_fields_it_names_and_refuses_others(client: Client) -> None:
    b = ProjectFactory.create(title="나")
    a = ProjectFactory.create(title="가")
    c = ProjectFactory.create(title="다")

    assert ids(client, ordering="title") == [str(p.public_id) for p in (a, b, c)]
    assert ids(client, ordering="-title") == [str(p.public_id) for p in (c, b, a)]
    refused = client.get(PROJECTS, {"ordering": "contact_email"})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["ordering"]


def test_pages_hold_every_project_once_even_when_the_order_ties(client: Client) -> None:
    projects = ProjectFactory.create_batch(7, title="같은 이름")

    seen = []
    for page in (1, 2, 3, 4):
        seen += ids(client, ordering="title", page_size=2, page=page)

    assert sorted(seen) == sorted(str(p.public_id) for p in projects)


def test_pages_say_how_many_there_are_and_refuse_one_past_the_end(client: Client) -> None:
    ProjectFactory.create_batch(3)

    first = client.get(PROJECTS, {"page_size": 2}).json()
    past = client.get(PROJECTS, {"page_size": 2, "page": 3})

    assert first["count"] == 3
    assert first["next"].endswith("page=2&page_size=2")
    assert first["previous"] is None
    assert past.status_code == 404
    assert past.json()["code"] == "not_found"


def test_a_page_never_holds_more_than_a_hundred(client: Client) -> None:
    ProjectFactory.create_batch(3)

    assert client.get(PROJECTS, {"page_size": 100}).json()["count"] == 3
    # The document says 1 to 100: more, or not a number, is refused rather than cut down.
    assert client.get(PROJECTS, {"page_size": 100000}).status_code == 400
    assert client.get(PROJECTS, {"page_size": "lots"}).status_code == 400


# --- ETags --------------------------------------------------------------------------------


def test_an_unchanged_list_is_answered_with_304(client: Client) -> None:
    project = ProjectFactory.create()
    etag = client.get(PROJECTS)["ETag"]

    unchanged = client.get(PROJECTS, HTTP_IF_NONE_MATCH=etag)
    project.title = "새 이름"
    project.save()
    changed = client.get(PROJECTS, HTTP_IF_NONE_MATCH=etag)

    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag
    assert unchanged.content == b""
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_etag_changes_when_a_project_leaves_the_list_or_the_question_changes(
    client: Client,
) -> None:
    ProjectFactory.create()
    leaving = ProjectFactory.create()
    etag = client.get(PROJECTS)["ETag"]

    assert client.get(PROJECTS, {"area": "health"})["ETag"] != etag
    assert client.get(PROJECTS, HTTP_ACCEPT_LANGUAGE="en")["ETag"] != etag
    Project.objects.filter(pk=leaving.pk).update(status=Project.Status.DRAFT)
    assert client.get(PROJECTS, HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/areas/", "/api/neighbourhoods/", "/api/hsds/services", "/api/hsds/organizations"]
)
def test_every_public_list_has_an_etag_and_honours_it(client: Client, url: str) -> None:
    ProjectFactory.create(neighbourhoods=[NeighbourhoodFactory.create()])
    etag = client.get(url)["ETag"]

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


# --- Areas and neighbourhoods -------------------------------------------------------------


def test_the_five_areas_are_listed_with_labels_in_the_requesters_language(
    client: Client,
) -> None:
    body = client.get("/api/areas/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert body == [{"code": area.value, "label": str(area.label)} for area in Area]
    assert [row["code"] for row in body] == [
        "donation",
        "network",
        "talent",
        "health",
        "education",
    ]


def test_neighbourhoods_are_listed_with_their_district_and_filter_by_it(client: Client) -> None:
    jungnang = DistrictFactory.create(code="jungnang", name="중랑구")
    nowon = DistrictFactory.create(code="nowon", name="노원구")
    myeonmok = NeighbourhoodFactory.create(district=jungnang, name="면목본동")
    NeighbourhoodFactory.create(district=nowon, name="상계1동")

    everyone = client.get("/api/neighbourhoods/").json()
    only = client.get("/api/neighbourhoods/", {"district": "jungnang"}).json()

    assert everyone["count"] == 2
    assert only["results"] == [
        {
            "id": myeonmok.pk,
            "code": myeonmok.code,
            "name": "면목본동",
            "name_en": myeonmok.name_en,
            "district": {"code": "jungnang", "name": "중랑구", "name_en": jungnang.name_en},
        }
    ]


# --- Query budgets ------------------------------------------------------------------------


def _many_projects(count: int) -> None:
    district = DistrictFactory.create()
    dongs = NeighbourhoodFactory.create_batch(3, district=district)
    groups = TargetGroupFactory.create_batch(2)
    for _ in range(count):
        ProjectFactory.create(district=district, neighbourhoods=dongs, target_groups=groups)


@pytest.mark.parametrize(
    ("url", "params", "budget"),
    [
        # ETag aggregate, count, the page, neighbourhoods, target groups.
        (PROJECTS, {}, 5),
        # ...and the chosen neighbourhood and target group, looked up to validate them.
        (PROJECTS, {"neighbourhood": "first", "target_group": "first", "q": "나눔"}, 7),
        ("/api/areas/", {}, 0),
        ("/api/neighbourhoods/", {}, 3),
        ("/api/hsds/services", {}, 5),
        ("/api/hsds/organizations", {}, 3),
    ],
)
def test_every_public_list_costs_a_fixed_number_of_queries(
    client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    url: str,
    params: dict[str, Any],
    budget: int,
) -> None:
    _many_projects(25)
    if params.get("neighbourhood") == "first":
        project = Project.objects.first()
        assert project is not None
        params = {
            **params,
            "neighbourhood": str(project.neighbourhoods.first().pk),  # type: ignore[union-attr]
            "target_group": str(project.target_groups.first().pk),  # type: ignore[union-attr]
        }

    with django_assert_max_num_queries(budget):
        response = client.get(url, {**params, "page_size": 20, "per_page": 20})

    assert response.status_code == 200


def test_a_project_page_costs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _many_projects(1)
    project = Project.objects.get()

    with django_assert_max_num_queries(3):
        assert client.get(detail_url(project)).status_code == 200


def test_the_etag_of_a_list_differs_from_one_logged_in_person_to_another(client: Client) -> None:
    ProjectFactory.create()
    anonymous = client.get(PROJECTS)["ETag"]
    client.force_login(UserFactory.create())
    first = client.get(PROJECTS)["ETag"]
    client.force_login(UserFactory.create())
    second = client.get(PROJECTS)["ETag"]

    assert len({anonymous, first, second}) == 3


# --- The staff's doors: register and change projects ---------------------------------------


def token_client(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {auth_token_issue(user=user)}")
    return client


def staff_member(district: Any, role: str = StaffMember.Role.STAFF, **fields: Any) -> Any:
    return StaffMemberFactory.create(district=district, role=role, **fields).user


def new_project(provider: Organisation, /, **fields: Any) -> dict[str, Any]:
    return {
        "organisation": str(provider.public_id),
        "title": "어르신 반찬 나눔",
        "area": "network",
        "support_type": "goods",
        "capacity": 12,
        "starts_on": "2026-04-01",
        **fields,
    }


STAFF_PROJECTS = "/api/staff/projects/"


def staff_url(project: Project, action: str = "") -> str:
    return f"{STAFF_PROJECTS}{project.public_id}/" + (f"{action}/" if action else "")


@pytest.fixture
def jungnang() -> District:
    return DistrictFactory.create()


def test_district_staff_register_a_draft_in_their_own_district(jungnang: District) -> None:
    dong = NeighbourhoodFactory.create(district=jungnang)
    group = TargetGroupFactory.create()
    organisation = OrganisationFactory.create(district=jungnang)
    staff = staff_member(jungnang)

    response = token_client(staff).post(
        STAFF_PROJECTS,
        new_project(
            organisation,
            neighbourhoods=[dong.pk],
            target_groups=[group.pk],
            household_types=["single_person"],
            min_age=65,
        ),
        format="json",
    )

    assert response.status_code == 201, response.content
    project = Project.objects.get()
    body = response.json()
    assert body["id"] == str(project.public_id)
    assert (body["status"], body["district"]["code"], body["places_taken"]) == (
        "draft",
        "jungnang",
        0,
    )
    assert (project.district, project.organisation, project.min_age) == (jungnang, organisation, 65)
    assert list(project.neighbourhoods.all()) == [dong]
    assert list(project.target_groups.all()) == [group]
    # Who, as in the admin's history.
    assert {record.history_user for record in project.history.all()} == {staff}


def test_a_project_is_changed_opened_paused_and_closed_by_its_districts_staff(
    jungnang: District,
) -> None:
    dong = NeighbourhoodFactory.create(district=jungnang)
    project = ProjectFactory.create(
        district=jungnang, title="옛 이름", status=Project.Status.DRAFT, ends_on=None, apply_by=None
    )
    client = token_client(staff_member(jungnang))

    changed = client.patch(
        staff_url(project), {"title": "새 이름", "neighbourhoods": [dong.pk]}, format="json"
    )
    opened = client.post(staff_url(project, "open"))
    paused = client.post(staff_url(project, "pause"))
    closed = client.post(staff_url(project, "close"))

    assert (changed.status_code, changed.json()["title"]) == (200, "새 이름")
    assert [n["id"] for n in changed.json()["neighbourhoods"]] == [dong.pk]
    assert [r.json()["status"] for r in (opened, paused, closed)] == ["open", "paused", "closed"]
    project.refresh_from_db()
    assert (project.title, project.capacity, project.status) == ("새 이름", 20, "closed")


def test_the_services_rules_are_a_400_naming_the_fields(jungnang: District) -> None:
    elsewhere = DistrictFactory.create(code="nowon", name="노원구")
    foreign_dong = NeighbourhoodFactory.create(district=elsewhere)
    organisation = OrganisationFactory.create(district=jungnang)
    client = token_client(staff_member(jungnang))

    response = client.post(
        STAFF_PROJECTS,
        new_project(
            organisation,
            starts_on="2026-05-01",
            ends_on="2026-04-01",
            min_age=70,
            max_age=60,
            neighbourhoods=[foreign_dong.pk],
        ),
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["errors"]) >= {"ends_on", "max_age", "neighbourhoods"}
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "status"),
    [
        ({"area": "cooking"}, "area", 400),
        ({"capacity": -1}, "capacity", 400),
        ({"starts_on": "next week"}, "starts_on", 400),
        ({"household_types": ["castle"]}, "household_types.0", 400),
        # Well formed, but no neighbourhood, or another district: 422.
        ({"neighbourhoods": [10**30]}, "neighbourhoods", 422),
        ({"organisation": "not-a-uuid"}, "organisation", 400),
        ({"district": "nowon"}, "district", 422),
    ],
)
def test_a_wrong_value_is_a_400_naming_its_field(
    jungnang: District, fields: dict[str, Any], field: str, status: int
) -> None:
    DistrictFactory.create(code="nowon", name="노원구")
    organisation = OrganisationFactory.create(district=jungnang)

    response = token_client(staff_member(jungnang)).post(
        STAFF_PROJECTS, new_project(organisation, **fields), format="json"
    )

    assert response.status_code == status
    assert list(response.json()["errors"]) == [field]


def test_opening_a_project_that_serves_nowhere_is_refused(jungnang: District) -> None:
    project = ProjectFactory.create(district=jungnang, status=Project.Status.DRAFT, ends_on=None)

    response = token_client(staff_member(jungnang)).post(staff_url(project, "open"))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["neighbourhoods"]


def test_a_superuser_names_the_district_and_may_use_any(jungnang: District) -> None:
    DistrictFactory.create(code="nowon", name="노원구")
    organisation = OrganisationFactory.create(district=jungnang)
    root = UserFactory.create(is_superuser=True, is_staff=True)
    client = token_client(root)

    unnamed = client.post(STAFF_PROJECTS, new_project(organisation), format="json")
    named = client.post(
        STAFF_PROJECTS, new_project(organisation, district="jungnang"), format="json"
    )

    assert (unnamed.status_code, list(unnamed.json()["errors"])) == (400, ["district"])
    assert named.status_code == 201
    other = ProjectFactory.create(district=DistrictFactory.create(code="nowon"))
    assert client.patch(staff_url(other), {"title": "x"}, format="json").status_code == 200


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("anonymous", 401, "not_authenticated"),
        ("resident", 403, "permission_denied"),
        ("coordinator", 403, "permission_denied"),
        ("staff of another district", 404, "not_found"),
    ],
)
def test_no_one_but_the_districts_staff_registers_or_changes_its_projects(
    jungnang: District, who: str, status: int, code: str
) -> None:
    elsewhere = DistrictFactory.create(code="nowon", name="노원구")
    user = {
        "anonymous": lambda: None,
        "resident": lambda: UserFactory.create(),
        "coordinator": lambda: staff_member(jungnang, StaffMember.Role.COORDINATOR),
        "staff of another district": lambda: staff_member(elsewhere),
    }[who]()
    project = ProjectFactory.create(district=jungnang, title="그대로", status=Project.Status.DRAFT)
    client = token_client(user)

    doors = [
        client.patch(staff_url(project), {"title": "바뀜"}, format="json"),
        client.post(staff_url(project, "open")),
        client.post(staff_url(project, "close")),
    ]
    created = client.post(
        STAFF_PROJECTS,
        new_project(OrganisationFactory.create(district=jungnang), district="jungnang"),
        format="json",
    )

    for response in doors:
        assert (response.status_code, response.json()["code"]) == (status, code)
    # Staff of another district cannot name this one: it is not among their choices.
    # Another district's organisation is no organisation of theirs: well formed, so 422.
    assert created.status_code == (422 if who == "staff of another district" else status)
    project.refresh_from_db()
    assert (project.title, project.status, Project.objects.count()) == ("그대로", "draft", 1)


def test_changing_a_project_costs_a_fixed_number_of_queries(
    jungnang: District, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    dongs = NeighbourhoodFactory.create_batch(5, district=jungnang)
    project = ProjectFactory.create(district=jungnang, neighbourhoods=dongs)
    client = token_client(staff_member(jungnang))

    # The model's own validation and simple_history's rows included; 25 neighbourhoods or 5.
    with django_assert_max_num_queries(30):
        response = client.patch(staff_url(project), {"title": "새 이름"}, format="json")

    assert response.status_code == 200
