"""Each figure against a small story whose right answer is known, built with the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from donations.models import DonationPledge
from impact.selectors import impact_figures, impact_figures_cached, staff_report
from matching.models import Referral, SupportApplication
from matching.services import application_withdraw, proposal_reject
from projects.models import Area, Participation, Project
from talents.models import TalentOffer
from tests.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    ParticipationFactory,
    ProjectFactory,
)
from tests.matching.factories import make_talent_offer, submit_referral
from tests.surveys.factories import add_response, seoul, survey_with_questions
from visitors.models import DailyVisitors

from .helpers import (
    accept,
    apply,
    coordinator_for,
    created_on,
    deliver,
    match,
    move_to,
    open_project,
    pledge,
    resident,
    this_year,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


# --- participants ----------------------------------------------------------------------------


def test_participants_count_each_resident_once_whichever_ways_they_took_part() -> None:
    home = NeighbourhoodFactory.create()
    project = open_project(home.district)
    applicant, donor, talented, referrer, volunteer = (resident(home) for _ in range(5))
    apply(applicant)
    pledge(donor, project)
    pledge(applicant, project)  # the applicant again: still one participant
    make_talent_offer(talented)
    make_talent_offer(applicant)
    submit_referral(referrer)
    submit_referral(donor)
    ParticipationFactory.create(resident=volunteer, project=project, started_on=this_year()[1])
    ParticipationFactory.create(resident=talented, project=project, started_on=this_year()[1])

    figures = impact_figures(start=this_year()[0], end=this_year()[1], exact=True)

    assert figures.participants == 5


def test_cancelled_pledges_and_places_and_other_periods_do_not_make_a_participant() -> None:
    home = NeighbourhoodFactory.create()
    project = open_project(home.district)
    cancelled_donor, cancelled_volunteer, last_year, counted = (resident(home) for _ in range(4))
    pledge(cancelled_donor, project, status=DonationPledge.Status.CANCELLED)
    ParticipationFactory.create(
        resident=cancelled_volunteer,
        project=project,
        status=Participation.Status.CANCELLED,
        started_on=this_year()[1],
        ended_on=this_year()[1],
    )
    offer = make_talent_offer(last_year)
    created_on(TalentOffer, offer.pk, this_year()[0] - dt.timedelta(days=3))
    pledge(counted, project)

    figures = impact_figures(start=this_year()[0], end=this_year()[1], exact=True)

    assert figures.participants == 1
    assert figures.participants_previous == 1  # the talent offer of last December


def test_growth_is_participants_over_those_of_the_same_months_just_before() -> None:
    home = NeighbourhoodFactory.create()
    project = open_project(home.district)
    year = this_year()[0].year
    # The first half of last year, against the second half of the year before.
    start, end = dt.date(year - 1, 1, 1), dt.date(year - 1, 6, 30)
    earlier = [resident(home) for _ in range(2)]
    later = [resident(home) for _ in range(7)]
    for user in earlier:
        made = pledge(user, project)
        created_on(DonationPledge, made.pk, dt.date(year - 2, 7, 1))
    for user in later:
        made = pledge(user, project)
        created_on(DonationPledge, made.pk, dt.date(year - 1, 6, 30))
    too_early = pledge(resident(home), project)
    created_on(DonationPledge, too_early.pk, dt.date(year - 2, 6, 30))

    figures = impact_figures(start=start, end=end, exact=True)

    assert figures.previous.start == dt.date(year - 2, 7, 1)
    assert (figures.participants, figures.participants_previous) == (7, 2)
    assert figures.participants_growth == Decimal("3.5")


def test_growth_is_unknown_rather_than_a_division_by_zero_without_a_previous_period() -> None:
    home = NeighbourhoodFactory.create()
    pledge(resident(home), open_project(home.district))

    figures = impact_figures(start=this_year()[0], end=this_year()[1])

    assert (figures.participants, figures.participants_previous) == (1, 0)
    assert figures.participants_growth is None


def test_participants_count_where_they_live_and_in_each_area_they_took_part_in() -> None:
    home = NeighbourhoodFactory.create()
    other = NeighbourhoodFactory.create(district=home.district)
    project = open_project(home.district, area=Area.HEALTH)
    here = [resident(home) for _ in range(3)]
    there = resident(other)
    for user in here:
        apply(user, Area.EDUCATION, Area.HEALTH)
    pledge(there, project)
    make_talent_offer(here[0])
    submit_referral(there)

    figures = impact_figures(start=this_year()[0], end=this_year()[1], exact=True)

    by_neighbourhood = {row.id: row.participants for row in figures.by_neighbourhood}
    assert by_neighbourhood == {home.pk: 3, other.pk: 1}
    by_area = {row.code: row.participants for row in figures.by_area}
    assert by_area == {"donation": 0, "network": 1, "talent": 1, "health": 4, "education": 3}
    only_health = impact_figures(
        start=this_year()[0], end=this_year()[1], area=Area.HEALTH, exact=True
    )
    assert only_health.participants == 4
    only_other = impact_figures(
        start=this_year()[0], end=this_year()[1], neighbourhood=other, exact=True
    )
    assert only_other.participants == 1


# --- projects --------------------------------------------------------------------------------


def test_projects_are_those_registered_in_the_period_drafts_aside_with_their_change() -> None:
    district = DistrictFactory.create()
    start, end = this_year()
    for _ in range(3):
        ProjectFactory.create(district=district, status=Project.Status.OPEN)
    ProjectFactory.create(district=district, status=Project.Status.CLOSED)
    ProjectFactory.create(district=district, status=Project.Status.DRAFT)
    for _ in range(2):
        earlier = ProjectFactory.create(district=district, status=Project.Status.CLOSED)
        created_on(Project, earlier.pk, start - dt.timedelta(days=1))

    figures = impact_figures(start=start, end=end)

    assert (figures.projects, figures.projects_previous) == (4, 2)
    assert figures.projects_change_pct == Decimal("100.0")


def test_the_change_in_projects_is_unknown_when_the_previous_period_had_none() -> None:
    ProjectFactory.create(status=Project.Status.OPEN)

    figures = impact_figures(start=this_year()[0], end=this_year()[1])

    assert (figures.projects, figures.projects_change_pct) == (1, None)


# --- applications, connections, the funnel -----------------------------------------------------


@pytest.fixture
def story() -> dict:
    """Eight applications in two neighbourhoods: six proposed, three accepted (one then
    rejected earlier and proposed again), two delivered, one withdrawn, two never placed."""
    home = NeighbourhoodFactory.create(name="가동")
    other = NeighbourhoodFactory.create(district=home.district, name="나동")
    open_project(home.district, Area.DONATION, capacity=4)
    open_project(home.district, Area.HEALTH, capacity=2)
    here = [apply(resident(home), Area.DONATION) for _ in range(5)]
    there = [apply(resident(other), Area.HEALTH), apply(resident(other), Area.HEALTH)]
    both = apply(resident(other), Area.DONATION, Area.HEALTH)
    coordinator = coordinator_for(home, other)
    proposals = match(home.district)
    assert len(proposals) == 6
    placed = list(proposals.values())
    for proposal in placed[:3]:
        accept(proposal, coordinator)
    deliver(placed[0], coordinator)
    deliver(placed[1], coordinator)
    proposal_reject(proposal=placed[3], by=coordinator, note="맞지 않음")
    unplaced = [a for a in [*here, *there, both] if a.pk not in proposals]
    withdrawing = unplaced[0].applicant
    assert withdrawing is not None
    application_withdraw(application=unplaced[0], by=withdrawing)
    return {"home": home, "other": other, "coordinator": coordinator, "proposals": placed}


def test_applications_connections_and_the_funnel_follow_the_events(story: dict) -> None:
    figures = impact_figures(start=this_year()[0], end=this_year()[1], exact=True)

    assert (figures.applications, figures.connections) == (8, 2)
    assert figures.connection_rate == Decimal("25.0")
    funnel = figures.funnel
    assert (funnel.applications, funnel.proposed, funnel.accepted, funnel.delivered) == (
        8,
        6,
        3,
        2,
    )


def test_recording_a_delivered_outcome_moves_connections_and_the_connection_rate(
    story: dict,
) -> None:
    start, end = this_year()
    before = impact_figures(start=start, end=end, exact=True)
    still_accepted = story["proposals"][2]

    deliver(still_accepted, story["coordinator"])

    after = impact_figures(start=start, end=end, exact=True)
    assert (before.connections, after.connections) == (2, 3)
    assert (before.connection_rate, after.connection_rate) == (Decimal("25.0"), Decimal("37.5"))
    assert after.funnel.delivered == 3


def test_a_connection_counts_for_the_period_of_its_application_whenever_it_was_delivered() -> None:
    home = NeighbourhoodFactory.create()
    open_project(home.district)
    application = apply(resident(home))
    coordinator = coordinator_for(home)
    proposal = match(home.district)[application.pk]
    accept(proposal, coordinator)
    last_year = this_year()[0].year - 1
    move_to(application, dt.date(last_year, 12, 20))
    deliver(proposal, coordinator)  # today, in the new year

    december = impact_figures(
        start=dt.date(last_year, 12, 1), end=dt.date(last_year, 12, 31), exact=True
    )
    this_one = impact_figures(start=this_year()[0], end=this_year()[1], exact=True)

    assert (december.applications, december.connections) == (1, 1)
    assert (this_one.applications, this_one.connections) == (0, 0)


def test_an_application_with_two_areas_counts_in_both(story: dict) -> None:
    figures = impact_figures(start=this_year()[0], end=this_year()[1], exact=True)

    by_area = {row.code: row.applications for row in figures.by_area}
    assert by_area == {"donation": 6, "network": 0, "talent": 0, "health": 3, "education": 0}
    assert sum(n or 0 for n in by_area.values()) == 8 + 1


def test_the_breakdowns_by_neighbourhood_and_month_add_up_to_the_totals(story: dict) -> None:
    start, end = this_year()
    figures = impact_figures(start=start, end=end, exact=True)

    by_neighbourhood = {
        row.id: (row.applications, row.connections) for row in figures.by_neighbourhood
    }
    assert by_neighbourhood[story["home"].pk][0] == 5
    assert by_neighbourhood[story["other"].pk][0] == 3
    assert sum(c or 0 for _, c in by_neighbourhood.values()) == 2
    months = {row.month: row.applications for row in figures.by_month}
    assert list(months) == [dt.date(start.year, m, 1) for m in range(1, end.month + 1)]
    assert months[end.replace(day=1)] == 8
    assert sum(n or 0 for n in months.values()) == 8


def test_a_neighbourhood_and_an_area_narrow_every_count(story: dict) -> None:
    start, end = this_year()

    health = impact_figures(start=start, end=end, area=Area.HEALTH, exact=True)
    other = impact_figures(start=start, end=end, neighbourhood=story["other"], exact=True)

    assert health.applications == 3
    assert [row.code for row in health.by_area] == [Area.HEALTH]
    assert other.applications == 3
    assert [row.id for row in other.by_neighbourhood] == [story["other"].pk]


# --- a period with nothing, small groups, the seams ---------------------------------------------


def test_a_period_without_data_is_all_zeros_and_no_rate() -> None:
    NeighbourhoodFactory.create()

    figures = impact_figures(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31))

    assert figures.is_empty
    assert (figures.participants, figures.projects, figures.applications) == (0, 0, 0)
    assert (figures.connections, figures.connection_rate) == (0, None)
    assert figures.participants_growth is None
    assert figures.projects_change_pct is None
    assert all(row.applications == 0 for row in figures.by_month)
    assert len(figures.by_month) == 12


def test_counts_of_one_to_four_people_in_a_breakdown_are_hidden_from_the_public(
    story: dict,
) -> None:
    start, end = this_year()

    public = impact_figures(start=start, end=end)
    exact = impact_figures(start=start, end=end, exact=True)

    row = {r.id: r for r in public.by_neighbourhood}[story["other"].pk]
    assert (row.applications, row.connections, row.connection_rate) == (None, None, None)
    home = {r.id: r for r in public.by_neighbourhood}[story["home"].pk]
    assert home.applications == 5  # five is not a small group
    assert {r.code: r.applications for r in public.by_area}["network"] == 0  # zero is shown
    # The whole district's totals are not a small group.
    assert (public.applications, public.connections) == (8, 2)
    assert exact.by_neighbourhood == [
        r for r in exact.by_neighbourhood if r.applications is not None
    ]


def test_totals_for_a_neighbourhood_or_an_area_hide_small_groups_too(story: dict) -> None:
    start, end = this_year()

    other = impact_figures(start=start, end=end, neighbourhood=story["other"])
    home = impact_figures(start=start, end=end, neighbourhood=story["home"])

    assert (other.applications, other.connections, other.connection_rate) == (None, None, None)
    assert other.participants is None
    assert other.funnel.proposed is None
    assert home.applications == 5


def test_survey_results_are_the_surveys_own_and_need_five_respondents() -> None:
    survey = survey_with_questions(["awareness", "convenience", "trust"])
    at = seoul(dt.date(2025, 11, 3))
    # Awareness: 10 respondents, 8 of them 4 or 5 (80.0%); convenience: 4 respondents, so
    # hidden; trust: 5 respondents, a score of 3 does not count (60.0%).
    for n in range(10):
        scores = {"awareness": 5 if n < 8 else 3}
        if n < 4:
            scores["convenience"] = 5
        if n < 5:
            scores["trust"] = 4 if n < 3 else 3
        add_response(survey, scores, at=at)
    add_response(survey, {"awareness": 1}, at=seoul(dt.date(2026, 1, 2)))  # another year

    figures = impact_figures(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))

    assert figures.survey_percent == {
        "awareness": Decimal("80.0"),
        "convenience": None,
        "benefit": None,
        "trust": Decimal("60.0"),
        "contribution": None,
    }


def test_visitors_are_the_periods_daily_counts_and_the_cumulative_total_to_its_end() -> None:
    DailyVisitors.objects.bulk_create(
        [
            DailyVisitors(day=dt.date(2024, 12, 31), visitors=100),
            DailyVisitors(day=dt.date(2025, 1, 1), visitors=30),
            DailyVisitors(day=dt.date(2025, 12, 31), visitors=12),
            DailyVisitors(day=dt.date(2026, 1, 1), visitors=7),
        ]
    )

    figures = impact_figures(start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))

    assert (figures.visitors, figures.visitors_total) == (42, 142)


def test_the_public_figures_are_cached_per_period_and_filters() -> None:
    home = NeighbourhoodFactory.create()
    apply(resident(home))
    start, end = this_year()
    first = impact_figures_cached(start=start, end=end)
    apply(resident(home))

    again = impact_figures_cached(start=start, end=end)
    narrower = impact_figures_cached(start=start, end=end, neighbourhood=home)

    assert again == first
    assert again.applications == 1
    assert narrower.applications is None  # two people in a neighbourhood: hidden


# --- the staff report: exact counts and cold spots ---------------------------------------------


def test_cold_spots_are_where_applications_wait_for_want_of_places_worst_first() -> None:
    crowded = NeighbourhoodFactory.create()
    quiet = NeighbourhoodFactory.create(district=crowded.district)
    full = open_project(crowded.district, Area.HEALTH, capacity=1)
    Project.objects.filter(pk=full.pk).update(places_taken=1)
    waiting = [apply(resident(crowded), Area.HEALTH) for _ in range(4)]
    alone = apply(resident(quiet), Area.HEALTH, Area.EDUCATION)
    match(crowded.district)
    for days, application in zip([2, 4, 9, 12, 6], [*waiting, alone], strict=True):
        SupportApplication.objects.filter(pk=application.pk).update(
            submitted_at=timezone.now() - dt.timedelta(days=days, hours=1)
        )
    assert (
        SupportApplication.objects.filter(
            status=SupportApplication.Status.PENDING,
            unmatched_reason=SupportApplication.UnmatchedReason.NO_FREE_PLACE,
        ).count()
        == 5
    )

    report = staff_report(start=this_year()[0], end=this_year()[1], district=crowded.district)

    spots = [
        (
            row.kind,
            row.key,
            row.waiting.applications,
            row.waiting.median_days,
            row.waiting.longest_days,
        )
        for row in report.cold_spots
        if row.waiting
    ]
    assert spots[:2] == [
        ("area", Area.HEALTH, 5, Decimal("6.0"), 12),
        ("neighbourhood", crowded.code, 4, Decimal("6.5"), 12),
    ]
    assert set(spots[2:]) == {
        ("area", Area.EDUCATION, 1, Decimal("6.0"), 6),
        ("neighbourhood", quiet.code, 1, Decimal("6.0"), 6),
    }


def test_the_staff_report_counts_small_groups_exactly(story: dict) -> None:
    report = staff_report(start=this_year()[0], end=this_year()[1], district=story["home"].district)

    rows = {row.key: row.cells.applications for row in report.neighbourhoods}
    assert rows == {story["home"].code: 5, story["other"].code: 3}


def test_a_referral_without_a_referrer_makes_no_participant() -> None:
    home = NeighbourhoodFactory.create()
    referral = submit_referral(resident(home))
    Referral.objects.filter(pk=referral.pk).update(referrer=None)

    figures = impact_figures(start=this_year()[0], end=this_year()[1], exact=True)

    assert figures.participants == 0
