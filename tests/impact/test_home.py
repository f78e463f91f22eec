import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from donations.models import DonationPledge
from impact.selectors import HeadlineFigures, home_headline_figures
from projects.models import Area, Project
from talents.models import TalentOffer
from tests.impact.helpers import SEAM_QUERIES
from tests.projects.factories import (
    NeighbourhoodFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentProfileFactory,
    UserFactory,
)
from tests.projects.stub_urls import WithOtherPages, WithoutOtherPages

pytestmark = pytest.mark.django_db


def figures_shown(html: str) -> list[str]:
    return re.findall(r"<dd>([\d,.%—]+)</dd>", html.split('id="figures-title"')[1])


def last_year() -> int:
    return timezone.localdate().year - 1


def in_last_year(model: type[Project] | type[DonationPledge], pk: int) -> None:
    model.objects.filter(pk=pk).update(
        created_at=timezone.make_aware(dt.datetime(last_year(), 6, 1, 12))
    )


def test_the_headline_figures_are_the_impact_pages_own_for_the_last_full_year() -> None:
    ProjectFactory.create_batch(3, status=Project.Status.OPEN)
    ProjectFactory.create(status=Project.Status.CLOSED)
    ProjectFactory.create(status=Project.Status.DRAFT)
    registered = ProjectFactory.create(status=Project.Status.CLOSED)
    in_last_year(Project, registered.pk)
    volunteer, donor, talented = UserFactory.create_batch(3)
    ParticipationFactory.create(resident=volunteer, started_on=dt.date(last_year(), 3, 1))
    ParticipationFactory.create(
        resident=volunteer, role="participant", started_on=dt.date(last_year(), 4, 1)
    )
    given = DonationPledge.objects.create(
        donor=donor, project=registered, kind=DonationPledge.Kind.MONEY, amount_won=10_000
    )
    in_last_year(DonationPledge, given.pk)
    # An offer of this year: not in last year's figures.
    TalentOffer.objects.create(resident=talented, category="repairs", description="수리")

    figures = home_headline_figures()

    # Open now: the three and the participations' own two. Last year: the volunteer and the
    # donor took part, and one project was registered.
    assert figures == HeadlineFigures(
        open_projects=5, year=last_year(), participants=2, projects=1, connection_rate=None
    )


def test_the_headline_figures_are_cached_for_a_while(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    ProjectFactory.create(status=Project.Status.OPEN)
    first = home_headline_figures()
    ProjectFactory.create(status=Project.Status.OPEN)

    with django_assert_num_queries(0):
        second = home_headline_figures()

    assert second == first
    assert first.open_projects == 1


def test_the_home_page_shows_the_figures_and_links_to_the_impact_page(client: Client) -> None:
    ProjectFactory.create_batch(2, status=Project.Status.OPEN)
    ParticipationFactory.create(started_on=dt.date(last_year(), 5, 1))

    html = client.get("/").content.decode()

    assert figures_shown(html) == ["3", "1", "0", "—"]  # open: the two and the participation's
    assert 'href="/impact/"' in html


def test_the_home_page_is_korean_by_default_with_five_area_buttons(client: Client) -> None:
    html = client.get("/").content.decode()

    assert '<html lang="ko">' in html
    assert "기부" in html
    assert "재능나눔" in html
    for area in Area.values:
        assert f'href="/projects/?area={area}"' in html


def test_the_home_page_shows_the_six_newest_open_projects_to_a_visitor(client: Client) -> None:
    ProjectFactory.create_batch(7, area=Area.HEALTH)
    ProjectFactory.create(title="closed one", status=Project.Status.CLOSED)
    ProjectFactory.create(title="draft one", status=Project.Status.DRAFT)
    newest = ProjectFactory.create(title="newest one")

    response = client.get("/")

    near = response.context["near_projects"]
    assert len(near) == 6
    assert near[0] == newest
    assert all(project.status == Project.Status.OPEN for project in near)


def test_a_resident_sees_open_projects_of_their_neighbourhood_and_the_whole_district(
    client: Client,
) -> None:
    home = NeighbourhoodFactory.create(name="면목본동")
    elsewhere = NeighbourhoodFactory.create(district=home.district)
    ProjectFactory.create(title="ours", neighbourhoods=[home])
    ProjectFactory.create(title="everyone's", whole_district=True)
    ProjectFactory.create(title="theirs", neighbourhoods=[elsewhere])
    ProjectFactory.create(
        title="ours but closed", neighbourhoods=[home], status=Project.Status.CLOSED
    )
    client.force_login(ResidentProfileFactory.create(neighbourhood=home).user)

    response = client.get("/")

    assert {project.title for project in response.context["near_projects"]} == {
        "ours",
        "everyone's",
    }
    assert "면목본동" in response.content.decode()
    assert f'href="/projects/?neighbourhood={home.pk}"' in response.content.decode()


def test_a_user_without_a_profile_sees_the_newest_open_projects(client: Client) -> None:
    ProjectFactory.create(title="anywhere", neighbourhoods=[NeighbourhoodFactory.create()])
    client.force_login(UserFactory.create())

    response = client.get("/")

    assert [project.title for project in response.context["near_projects"]] == ["anywhere"]


def test_the_home_page_offers_apply_refer_and_sign_up_when_those_pages_exist(
    client: Client, settings: Settings
) -> None:
    settings.ROOT_URLCONF = WithOtherPages

    html = client.get("/").content.decode()

    assert 'href="/stub-matching/apply/"' in html
    assert 'href="/stub-matching/refer/"' in html
    assert 'href="/accounts/signup/"' in html


def test_the_home_page_works_before_the_apply_and_refer_pages_exist(
    client: Client, settings: Settings
) -> None:
    settings.ROOT_URLCONF = WithoutOtherPages
    client.force_login(UserFactory.create())

    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "/stub-" not in html
    assert 'href="/accounts/signup/"' not in html


def test_the_home_page_costs_a_few_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    home = NeighbourhoodFactory.create()
    for _ in range(10):
        ProjectFactory.create(neighbourhoods=[home], starts_on=dt.date(2026, 1, 5))
    client.force_login(ResidentProfileFactory.create(neighbourhood=home).user)

    # +1 since the menu asks once whether the user works for a district (the queue link);
    # +3 since the figures are the impact page's own (four queries, cached with it; the
    # surveys' and visitors' figures add theirs on the first visit only).
    with django_assert_max_num_queries(12 + SEAM_QUERIES):
        client.get("/")
    with django_assert_max_num_queries(7):
        client.get("/")


def test_project_titles_on_the_home_page_are_escaped(client: Client) -> None:
    ProjectFactory.create(title="<script>alert(1)</script>")

    html = client.get("/").content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
