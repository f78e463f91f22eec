"""What the impact page and the staff report show beyond the figures: the year buttons, the
charts' geometry, the footnotes, and the report as CSV rows."""

import dataclasses
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import charts
from .definitions import FIGURE_DEFINITIONS, definition
from .figures import ImpactFigures, StaffReport
from .forms import Choice
from .periods import today


@dataclasses.dataclass(frozen=True)
class YearLink:
    year: int
    label: str
    query: str
    current: bool


def year_links(years: list[int], choice: Choice) -> list[YearLink]:
    """A button per year, the filters kept; this year reads "this year so far"."""
    keep: dict[str, Any] = {}
    if choice.district:
        keep["district"] = choice.district.code
    if choice.neighbourhood:
        keep["neighbourhood"] = choice.neighbourhood.pk
    if choice.area:
        keep["area"] = choice.area
    this_year = today().year
    return [
        YearLink(
            year=year,
            label=_("This year so far") if year == this_year else str(year),
            query=urlencode({"year": year, **keep}),
            current=choice.year == year,
        )
        for year in reversed(years)
    ]


def period_words(choice: Choice) -> str:
    period = choice.period
    if choice.year and period.is_year():
        return _("The year %(year)s") % {"year": choice.year}
    return _("%(start)s to %(end)s") % {
        "start": date_format(period.start, "DATE_FORMAT"),
        "end": date_format(period.end, "DATE_FORMAT"),
    }


def footnotes() -> list[tuple[str, str]]:
    """(key, text) of every definition, in the reader's language."""
    return [(key, definition(key)) for key in FIGURE_DEFINITIONS]


def page_charts(figures: ImpactFigures, *, local_names: bool) -> dict[str, Any]:
    """The charts of the impact page (their numbers are the figures' own)."""
    funnel = figures.funnel
    neighbourhood_name = (
        (lambda row: row.name_en or row.name) if local_names else (lambda row: row.name)
    )
    return {
        "by_month": charts.columns(
            [(row.month, row.applications, row.connections) for row in figures.by_month]
        ),
        "by_area": charts.horizontal(
            [(row.label, row.applications, row.connections) for row in figures.by_area]
        ),
        "by_neighbourhood": charts.horizontal(
            [
                (neighbourhood_name(row), row.applications, row.connections)
                for row in figures.by_neighbourhood
            ]
        ),
        "funnel": charts.horizontal(
            [
                (_("Applications"), funnel.applications, None),
                (_("Proposed a project"), funnel.proposed, None),
                (_("Accepted by a coordinator"), funnel.accepted, None),
                (_("Support delivered"), funnel.delivered, None),
            ]
        ),
        "survey": charts.horizontal(
            [(row.label, row.percent, None) for row in figures.survey], top=100
        ),
    }


# --- The staff report as CSV ---------------------------------------------------------------


def _number(value: int | Decimal | None) -> str:
    return "" if value is None else str(value)


def report_rows(report: StaffReport) -> list[list[str | Promise]]:
    """The report as a table: a header, the whole scope, each neighbourhood, each area.
    Counts only: no one's name or contact is in it."""
    figures = report.figures
    header: list[str | Promise] = [
        _("Kind"),
        _("Name"),
        _("Participants"),
        _("Applications"),
        _("Connections"),
        _("Connection rate (%)"),
        _("Projects registered"),
        _("Waiting for a place"),
        _("Median days waiting"),
        _("Longest wait (days)"),
    ]
    waiting = [row.waiting for row in report.neighbourhoods if row.waiting]
    rows: list[list[str | Promise]] = [
        header,
        [
            _("Total"),
            period_label(figures),
            _number(figures.participants),
            _number(figures.applications),
            _number(figures.connections),
            _number(figures.connection_rate),
            _number(figures.projects),
            str(sum(w.applications for w in waiting)),
            "",
            str(max((w.longest_days for w in waiting), default=0)),
        ],
    ]
    kinds = {"neighbourhood": pgettext("impact", "Neighbourhood"), "area": _("Area")}
    for row in [*report.neighbourhoods, *report.areas]:
        rows.append(
            [
                kinds[row.kind],
                str(row.name),
                _number(row.cells.participants),
                _number(row.cells.applications),
                _number(row.cells.connections),
                _number(row.cells.connection_rate),
                _number(row.projects),
                _number(row.waiting.applications if row.waiting else 0),
                _number(row.waiting.median_days if row.waiting else None),
                _number(row.waiting.longest_days if row.waiting else None),
            ]
        )
    return rows


def period_label(figures: ImpactFigures) -> str:
    return f"{figures.period.start.isoformat()} ~ {figures.period.end.isoformat()}"
