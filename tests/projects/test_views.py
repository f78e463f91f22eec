import datetime as dt
import re
from typing import TYPE_CHECKING

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from projects.models import Area, HouseholdType, Participation, Project, TargetGroup

from .factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    TargetGroupFactory,
    UserFactory,
)
from .stub_urls import WithOtherPages, WithoutOtherPages

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

pytestmark = pytest.mark.django_db

LIST_URL = "/projects/"


def listed_titles(client: Client, **params: str) -> set[str]:
    response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return {project.title for project in response.context["projects"]}


def detail_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.pk])


def join_url(project: Project) -> str:
    return reverse("projects:join", args=[project.pk])


def messages_of(response: "Response") -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- The list: what it shows and how it filters -----------------------------------------


def test_the_list_shows_only_open_projects_unless_asked_for_all(client: Client) -> None:
    ProjectFactory.create(title="open one", status=Project.Status.OPEN)
    ProjectFactory.create(title="paused one", status=Project.Status.PAUSED)
    ProjectFactory.create(title="closed one", status=Project.Status.CLOSED)
    ProjectFactory.create(title="draft one", status=Project.Status.DRAFT)

    assert listed_titles(client) == {"open one"}
    assert listed_titles(client, status="open") == {"open one"}
    assert listed_titles(client, status="all") == {"open one", "paused one", "closed one"}


def test_drafts_are_never_listed_and_their_page_is_not_found(client: Client) -> None:
    draft = ProjectFactory.create(title="draft one", status=Project.Status.DRAFT)

    assert "draft one" not in listed_titles(client, status="all")
    assert "draft one" not in listed_titles(client, q="draft")
    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(f"/projects/{draft.pk + 1000}/").status_code == 404


def test_an_unknown_status_still_lists_only_open_projects(client: Client) -> None:
    ProjectFactory.create(title="open one")
    ProjectFactory.create(title="closed one", status=Project.Status.CLOSED)

    assert listed_titles(client, status="everything") == {"open one"}


def test_the_area_filter_keeps_projects_of_that_area(client: Client) -> None:
    ProjectFactory.create(title="rice", area=Area.DONATION)
    ProjectFactory.create(title="haircut", area=Area.TALENT)

    assert listed_titles(client, area="talent") == {"haircut"}
    assert listed_titles(client, area="") == {"rice", "haircut"}


def test_the_neighbourhood_filter_keeps_projects_serving_it_and_whole_district_ones(
    client: Client,
) -> None:
    here = NeighbourhoodFactory.create()
    there = NeighbourhoodFactory.create(district=here.district)
    elsewhere = DistrictFactory.create(code="other", name="다른구")
    ProjectFactory.create(title="here", neighbourhoods=[here, there])
    ProjectFactory.create(title="there", neighbourhoods=[there])
    ProjectFactory.create(title="everywhere", whole_district=True, neighbourhoods=[there])
    ProjectFactory.create(title="other district", district=elsewhere, whole_district=True)

    titles = listed_titles(client, neighbourhood=str(here.pk))

    assert titles == {"here", "everywhere"}


def test_the_neighbourhood_filter_lists_a_project_serving_many_places_once(client: Client) -> None:
    here = NeighbourhoodFactory.create()
    ProjectFactory.create(
        title="many places",
        whole_district=True,
        neighbourhoods=[here, *NeighbourhoodFactory.create_batch(3, district=here.district)],
    )

    response = client.get(LIST_URL, {"neighbourhood": here.pk})

    assert [p.title for p in response.context["projects"]] == ["many places"]


def test_the_target_group_filter_keeps_projects_naming_it_and_those_open_to_everyone(
    client: Client,
) -> None:
    older, young = TargetGroupFactory.create(), TargetGroupFactory.create()
    ProjectFactory.create(title="for older people", target_groups=[older])
    ProjectFactory.create(title="for young people", target_groups=[young])
    ProjectFactory.create(title="for both", target_groups=[older, young])
    ProjectFactory.create(title="for everyone")

    titles = listed_titles(client, target_group=str(older.pk))

    assert titles == {"for older people", "for both", "for everyone"}


def test_the_keyword_searches_title_description_and_provider(client: Client) -> None:
    ProjectFactory.create(title="반찬 나눔", description="매주 화요일")
    ProjectFactory.create(title="컴퓨터 교실", description="어르신 스마트폰 배우기")
    ProjectFactory.create(
        title="이발 봉사", organisation=OrganisationFactory.create(name="행복미용실")
    )

    assert listed_titles(client, q="반찬") == {"반찬 나눔"}
    assert listed_titles(client, q="스마트폰") == {"컴퓨터 교실"}
    assert listed_titles(client, q="미용실") == {"이발 봉사"}
    assert listed_titles(client, q="컴퓨터 스마트폰") == {"컴퓨터 교실"}
    assert listed_titles(client, q="컴퓨터 반찬") == set()


def test_the_filters_keep_their_values_in_the_form(client: Client) -> None:
    here = NeighbourhoodFactory.create()

    html = client.get(
        LIST_URL, {"q": "반찬", "area": "health", "neighbourhood": str(here.pk), "status": "all"}
    ).content.decode()

    assert 'method="get"' in html
    assert re.search(r'<input type="search" name="q" value="반찬"', html)
    assert '<option value="health" selected>' in html
    assert f'<option value="{here.pk}" selected>' in html
    assert '<option value="all" selected>' in html
    assert '<label for="id_q">' in html
    assert '<details class="more-filters" open>' in html


def test_the_rarely_used_conditions_stay_folded_until_used(client: Client) -> None:
    html = client.get(LIST_URL, {"area": "health"}).content.decode()

    assert '<details class="more-filters">' in html


def test_the_list_shows_what_each_card_promises(client: Client) -> None:
    project = ProjectFactory.create(
        title="홀몸 어르신 안부 살피기",
        area=Area.NETWORK,
        organisation=OrganisationFactory.create(name="면목종합사회복지관"),
        neighbourhoods=[NeighbourhoodFactory.create(name="면목본동", name_en="Myeonmok-bon-dong")],
        capacity=20,
        places_taken=8,
        apply_by=dt.date(2026, 4, 30),
    )
    ProjectFactory.create(title="구 전체 사업", whole_district=True)

    html = client.get(LIST_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert project.title in html
    assert "Neighbour networks" in html
    assert "면목종합사회복지관" in html
    assert "Myeonmok-bon-dong" in html
    assert "12 places left of 20" in html
    assert "April 30, 2026" in html
    assert "Open now" in html
    assert "The whole district" in html
    assert "2 projects found" in html


def test_the_list_is_paged_by_twenty_and_the_page_links_keep_the_filters(client: Client) -> None:
    ProjectFactory.create_batch(25, area=Area.HEALTH)
    ProjectFactory.create(area=Area.DONATION)

    first = client.get(LIST_URL, {"area": "health"})
    second = client.get(LIST_URL, {"area": "health", "page": "2"})

    assert len(first.context["projects"]) == 20
    assert len(second.context["projects"]) == 5
    assert first.context["page_obj"].paginator.count == 25
    assert 'href="?area=health&amp;page=2"' in first.content.decode()
    assert not set(first.context["projects"]) & set(second.context["projects"])


def test_a_page_number_past_the_end_shows_the_last_page(client: Client) -> None:
    ProjectFactory.create_batch(3)

    response = client.get(LIST_URL, {"page": "99"})

    assert response.status_code == 200
    assert len(response.context["projects"]) == 3


def test_the_list_costs_the_same_few_queries_for_sixty_projects(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    places = NeighbourhoodFactory.create_batch(4)
    groups = TargetGroupFactory.create_batch(3)
    for number in range(60):
        ProjectFactory.create(
            neighbourhoods=places[: number % 4 + 1],
            target_groups=groups[: number % 3],
            organisation=OrganisationFactory.create(),
        )

    every_filter = {
        "status": "all",
        "q": "나눔",
        "area": "network",
        "neighbourhood": str(places[0].pk),
        "target_group": str(groups[0].pk),
    }

    with django_assert_max_num_queries(6):
        unfiltered = client.get(LIST_URL, {"status": "all"})
    with django_assert_max_num_queries(8):
        filtered = client.get(LIST_URL, every_filter)

    assert len(unfiltered.context["projects"]) == 20
    assert len(filtered.context["projects"]) == 20
    assert filtered.context["page_obj"].paginator.count == 60


def test_free_text_is_escaped_on_the_list_and_the_project_page(client: Client) -> None:
    project = ProjectFactory.create(
        title="<script>alert('title')</script>",
        description="<script>alert('description')</script>",
    )

    for html in (
        client.get(LIST_URL).content.decode(),
        client.get(detail_url(project)).content.decode(),
    ):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html


# --- One project's page -------------------------------------------------------------------


def test_the_project_page_says_who_is_eligible_in_words(client: Client) -> None:
    older = TargetGroup.objects.get(code="older-alone")
    project = ProjectFactory.create(
        target_groups=[older],
        min_age=65,
        max_age=None,
        household_types=[HouseholdType.SINGLE_PERSON],
        eligibility_note="동 주민센터에서 확인합니다.",
    )

    html = client.get(detail_url(project), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Older people living alone" in html
    assert "65 years old or older" in html
    assert "Single-person household" in html
    assert "동 주민센터에서 확인합니다." in html
    assert "Open to everyone." not in html


def test_a_project_with_no_rules_is_open_to_everyone(client: Client) -> None:
    project = ProjectFactory.create()

    html = client.get(detail_url(project), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Open to everyone." in html


def test_the_project_page_shows_places_period_provider_and_neighbourhoods(client: Client) -> None:
    project = ProjectFactory.create(
        organisation=OrganisationFactory.create(name="중랑구 자원봉사센터", phone="02-2094-0000"),
        contact_name="김복지",
        capacity=10,
        places_taken=10,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 6, 30),
        apply_by=dt.date(2026, 5, 31),
        neighbourhoods=[
            NeighbourhoodFactory.create(name="상봉1동", name_en="Sangbong 1-dong"),
            NeighbourhoodFactory.create(name="묵2동", name_en="Muk 2-dong"),
        ],
    )

    html = client.get(detail_url(project), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "No places left" in html
    assert "March 1, 2026 to June 30, 2026" in html
    assert "May 31, 2026" in html
    assert "중랑구 자원봉사센터" in html
    assert "김복지" in html
    assert 'href="tel:0220940000"' in html
    assert "Muk 2-dong, Sangbong 1-dong" in html
    assert "묵2동, 상봉1동" in client.get(detail_url(project)).content.decode()


def test_the_project_page_costs_a_few_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    project = ProjectFactory.create(
        neighbourhoods=NeighbourhoodFactory.create_batch(5),
        target_groups=TargetGroupFactory.create_batch(3),
    )
    client.force_login(UserFactory.create())

    with django_assert_max_num_queries(8):
        response = client.get(detail_url(project))

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("area", "shown", "hidden"),
    [
        (Area.NETWORK, {"join", "apply", "pledge"}, {"offer"}),
        (Area.HEALTH, {"join", "apply", "pledge"}, {"offer"}),
        (Area.EDUCATION, {"join", "apply", "pledge"}, {"offer"}),
        (Area.DONATION, {"pledge", "apply"}, {"join", "offer"}),
        (Area.TALENT, {"offer", "apply", "pledge"}, {"join"}),
    ],
)
def test_the_project_page_offers_the_actions_that_fit_its_area(
    client: Client, settings: Settings, area: str, shown: set[str], hidden: set[str]
) -> None:
    settings.ROOT_URLCONF = WithOtherPages
    project = ProjectFactory.create(area=area)
    links = {
        "apply": f'href="/stub-matching/apply/?project={project.pk}"',
        "pledge": f'href="/stub-donations/pledge/?project={project.pk}"',
        "offer": f'href="/stub-talents/offer/?project={project.pk}"',
        "join": f'action="{join_url(project)}"',
    }

    html = client.get(detail_url(project)).content.decode()

    assert {name for name, link in links.items() if link in html} == shown
    assert not {name for name in hidden if links[name] in html}


def test_a_closed_project_offers_no_actions(client: Client, settings: Settings) -> None:
    settings.ROOT_URLCONF = WithOtherPages
    project = ProjectFactory.create(status=Project.Status.CLOSED)

    html = client.get(detail_url(project), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]

    assert "This project has closed" in main
    assert "/stub-" not in main
    assert join_url(project) not in html


def test_the_project_page_works_before_the_other_pages_exist(
    client: Client, settings: Settings
) -> None:
    settings.ROOT_URLCONF = WithoutOtherPages
    project = ProjectFactory.create(area=Area.NETWORK)

    response = client.get(detail_url(project))

    html = response.content.decode()
    assert response.status_code == 200
    assert "?project=" not in html
    assert f'action="{join_url(project)}"' in html


def test_the_project_page_says_in_which_roles_the_resident_already_takes_part(
    client: Client,
) -> None:
    project = ProjectFactory.create(area=Area.HEALTH)
    participation = ParticipationFactory.create(project=project, role=Participation.Role.VOLUNTEER)
    client.force_login(participation.resident)

    html = client.get(detail_url(project), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "You are taking part as a volunteer." in html
    assert 'value="volunteer"' not in html
    assert 'value="participant"' in html


# --- Joining ------------------------------------------------------------------------------


def test_a_resident_joins_an_open_project_as_a_volunteer(client: Client) -> None:
    project = ProjectFactory.create(area=Area.NETWORK, title="안부 살피기")
    resident = UserFactory.create()
    client.force_login(resident)

    response = client.post(join_url(project), {"role": "volunteer"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == detail_url(project)
    participation = Participation.objects.get(resident=resident, project=project)
    assert participation.role == Participation.Role.VOLUNTEER
    assert participation.status == Participation.Status.ACTIVE
    assert messages_of(response) == [
        "You have joined “안부 살피기” (Volunteer). The provider will contact you."
    ]


def test_joining_twice_in_the_same_role_is_refused_with_a_message(client: Client) -> None:
    project = ProjectFactory.create(area=Area.EDUCATION, title="디지털 교실")
    resident = UserFactory.create()
    client.force_login(resident)

    client.post(join_url(project), {"role": "participant"})
    second = client.post(join_url(project), {"role": "participant"}, HTTP_ACCEPT_LANGUAGE="en")

    assert Participation.objects.filter(resident=resident, project=project).count() == 1
    assert messages_of(second)[-1] == "You have already joined “디지털 교실” (Participant)."


def test_a_resident_may_be_both_volunteer_and_participant(client: Client) -> None:
    project = ProjectFactory.create(area=Area.HEALTH)
    client.force_login(UserFactory.create())

    client.post(join_url(project), {"role": "volunteer"})
    client.post(join_url(project), {"role": "participant"})

    assert set(Participation.objects.values_list("role", flat=True)) == {
        "volunteer",
        "participant",
    }


def test_an_anonymous_visitor_who_joins_is_sent_to_log_in_and_back(client: Client) -> None:
    project = ProjectFactory.create(area=Area.NETWORK)

    response = client.post(join_url(project), {"role": "volunteer"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={detail_url(project)}"
    assert not Participation.objects.exists()


def test_joining_a_closed_project_is_refused(client: Client) -> None:
    project = ProjectFactory.create(
        area=Area.NETWORK, status=Project.Status.CLOSED, title="끝난 사업"
    )
    client.force_login(UserFactory.create())

    response = client.post(join_url(project), {"role": "volunteer"}, HTTP_ACCEPT_LANGUAGE="en")

    assert not Participation.objects.exists()
    assert messages_of(response) == ["“끝난 사업” is not open for joining now."]


def test_joining_a_donation_project_is_refused(client: Client) -> None:
    project = ProjectFactory.create(area=Area.DONATION)
    client.force_login(UserFactory.create())

    client.post(join_url(project), {"role": "volunteer"})

    assert not Participation.objects.exists()


def test_joining_without_a_role_is_refused_with_a_message(client: Client) -> None:
    project = ProjectFactory.create(area=Area.NETWORK)
    client.force_login(UserFactory.create())

    response = client.post(join_url(project), {"role": "boss"}, HTTP_ACCEPT_LANGUAGE="en")

    assert not Participation.objects.exists()
    assert messages_of(response) == ["Choose how you want to take part."]


def test_joining_takes_only_a_form_and_never_a_draft(client: Client) -> None:
    client.force_login(UserFactory.create())
    project = ProjectFactory.create(area=Area.NETWORK)
    draft = ProjectFactory.create(area=Area.NETWORK, status=Project.Status.DRAFT)

    assert client.get(join_url(project)).status_code == 405
    assert client.post(join_url(draft), {"role": "volunteer"}).status_code == 404
    assert not Participation.objects.exists()
