"""The district staff's admin of projects: scoped to their district, Korean, O(1) in queries."""

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from projects.models import Project, StaffMember
from tests.factories import (
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    StaffMemberFactory,
)

from .conftest import Place

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

CHANGELIST = "admin:projects_project_changelist"


def _projects(place: Place, count: int, **fields: Any) -> list[Project]:
    return [
        ProjectFactory.create(
            district=place.district,
            organisation=place.organisation,
            neighbourhoods=place.neighbourhoods[: 1 + n % len(place.neighbourhoods)],
            **fields,
        )
        for n in range(count)
    ]


def _form_data(place: Place, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": place.organisation.pk,
        "title": "어르신 반찬 나눔",
        "description": "",
        "area": "donation",
        "support_type": "goods",
        "neighbourhoods": [place.neighbourhoods[0].pk],
        "capacity": "20",
        "starts_on": "2026-03-01",
        "ends_on": "2026-05-31",
        "apply_by": "2026-04-30",
    }
    data.update(overrides)
    return data


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- pages and their query budgets --------------------------------------------------------


def test_the_changelist_of_thirty_projects_loads_in_a_fixed_number_of_queries(
    staff_client: Client, jungnang: Place, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _projects(jungnang, 30)

    with django_assert_max_num_queries(15):
        response = staff_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 30


def test_the_changelist_shows_neighbourhoods_compactly_and_whole_district(
    staff_client: Client, jungnang: Place
) -> None:
    ProjectFactory.create(
        district=jungnang.district,
        organisation=jungnang.organisation,
        title="동네 반찬",
        neighbourhoods=jungnang.neighbourhoods[:2],
    )
    ProjectFactory.create(
        district=jungnang.district,
        organisation=jungnang.organisation,
        title="구 전체 건강검진",
        whole_district=True,
    )

    html = staff_client.get(reverse(CHANGELIST), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "면목본동, 상봉1동" in html
    assert "whole district" in html


def test_the_changelist_sorts_by_places_left(staff_client: Client, jungnang: Place) -> None:
    for taken in (3, 9, 0):
        ProjectFactory.create(
            district=jungnang.district, organisation=jungnang.organisation, places_taken=taken
        )

    response = staff_client.get(reverse(CHANGELIST), {"o": "7"})  # the places-left column

    assert [p.places_left for p in response.context["cl"].result_list] == [1, 7, 10]


def test_the_change_form_loads_in_a_fixed_number_of_queries(
    staff_client: Client, jungnang: Place, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    project = _projects(jungnang, 30)[0]

    with django_assert_max_num_queries(16):
        response = staff_client.get(reverse("admin:projects_project_change", args=[project.pk]))

    assert response.status_code == 200


def test_the_history_page_shows_who_changed_the_project(
    staff_client: Client,
    staff_member: StaffMember,
    jungnang: Place,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    project = _projects(jungnang, 30)[0]
    change_url = reverse("admin:projects_project_change", args=[project.pk])
    staff_client.post(
        change_url,
        _form_data(jungnang, title="바뀐 제목", neighbourhoods=[jungnang.neighbourhoods[2].pk]),
    )

    with django_assert_max_num_queries(15):
        response = staff_client.get(reverse("admin:projects_project_history", args=[project.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "바뀐 제목" in html
    assert "망우본동" in html  # the neighbourhood change is listed too
    assert staff_member.user.username in html


def test_the_admin_is_korean_by_default(staff_client: Client, jungnang: Place) -> None:
    response = staff_client.get(reverse("admin:projects_project_add"))

    html = response.content.decode()
    assert '<html lang="ko"' in html
    assert "자치구" in html  # the district field's verbose name
    assert "나눔사업" in html  # the app's verbose name


# --- scoping ------------------------------------------------------------------------------


def test_staff_see_only_their_own_districts_projects(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    mine = _projects(jungnang, 2)
    _projects(nowon, 3)

    response = staff_client.get(reverse(CHANGELIST))

    assert {p.pk for p in response.context["cl"].result_list} == {p.pk for p in mine}


def test_the_change_page_of_another_districts_project_redirects_as_if_it_did_not_exist(
    staff_client: Client, nowon: Place
) -> None:
    theirs = _projects(nowon, 1)[0]

    response = staff_client.get(reverse("admin:projects_project_change", args=[theirs.pk]))

    # Django's admin treats a row outside get_queryset() as missing: back to the index.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_the_history_of_another_districts_project_is_forbidden(
    staff_client: Client, nowon: Place
) -> None:
    theirs = _projects(nowon, 1)[0]

    response = staff_client.get(reverse("admin:projects_project_history", args=[theirs.pk]))

    assert response.status_code == 403


def test_a_coordinator_cannot_revert_a_project_from_its_history(
    client: Client, jungnang: Place
) -> None:
    project = _projects(jungnang, 1)[0]
    version = project.history.earliest()
    coordinator = StaffMemberFactory.create(
        district=jungnang.district, role=StaffMember.Role.COORDINATOR
    )
    client.force_login(coordinator.user)
    url = reverse("admin:projects_project_simple_history", args=[project.pk, version.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, _form_data(jungnang, title="되돌림"))

    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title != "되돌림"


def test_filter_choices_offer_only_the_staffs_district(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    _projects(jungnang, 1)
    _projects(nowon, 1)

    html = staff_client.get(reverse(CHANGELIST)).content.decode()

    assert "면목본동" in html
    assert "상계1동" not in html
    assert jungnang.organisation.name in html
    assert nowon.organisation.name not in html


def test_the_form_offers_only_the_staffs_organisations_and_neighbourhoods(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    response = staff_client.get(reverse("admin:projects_project_add"))

    form = response.context["adminform"].form
    assert set(form.fields["organisation"].queryset) == {jungnang.organisation}
    assert set(form.fields["neighbourhoods"].queryset) == set(jungnang.neighbourhoods)
    assert "district" not in form.fields


# --- the form -----------------------------------------------------------------------------


def test_staff_add_a_project_in_their_own_district_through_the_form(
    staff_client: Client, jungnang: Place
) -> None:
    response = staff_client.post(reverse("admin:projects_project_add"), _form_data(jungnang))

    assert response.status_code == 302, response.context["adminform"].form.errors
    project = Project.objects.get()
    assert project.district == jungnang.district
    assert list(project.neighbourhoods.all()) == [jungnang.neighbourhoods[0]]


def test_a_posted_district_is_ignored_for_staff(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    staff_client.post(
        reverse("admin:projects_project_add"), _form_data(jungnang, district=nowon.district.pk)
    )

    assert Project.objects.get().district == jungnang.district


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": "2026-02-28", "apply_by": ""}, "ends_on", "end date"),
        ({"apply_by": "2026-06-30"}, "apply_by", "deadline"),
    ],
)
def test_the_form_names_the_field_of_a_date_error(
    staff_client: Client, jungnang: Place, overrides: dict[str, str], field: str, message: str
) -> None:
    response = staff_client.post(
        reverse("admin:projects_project_add"),
        _form_data(jungnang, **overrides),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert not Project.objects.exists()


def test_the_form_refuses_a_capacity_below_the_places_taken(
    staff_client: Client, jungnang: Place
) -> None:
    project = ProjectFactory.create(
        district=jungnang.district, organisation=jungnang.organisation, places_taken=6
    )

    response = staff_client.post(
        reverse("admin:projects_project_change", args=[project.pk]),
        _form_data(jungnang, capacity="5"),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Capacity cannot be lower" in " ".join(
        response.context["adminform"].form.errors["capacity"]
    )


def test_a_superuser_cannot_serve_a_neighbourhood_of_another_district(
    superuser_client: Client, jungnang: Place, nowon: Place
) -> None:
    response = superuser_client.post(
        reverse("admin:projects_project_add"),
        _form_data(
            jungnang,
            district=jungnang.district.pk,
            neighbourhoods=[jungnang.neighbourhoods[0].pk, nowon.neighbourhoods[0].pk],
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    errors = " ".join(response.context["adminform"].form.errors["neighbourhoods"])
    assert "Neighbourhoods served" in errors
    assert "상계1동" in errors
    assert not Project.objects.exists()


def test_staff_cannot_choose_a_neighbourhood_of_another_district(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    response = staff_client.post(
        reverse("admin:projects_project_add"),
        _form_data(jungnang, neighbourhoods=[nowon.neighbourhoods[0].pk]),
    )

    assert "neighbourhoods" in response.context["adminform"].form.errors
    assert not Project.objects.exists()


# --- actions ------------------------------------------------------------------------------


def _act(client: Client, action: str, projects: list[Project]) -> Any:
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [p.pk for p in projects]},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_the_open_action_opens_drafts_and_reports_each_refusal(
    staff_client: Client, jungnang: Place
) -> None:
    drafts = _projects(jungnang, 2)
    closed = ProjectFactory.create(
        district=jungnang.district,
        organisation=jungnang.organisation,
        title="끝난 사업",
        status=Project.Status.CLOSED,
    )
    Project.objects.update(ends_on=None, apply_by=None)

    response = _act(staff_client, "open_projects", [*drafts, closed])

    statuses = dict(Project.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in drafts] == ["open", "open"]
    assert statuses[closed.pk] == "closed"
    shown = _messages(response)
    assert 'value="open_projects"' in staff_client.get(reverse(CHANGELIST)).content.decode()
    assert "2 projects opened." in shown
    assert any(m.startswith("끝난 사업: Status:") for m in shown)


def test_the_pause_and_close_actions_change_the_status(
    staff_client: Client, jungnang: Place
) -> None:
    project = _projects(jungnang, 1, status=Project.Status.OPEN)[0]

    _act(staff_client, "pause_projects", [project])
    project.refresh_from_db()
    assert project.status == Project.Status.PAUSED

    _act(staff_client, "close_projects", [project])
    project.refresh_from_db()
    assert project.status == Project.Status.CLOSED


def test_actions_cannot_reach_another_districts_projects(
    staff_client: Client, nowon: Place
) -> None:
    theirs = _projects(nowon, 1)[0]

    _act(staff_client, "close_projects", [theirs])

    theirs.refresh_from_db()
    assert theirs.status == Project.Status.DRAFT


def test_a_coordinator_sees_projects_but_gets_no_status_actions_nor_import(
    client: Client, jungnang: Place
) -> None:
    _projects(jungnang, 1)
    coordinator = StaffMemberFactory.create(
        district=jungnang.district, role=StaffMember.Role.COORDINATOR
    )
    client.force_login(coordinator.user)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert 'value="open_projects"' not in response.content.decode()
    assert client.get(reverse("admin:projects_project_import")).status_code == 403


# --- the other admins ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:projects_organisation_changelist",
        "admin:projects_participation_changelist",
        "admin:projects_targetgroup_changelist",
    ],
)
def test_the_other_changelists_load_in_a_fixed_number_of_queries(
    staff_client: Client,
    jungnang: Place,
    url_name: str,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for n, project in enumerate(_projects(jungnang, 10)):
        OrganisationFactory.create(district=jungnang.district)
        ParticipationFactory.create(project=project, started_on=datetime.date(2026, 3, 1 + n))

    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse(url_name))

    assert response.status_code == 200


def test_participations_of_another_district_are_not_listed(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    mine = ParticipationFactory.create(project=_projects(jungnang, 1)[0])
    ParticipationFactory.create(project=_projects(nowon, 1)[0])

    response = staff_client.get(reverse("admin:projects_participation_changelist"))

    assert list(response.context["cl"].result_list) == [mine]


def test_staff_add_an_organisation_in_their_own_district_with_a_unique_name(
    staff_client: Client, jungnang: Place
) -> None:
    url = reverse("admin:projects_organisation_add")
    data = {"name": jungnang.organisation.name, "kind": "ngo"}

    duplicate = staff_client.post(url, data)
    created = staff_client.post(url, {**data, "name": "새 나눔가게"})

    assert duplicate.status_code == 200
    assert duplicate.context["adminform"].form.errors
    assert created.status_code == 302
    assert jungnang.district.organisations.filter(name="새 나눔가게").exists()


def test_the_staff_member_admin_is_for_superusers_and_offers_the_districts_neighbourhoods(
    superuser_client: Client, staff_member: StaffMember, jungnang: Place, nowon: Place
) -> None:
    url = reverse("admin:projects_staffmember_change", args=[staff_member.pk])

    response = superuser_client.post(
        url,
        {
            "user": staff_member.user.pk,
            "district": jungnang.district.pk,
            "role": "coordinator",
            "neighbourhoods": [nowon.neighbourhoods[0].pk],
        },
    )

    assert "neighbourhoods" in response.context["adminform"].form.errors


# --- district staff assign coordinators (issue 6) ------------------------------------------


# Adding a coordinator is an invitation now: tests/projects/test_coordinator_invitations.py.


def test_district_staff_change_a_coordinators_neighbourhoods_but_not_the_person_or_role(
    staff_client: Client, jungnang: Place
) -> None:
    coordinator = StaffMemberFactory.create(
        district=jungnang.district, role=StaffMember.Role.COORDINATOR
    )
    url = reverse("admin:projects_staffmember_change", args=[coordinator.pk])

    page = staff_client.get(url)
    response = staff_client.post(
        url, {"neighbourhoods": [n.pk for n in jungnang.neighbourhoods[:2]], "role": "staff"}
    )

    assert page.status_code == 200
    assert "user_email" not in page.context["adminform"].form.fields
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.role == StaffMember.Role.COORDINATOR
    assert coordinator.neighbourhoods.count() == 2


def test_district_staff_cannot_change_or_delete_district_staff_rows_or_other_districts(
    staff_client: Client, staff_member: StaffMember, jungnang: Place, nowon: Place
) -> None:
    colleague = StaffMemberFactory.create(district=jungnang.district)
    elsewhere = StaffMemberFactory.create(
        district=nowon.district, role=StaffMember.Role.COORDINATOR
    )

    own_row = staff_client.post(
        reverse("admin:projects_staffmember_change", args=[staff_member.pk]), {}
    )
    colleague_delete = staff_client.post(
        reverse("admin:projects_staffmember_delete", args=[colleague.pk]), {"post": "yes"}
    )
    other_district = staff_client.get(
        reverse("admin:projects_staffmember_change", args=[elsewhere.pk])
    )

    assert own_row.status_code == 403
    assert colleague_delete.status_code == 403
    assert other_district.status_code == 302  # the admin's "not found" redirect
    assert StaffMember.objects.count() == 3


def test_district_staff_read_a_district_staff_row_without_it_changing_role(
    staff_client: Client, staff_member: StaffMember, jungnang: Place
) -> None:
    colleague = StaffMemberFactory.create(district=jungnang.district)

    own_row = staff_client.get(reverse("admin:projects_staffmember_change", args=[staff_member.pk]))
    colleague_row = staff_client.get(
        reverse("admin:projects_staffmember_change", args=[colleague.pk])
    )

    # Read only: the page has no form to save, and the rows are district staff still.
    assert own_row.status_code == 200
    assert colleague_row.status_code == 200
    assert not colleague_row.context["has_change_permission"]
    assert not colleague_row.context["adminform"].form.fields.keys() & {"neighbourhoods", "role"}
    assert set(StaffMember.objects.values_list("role", flat=True)) == {StaffMember.Role.STAFF}
