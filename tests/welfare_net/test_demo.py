"""The district-year demo against domain.md's first-year figures, and the year before it."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q, QuerySet
from django.utils import timezone

from donations.models import DonationPledge
from impact.selectors import impact_figures
from matching.models import MatchProposal, Referral, SupportApplication
from projects.models import Participation, Project
from talents.models import TalentOffer
from visitors.selectors import visitors_between

pytestmark = pytest.mark.django_db

S = SupportApplication.Status
Outcome = SupportApplication.Outcome


def _seed(scale: str = "district-year", seed: int = 2026) -> None:
    call_command("seed_demo", "--scale", scale, "--seed", str(seed), stdout=StringIO())


def _year(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _in(year: int, field: str) -> Q:
    """``field`` (a moment) falls in ``year``, in Seoul."""
    start, end = _year(year)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _participants(year: int) -> int:
    """domain.md's participants of a year: the distinct residents who applied, donated,
    offered a talent, referred a neighbour or took part in a project, each record by its own
    date (in Seoul)."""
    during = _in(year, "created_at")
    sources: list[QuerySet] = [  # type: ignore[type-arg]
        SupportApplication.objects.filter(
            _in(year, "submitted_at"), applicant__isnull=False
        ).values_list("applicant_id"),
        DonationPledge.objects.filter(during).values_list("donor_id"),
        TalentOffer.objects.filter(during).values_list("resident_id"),
        Referral.objects.filter(during).values_list("referrer_id"),
        Participation.objects.filter(started_on__year=year).values_list("resident_id"),
    ]
    first, *rest = [source.order_by() for source in sources]
    return first.union(*rest).count()  # UNION keeps each resident once


def _near(value: int, target: int) -> bool:
    return abs(value - target) <= 0.03 * target


def test_the_demo_year_has_the_districts_participants_and_grew_3_7_times_on_the_year_before() -> (
    None
):
    _seed()
    year = timezone.localdate().year - 1

    now, before = _participants(year), _participants(year - 1)

    assert _near(now, 14_134), now
    assert _near(before, 3_820), before
    assert 3.5 <= now / before <= 3.9
    assert Project.objects.filter(_in(year, "created_at")).count() == 347
    assert Project.objects.filter(_in(year - 1, "created_at")).count() == 181
    assert SupportApplication.objects.filter(_in(year, "submitted_at")).count() == 10_389
    assert not SupportApplication.objects.filter(_in(year - 1, "submitted_at")).exists()
    assert (
        visitors_between(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)) == 51_128
    )
    # The impact page's own figures for the demo year read like domain.md's first year.
    figures = impact_figures(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    assert figures.participants is not None and _near(figures.participants, 14_134)
    assert figures.participants_growth is not None
    assert Decimal("3.5") <= figures.participants_growth <= Decimal("3.9")
    assert (figures.projects, figures.projects_previous) == (347, 181)
    assert figures.projects_change_pct == Decimal("91.7")
    assert (figures.applications, figures.connections) == (10_389, 9_180)
    assert figures.connection_rate == Decimal("88.4")  # domain.md rounds 9,180 / 10,389 to 89%
    assert figures.visitors == 51_128
    assert figures.survey_percent == {
        "awareness": Decimal("91.7"),
        "convenience": Decimal("80.4"),
        "benefit": Decimal("76.5"),
        "trust": Decimal("87.3"),
        "contribution": Decimal("89.7"),
    }
    # The steps to support narrow at each step, as a district's do (domain.md gives the first
    # and the last): not every application finds a project, a coordinator accepts, or a
    # connection ends in support.
    funnel = figures.funnel
    steps = (funnel.applications, funnel.proposed, funnel.accepted, funnel.delivered)
    assert steps == (10_389, 9_900, 9_450, 9_180)
    assert steps[0] > steps[1] > steps[2] > steps[3]  # type: ignore[operator]
    _assert_cases_are_lost_at_each_step_the_way_real_ones_are(year)


def _assert_cases_are_lost_at_each_step_the_way_real_ones_are(year: int) -> None:
    """(Part of the test above: seeding a district-year takes half a minute.)"""
    applications = SupportApplication.objects.filter(_in(year, "submitted_at"))
    proposals = MatchProposal.objects.filter(application__in=applications)

    # Never proposed: no run found an eligible project or a free place; the resident withdrew.
    never = applications.filter(proposals__isnull=True)
    assert never.count() == 10_389 - 9_900
    assert set(never.values_list("status", flat=True)) == {S.WITHDRAWN}
    assert never.exclude(unmatched_reason="").count() > (10_389 - 9_900) / 2
    # Proposed, never accepted: rejected by the coordinator, or withdrawn while it waited.
    rejected = proposals.filter(status=MatchProposal.Status.REJECTED).exclude(decision_note="")
    assert rejected.filter(application__status=S.WITHDRAWN).exists()
    assert proposals.filter(status=MatchProposal.Status.EXPIRED).exists()
    # ... and some delivered after the coordinator rejected a first proposal.
    assert 300 <= rejected.filter(application__status=S.DELIVERED).count() <= 700
    # Accepted, then ended without support: each outcome, with the coordinator's note.
    ended = applications.exclude(outcome__in=["", Outcome.DELIVERED])
    assert ended.count() == 9_450 - 9_180
    assert set(ended.values_list("outcome", flat=True)) == set(Outcome.values) - {Outcome.DELIVERED}
    assert not ended.filter(events__outcome__in=Outcome.values, events__note="").exists()
    # The year's last proposals were still waiting for a decision at the year's end.
    _, end = _year(year)
    assert proposals.filter(created_at__lt=end, decided_at__gte=end).exists()
