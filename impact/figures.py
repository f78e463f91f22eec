"""The shapes of the figures (plain dataclasses, no queries) and the arithmetic on them:
rates, growth and change, each of them None rather than a division by zero."""

import dataclasses
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django_stubs_ext import StrPromise

from projects.models import Area, District
from surveys.selectors import DIMENSION_LABELS

from .definitions import definitions_in_english
from .periods import Period
from .queries import Waiting

# --- The figures ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Cells:
    """The people-counts of one row of a breakdown (None: hidden, a small group)."""

    applications: int | None
    connections: int | None

    @property
    def connection_rate(self) -> Decimal | None:
        return percent_of(self.connections, self.applications)


@dataclasses.dataclass(frozen=True)
class MonthRow(Cells):
    month: date


@dataclasses.dataclass(frozen=True)
class AreaRow(Cells):
    participants: int | None
    code: str
    projects: int

    @property
    def label(self) -> StrPromise:
        return Area(self.code).label


@dataclasses.dataclass(frozen=True)
class NeighbourhoodRow(Cells):
    participants: int | None
    id: int
    code: str
    name: str
    name_en: str


@dataclasses.dataclass(frozen=True)
class Funnel:
    applications: int | None
    proposed: int | None
    accepted: int | None
    delivered: int | None


@dataclasses.dataclass(frozen=True)
class SurveyFigure:
    code: str
    percent: Decimal | None  # None: no answers, or fewer respondents than the threshold
    respondents: int

    @property
    def label(self) -> str:
        return str(DIMENSION_LABELS[self.code])


@dataclasses.dataclass(frozen=True)
class ImpactFigures:
    period: Period
    previous: Period
    district_id: int | None
    neighbourhood_id: int | None
    area: str | None
    exact: bool  # True for staff: small groups shown as they are
    participants: int | None
    participants_previous: int | None
    participants_growth: Decimal | None
    projects: int
    projects_previous: int
    projects_change_pct: Decimal | None
    applications: int | None
    connections: int | None
    connection_rate: Decimal | None
    funnel: Funnel
    by_month: list[MonthRow]
    by_area: list[AreaRow]
    by_neighbourhood: list[NeighbourhoodRow]
    visitors: int
    visitors_total: int
    survey: list[SurveyFigure]

    @property
    def survey_percent(self) -> dict[str, Decimal | None]:
        return {row.code: row.percent for row in self.survey}

    @property
    def is_empty(self) -> bool:
        """Nothing at all happened in the period (the page says so in words). A hidden small
        group is not nothing."""
        return all(n == 0 for n in (self.participants, self.projects, self.applications))


ImpactFigures.__doc__ = (
    "The figures of one period and scope. What each one means:\n\n" + definitions_in_english()
)


def percent_of(part: int | None, whole: int | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, one decimal; None when either is unknown or the
    whole is zero (never a division by zero)."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def growth_ratio(current: int | None, previous: int | None) -> Decimal | None:
    """``current`` divided by ``previous`` (3.7 means 3.7 times), None without a previous."""
    if current is None or not previous:
        return None
    return (Decimal(current) / Decimal(previous)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def change_percent(current: int, previous: int) -> Decimal | None:
    if not previous:
        return None
    return (Decimal(current - previous) * 100 / Decimal(previous)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )


# --- The staff report and the home page --------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReportScope:
    """Which districts a user may read the staff report of (district staff: their own)."""

    districts: list[District]


@dataclasses.dataclass(frozen=True)
class ReportRow:
    """One line of the staff report: a neighbourhood or an area, exact counts."""

    kind: str  # "neighbourhood" or "area"
    key: str  # the neighbourhood's code or the area's code
    name: str | StrPromise
    cells: AreaRow | NeighbourhoodRow
    projects: int | None  # registered in the period (areas only)
    waiting: Waiting | None  # None: nobody waiting for a place


@dataclasses.dataclass(frozen=True)
class StaffReport:
    figures: ImpactFigures
    neighbourhoods: list[ReportRow]
    areas: list[ReportRow]

    @property
    def cold_spots(self) -> list[ReportRow]:
        """Where applications wait for want of places, the longest queue first."""
        waiting = [row for row in [*self.neighbourhoods, *self.areas] if row.waiting]
        return sorted(
            waiting,
            key=lambda row: (
                -row.waiting.applications if row.waiting else 0,
                -row.waiting.longest_days if row.waiting else 0,
                str(row.name),
            ),
        )


@dataclasses.dataclass(frozen=True)
class HeadlineFigures:
    """Projects open now, and the impact page's own figures for its default period."""

    open_projects: int
    year: int
    participants: int
    projects: int
    connection_rate: Decimal | None
