"""The public impact page and the staff report: periods, bad input, small groups, who may
read the report, the CSV, and query budgets."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils.translation import gettext
from pytest_django import DjangoAssertNumQueries

from impact.periods import default_period
from matching.models import ApplicationEvent, SupportApplication
from projects.models import Area, District, Neighbourhood, Participation, StaffMember
from residents.models import User
from tests.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    ParticipationFactory,
    ProjectFactory,
    ResidentProfileFactory,
    StaffMemberFactory,
    SupportApplicationFactory,
    UserFactory,
)

from .helpers import SEAM_QUERIES, apply, at_noon, resident, this_year

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
Status = SupportApplication.Status


def last_year() -> int:
    return default_period().start.year


def sample(district: District, *, per_neighbourhood: int, neighbourhoods: int = 16) -> None:
    """A district-year in small: applications in every neighbourhood and month of last year
    with their events (most delivered), residents who took part, projects."""
    places = [NeighbourhoodFactory.create(district=district) for _ in range(neighbourhoods)]
    project = ProjectFactory.create(district=district, status="open", area=Area.HEALTH)
    events = []
    for n, place in enumerate(places):
        for i in range(per_neighbourhood):
            day = dt.date(last_year(), 1 + (n + i) % 12, 1 + i % 28)
            application = SupportApplicationFactory.create(
                neighbourhood=place,
                areas=[Area.HEALTH] if i % 3 else [Area.HEALTH, Area.EDUCATION],
                submitted_at=at_noon(day),
                status=Status.DELIVERED if i % 5 else Status.CLOSED,
            )
            steps = ["pending", "proposed", "accepted", "delivered" if i % 5 else "closed"]
            events += [
                ApplicationEvent(
                    application=application,
                    from_status=steps[k - 1] if k else "",
                    to_status=step,
                    created_at=at_noon(day) + dt.timedelta(days=k),
                )
                for k, step in enumerate(steps)
            ]
        for profile in ResidentProfileFactory.create_batch(per_neighbourhood, neighbourhood=place):
            ParticipationFactory.create(
                resident=profile.user, project=project, started_on=dt.date(last_year(), 5, 1)
            )
    ApplicationEvent.objects.bulk_create(events)


# --- the public page -------------------------------------------------------------------------


def test_the_page_shows_the_last_full_year_by_default(client: Client) -> None:
    response = client.get("/impact/")

    assert response.status_code == 200
    assert response.context["choice"].period == default_period()
    assert response.context["problems"] == []
    html = response.content.decode()
    assert f'href="?year={last_year()}" aria-current="page"' in html


def test_this_year_so_far_and_any_period_can_be_chosen(client: Client) -> None:
    start, end = this_year()

    so_far = client.get("/impact/", {"year": start.year})
    chosen = client.get("/impact/", {"from": "2025-03-01", "to": "2025-03-31"})

    assert so_far.context["choice"].period.start == start
    assert so_far.context["choice"].period.end == end
    period = chosen.context["choice"].period
    assert (period.start, period.end) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert chosen.context["problems"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2025-12-01", "to": "2025-01-01"}, "__all__"),
        ({"from": "2025-02-30", "to": "2025-03-01"}, "from"),
        ({"from": "2025-01-01", "to": "yesterday"}, "to"),
        ({"from": "2025-01-01"}, "__all__"),
        ({"from": "2000-01-01", "to": "2025-01-01"}, "__all__"),
        ({"year": "1990"}, "year"),
        ({"year": "twenty"}, "year"),
        ({"neighbourhood": "999999"}, "neighbourhood"),
        ({"neighbourhood": "면목"}, "neighbourhood"),
        ({"area": "gardening"}, "area"),
        ({"district": "nowhere"}, "district"),
    ],
)
def test_bad_input_is_said_in_words_and_the_default_period_shown(
    client: Client, query: dict[str, str], field: str
) -> None:
    NeighbourhoodFactory.create()

    response = client.get("/impact/", query)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["problems"]
    assert response.context["choice"].period == default_period()
    assert response.context["choice"].neighbourhood is None
    assert 'id="problems"' in response.content.decode()


def test_the_message_for_a_reversed_period_is_in_the_readers_language(client: Client) -> None:
    response = client.get("/impact/", {"from": "2025-12-01", "to": "2025-01-01"})

    # Korean once the catalog is compiled: "종료일이 시작일보다 앞에 있습니다."
    assert gettext("The last day comes before the first day.") in response.content.decode()


def test_a_neighbourhood_of_another_district_than_the_one_chosen_is_refused(
    client: Client,
) -> None:
    here = NeighbourhoodFactory.create()
    elsewhere = DistrictFactory.create()

    response = client.get("/impact/", {"district": elsewhere.code, "neighbourhood": str(here.pk)})

    assert "__all__" in response.context["form"].errors


def test_a_period_without_data_shows_zeros_and_says_so(client: Client) -> None:
    response = client.get("/impact/", {"from": "2019-01-01", "to": "2019-12-31"})

    html = response.content.decode()
    assert 'id="no-data"' in html
    figures = response.context["figures"]
    assert (figures.applications, figures.connections, figures.connection_rate) == (0, 0, None)


def test_small_groups_read_fewer_than_five_on_the_page(client: Client) -> None:
    home = NeighbourhoodFactory.create()
    for _ in range(3):
        apply(resident(home))
    start, end = this_year()

    response = client.get(
        "/impact/",
        {"from": start.isoformat(), "to": end.isoformat(), "neighbourhood": str(home.pk)},
    )

    assert response.context["figures"].applications is None
    html = response.content.decode()
    # "5명 미만" once the catalog is compiled.
    assert gettext("fewer than %(n)s") % {"n": 5} in html
    assert 'id="no-data"' not in html  # a hidden small group is not "no data"


def test_every_chart_is_an_svg_with_a_title_and_a_table_with_a_caption(client: Client) -> None:
    html = client.get("/impact/").content.decode()

    assert html.count('<svg class="chart-svg"') == 5
    assert html.count('role="img"') == 5
    assert html.count("<title id=") == 5
    assert html.count("<caption>") == 5
    assert "<script" not in html.split('<main id="main"')[1]


def test_the_site_menu_links_to_the_impact_page(client: Client) -> None:
    html = client.get("/projects/").content.decode()

    assert 'href="/impact/"' in html


def test_the_page_costs_the_same_few_queries_with_a_district_year_of_data(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    district = DistrictFactory.create()
    sample(district, per_neighbourhood=12)
    some = Neighbourhood.objects.filter(district=district).first()
    assert some is not None

    with django_assert_max_num_queries(8 + SEAM_QUERIES):
        response = client.get("/impact/")
    with django_assert_max_num_queries(9 + SEAM_QUERIES):
        client.get("/impact/", {"neighbourhood": str(some.pk), "area": Area.HEALTH})

    figures = response.context["figures"]
    assert figures.applications == 16 * 12
    assert figures.connection_rate is not None
    assert (
        figures.participants == 16 * 12
    )  # the volunteers (the sample's applications have no account)


def test_the_page_is_cached_for_a_few_minutes(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client.get("/impact/")

    with django_assert_max_num_queries(3):  # the year buttons and the menus, not the figures
        client.get("/impact/")


# --- the staff report ------------------------------------------------------------------------


def staff_of(district: District, role: str = StaffMember.Role.STAFF) -> User:
    return StaffMemberFactory.create(district=district, role=role).user


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/impact/report/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["resident", "coordinator", "admin staff without a district"])
def test_residents_and_coordinators_do_not_find_the_report(client: Client, who: str) -> None:
    district = DistrictFactory.create()
    users: dict[str, Any] = {
        "resident": lambda: resident(NeighbourhoodFactory.create(district=district)),
        "coordinator": lambda: staff_of(district, StaffMember.Role.COORDINATOR),
        "admin staff without a district": lambda: UserFactory.create(is_staff=True),
    }
    client.force_login(users[who]())

    assert client.get("/impact/report/").status_code == 404
    assert client.get("/impact/report/", {"format": "csv"}).status_code == 404


def test_district_staff_read_their_own_district_with_exact_counts(client: Client) -> None:
    district = DistrictFactory.create()
    home = NeighbourhoodFactory.create(district=district)
    other = DistrictFactory.create()
    for _ in range(2):
        apply(resident(home))
    client.force_login(staff_of(district))
    start, end = this_year()
    period = {"from": start.isoformat(), "to": end.isoformat()}

    response = client.get("/impact/report/", period)
    elsewhere = client.get("/impact/report/", {**period, "district": other.code})

    assert response.status_code == 200
    report = response.context["report"]
    assert report.figures.district_id == district.pk
    assert [row.cells.applications for row in report.neighbourhoods] == [2]
    assert "district" in elsewhere.context["form"].errors
    assert elsewhere.context["report"].figures.district_id == district.pk


def test_a_superuser_may_choose_any_district(client: Client) -> None:
    first, second = DistrictFactory.create(), DistrictFactory.create()
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    everywhere = client.get("/impact/report/")
    one = client.get("/impact/report/", {"district": second.code})

    assert everywhere.context["report"].figures.district_id is None
    assert 'name="district"' in everywhere.content.decode()
    assert one.context["report"].figures.district_id == second.pk
    assert first.pk != second.pk


def test_the_report_downloads_as_csv_for_excel_without_personal_data(client: Client) -> None:
    district = DistrictFactory.create()
    home = NeighbourhoodFactory.create(district=district)
    applicants = [resident(home, first_name="순자", last_name="김") for _ in range(2)]
    for user in applicants:
        apply(user, Area.HEALTH)
    client.force_login(staff_of(district))
    start, end = this_year()

    response = client.get(
        "/impact/report/", {"from": start.isoformat(), "to": end.isoformat(), "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "김순자" not in text and "010-" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + 1 + 1 + len(Area.values)  # header, total, a neighbourhood, areas
    assert rows[0][0] == gettext("Kind")  # "구분" once the catalog is compiled
    total = rows[1]
    assert total[3:5] == ["2", "0"]  # applications, connections
    health = next(row for row in rows if row[1] == str(Area.HEALTH.label))
    assert health[3] == "2"


def test_the_report_costs_a_few_queries(
    client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    district = DistrictFactory.create()
    sample(district, per_neighbourhood=6, neighbourhoods=8)
    client.force_login(staff_of(district))

    with django_assert_max_num_queries(14 + SEAM_QUERIES):
        response = client.get("/impact/report/")

    assert len(response.context["report"].neighbourhoods) == 8
    assert Participation.objects.count() == 48
