"""The district's figures for any period: the public impact page, its JSON, the staff report
and the home page read them here (this app reads every app and writes none)."""

import dataclasses
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone

from matching.models import SupportApplication
from projects.models import District, Neighbourhood, Project, StaffMember
from projects.selectors import serving_neighbourhood, staff_member_for
from residents.models import ResidentProfile
from surveys.selectors import DIMENSIONS, DimensionResult, survey_results
from visitors.selectors import visitors_between, visitors_total

from . import queries
from .definitions import SMALL_GROUP_THRESHOLD, suppress
from .figures import (
    AreaRow,
    Funnel,
    HeadlineFigures,
    ImpactFigures,
    MonthRow,
    NeighbourhoodRow,
    ReportRow,
    ReportScope,
    StaffReport,
    SurveyFigure,
    change_percent,
    growth_ratio,
    percent_of,
)
from .periods import Period, default_period

FIGURES_TIMEOUT = 5 * 60  # seconds; the figures name nobody, so every visitor may share them
_CACHE_VERSION = 1

# --- What the surveys and visitors apps count -----------------------------------------


def _survey_results(
    *,
    start: date,
    end: date,
    district_id: int | None,
    neighbourhood_id: int | None,
    area: str | None,
) -> dict[str, DimensionResult]:
    return survey_results(
        start=start,
        end=end,
        district_id=district_id,
        neighbourhood_id=neighbourhood_id,
        area=area,
    )


def _visitors(*, start: date, end: date) -> tuple[int, int]:
    """Visitors in the period, and cumulative up to its end."""
    return visitors_between(start=start, end=end), visitors_total(until=end)


def _project_counts(*, period: Period, previous: Period, scope: queries.Scope) -> dict[str, int]:
    projects = Project.objects.exclude(status=Project.Status.DRAFT).filter(
        created_at__gte=previous.start_at, created_at__lt=period.end_before
    )
    if scope.district_id is not None:
        projects = projects.filter(district_id=scope.district_id)
    if scope.neighbourhood_id is not None:
        neighbourhood = Neighbourhood(pk=scope.neighbourhood_id, district_id=scope.district_id or 0)
        projects = projects.filter(serving_neighbourhood(neighbourhood))
    if scope.area is not None:
        projects = projects.filter(area=scope.area)
    current = Q(created_at__gte=period.start_at)
    return projects.aggregate(
        current=Count("pk", filter=current),
        previous=Count("pk", filter=~current),
        **{code: Count("pk", filter=current & Q(area=code)) for code in queries.AREAS},
    )


def _neighbourhoods(scope: queries.Scope) -> list[Neighbourhood]:
    found = Neighbourhood.objects.order_by("district_id", "name")
    if scope.neighbourhood_id is not None:
        found = found.filter(pk=scope.neighbourhood_id)
    elif scope.district_id is not None:
        found = found.filter(district_id=scope.district_id)
    return list(found.only("pk", "code", "name", "name_en", "district_id"))


def impact_figures(
    *,
    start: date,
    end: date,
    district: District | None = None,
    neighbourhood: Neighbourhood | None = None,
    area: str | None = None,
    exact: bool = False,
) -> ImpactFigures:
    """The figures for ``start``..``end`` (both included, Korean days), optionally for one
    district, neighbourhood and area; see ``ImpactFigures`` for what each one means.

    Four queries of its own, however much data, plus the surveys' and visitors' own. With
    ``exact`` False (the public), counts of fewer than ``SMALL_GROUP_THRESHOLD`` people in a
    breakdown -- and in the totals when a neighbourhood or area is chosen -- are None, as
    are rates worked out from them; survey results always need that many respondents.
    """
    period = Period(start, end)
    previous = period.previous()
    scope = queries.Scope(
        district_id=district.pk if district else None,
        neighbourhood_id=neighbourhood.pk if neighbourhood else None,
        area=area,
    )
    if neighbourhood is not None and scope.district_id is None:
        scope = dataclasses.replace(scope, district_id=neighbourhood.district_id)
    applications = queries.application_counts(period=period, scope=scope)
    participants = queries.participant_counts(period=period, previous=previous, scope=scope)
    projects = _project_counts(period=period, previous=previous, scope=scope)
    neighbourhoods = _neighbourhoods(scope)
    visitors, visitors_total = _visitors(start=start, end=end)
    survey = _survey_results(
        start=start,
        end=end,
        district_id=scope.district_id,
        neighbourhood_id=scope.neighbourhood_id,
        area=area,
    )

    def cell(count: int) -> int | None:
        return count if exact else suppress(count)

    filtered = scope.neighbourhood_id is not None or scope.area is not None

    def total(count: int) -> int | None:
        return cell(count) if filtered else count

    headline_applications = total(applications.applications)
    headline_connections = total(applications.delivered)
    current, before = total(participants.current), total(participants.previous)
    areas = [scope.area] if scope.area else list(queries.AREAS)
    return ImpactFigures(
        period=period,
        previous=previous,
        district_id=scope.district_id,
        neighbourhood_id=scope.neighbourhood_id,
        area=scope.area,
        exact=exact,
        participants=current,
        participants_previous=before,
        participants_growth=growth_ratio(current, before),
        projects=projects["current"],
        projects_previous=projects["previous"],
        projects_change_pct=change_percent(projects["current"], projects["previous"]),
        applications=headline_applications,
        connections=headline_connections,
        connection_rate=percent_of(headline_connections, headline_applications),
        funnel=Funnel(
            applications=headline_applications,
            proposed=total(applications.proposed),
            accepted=total(applications.accepted),
            delivered=headline_connections,
        ),
        by_month=[
            MonthRow(
                month=month,
                applications=cell(applications.by_month.get(month, queries.Counts()).applications),
                connections=cell(applications.by_month.get(month, queries.Counts()).delivered),
            )
            for month in period.months()
        ],
        by_area=[
            AreaRow(
                code=code,
                applications=cell(applications.by_area[code].applications),
                connections=cell(applications.by_area[code].delivered),
                participants=cell(participants.by_area[code]),
                projects=projects[code],
            )
            for code in areas
        ],
        by_neighbourhood=[
            NeighbourhoodRow(
                id=n.pk,
                code=n.code,
                name=n.name,
                name_en=n.name_en,
                applications=cell(
                    applications.by_neighbourhood.get(n.pk, queries.Counts()).applications
                ),
                connections=cell(
                    applications.by_neighbourhood.get(n.pk, queries.Counts()).delivered
                ),
                participants=cell(participants.by_neighbourhood.get(n.pk, 0)),
            )
            for n in neighbourhoods
        ],
        visitors=visitors,
        visitors_total=visitors_total,
        survey=[
            SurveyFigure(
                code=code,
                percent=result.percent if result.respondents >= SMALL_GROUP_THRESHOLD else None,
                respondents=result.respondents,
            )
            for code, result in ((code, survey[code]) for code in DIMENSIONS if code in survey)
        ],
    )


def impact_figures_cached(
    *,
    start: date,
    end: date,
    district: District | None = None,
    neighbourhood: Neighbourhood | None = None,
    area: str | None = None,
) -> ImpactFigures:
    """The public figures (small groups hidden), cached a few minutes per period and scope."""
    key = ":".join(
        str(part)
        for part in (
            "impact:figures",
            _CACHE_VERSION,
            start.isoformat(),
            end.isoformat(),
            district.pk if district else "-",
            neighbourhood.pk if neighbourhood else "-",
            area or "-",
        )
    )
    cached = cache.get(key)
    if isinstance(cached, ImpactFigures):
        return cached
    figures = impact_figures(
        start=start, end=end, district=district, neighbourhood=neighbourhood, area=area
    )
    cache.set(key, figures, FIGURES_TIMEOUT)
    return figures


def first_year() -> int:
    """The year of the first application (this year when there is none): the page offers a
    button for every year from then on. Cached with the figures."""
    key = f"impact:first_year:{_CACHE_VERSION}"
    cached = cache.get(key)
    if isinstance(cached, int):
        return cached
    first = SupportApplication.objects.aggregate(first=Min("submitted_at"))["first"]
    year = timezone.localtime(first).year if first else timezone.localdate().year
    cache.set(key, year, FIGURES_TIMEOUT)
    return year


def has_many_districts() -> bool:
    """Whether the platform serves more than one district (the page then offers a choice)."""
    return District.objects.count() > 1


# --- The staff report -----------------------------------------------------------------------


def report_scope_for(user: AbstractBaseUser | AnonymousUser) -> ReportScope | None:
    """Superusers: every district; district staff: their own; anyone else (coordinators too,
    who see their own cases in the queue): None."""
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return ReportScope(districts=list(District.objects.order_by("name")))
    member = staff_member_for(user)
    if member is None or member.role != StaffMember.Role.STAFF:
        return None
    return ReportScope(districts=[member.district])


def staff_report(
    *,
    start: date,
    end: date,
    district: District | None,
    neighbourhood: Neighbourhood | None = None,
    area: str | None = None,
    english_names: bool = False,
) -> StaffReport:
    """The figures per neighbourhood and per area with exact counts (staff may see them; the
    report names no one), and the applications waiting today for want of a free place."""
    figures = impact_figures(
        start=start, end=end, district=district, neighbourhood=neighbourhood, area=area, exact=True
    )
    waiting_by_neighbourhood, waiting_by_area = queries.waiting_for_places(
        scope=queries.Scope(
            district_id=figures.district_id,
            neighbourhood_id=figures.neighbourhood_id,
            area=figures.area,
        )
    )
    return StaffReport(
        figures=figures,
        neighbourhoods=[
            ReportRow(
                kind="neighbourhood",
                key=row.code,
                name=(row.name_en or row.name) if english_names else row.name,
                cells=row,
                projects=None,
                waiting=waiting_by_neighbourhood.get(row.id),
            )
            for row in figures.by_neighbourhood
        ],
        areas=[
            ReportRow(
                kind="area",
                key=row.code,
                name=row.label,
                cells=row,
                projects=row.projects,
                waiting=waiting_by_area.get(row.code),
            )
            for row in figures.by_area
        ],
    )


# --- The home page ------------------------------------------------------------------------

HOME_FIGURES_CACHE_KEY = "impact:home_headline_figures:v2"


def home_headline_figures() -> HeadlineFigures:
    """The home page's figures, cached a few minutes: the same definitions as the impact page
    (its default period, the last complete year, whose cached figures it shares)."""
    cached = cache.get(HOME_FIGURES_CACHE_KEY)
    if isinstance(cached, HeadlineFigures):
        return cached
    period = default_period()
    figures = impact_figures_cached(start=period.start, end=period.end)
    headline = HeadlineFigures(
        open_projects=Project.objects.filter(status=Project.Status.OPEN).count(),
        year=period.start.year,
        # Whole-district totals are never hidden; the "or 0" only satisfies the type.
        participants=figures.participants or 0,
        projects=figures.projects,
        connection_rate=figures.connection_rate,
    )
    cache.set(HOME_FIGURES_CACHE_KEY, headline, FIGURES_TIMEOUT)
    return headline


def home_neighbourhood_for(user: AbstractBaseUser | AnonymousUser) -> Neighbourhood | None:
    """The neighbourhood of a logged-in resident's profile, or None."""
    if not user.is_authenticated:
        return None
    profile = (
        ResidentProfile.objects.select_related("neighbourhood").filter(user_id=user.pk).first()
    )
    return profile.neighbourhood if profile else None
