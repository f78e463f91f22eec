"""The home page, the public impact page and the staff report."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from projects.models import Area
from projects.selectors import projects_open_near
from welfare_net import csv_safe
from welfare_net.page_cache import public_page

from . import pages
from .definitions import SMALL_GROUP_THRESHOLD
from .figures import StaffReport
from .forms import ImpactFilterForm
from .selectors import (
    first_year,
    has_many_districts,
    home_headline_figures,
    home_neighbourhood_for,
    impact_figures_cached,
    report_scope_for,
    staff_report,
)

# One plain line under each area button, so a first-time visitor knows what is behind it.
AREA_HINTS = {
    Area.DONATION: _("Give money or goods to a sharing project"),
    Area.NETWORK: _("Look in on neighbours who live alone"),
    Area.TALENT: _("Share a skill: repairs, haircuts, tutoring and more"),
    Area.HEALTH: _("Check-ups, exercise and visits by nurses"),
    Area.EDUCATION: _("Learning for children and for older people"),
}


# The impact page's own query parameters (forms.ImpactFilterForm).
IMPACT_QUERY = ("year", "from", "to", "district", "neighbourhood", "area")


def _in_english() -> bool:
    return (get_language() or "").startswith("en")


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    neighbourhood = home_neighbourhood_for(request.user)
    return render(
        request,
        "home.html",
        {
            "areas": [(area.value, area.label, AREA_HINTS[area]) for area in Area],
            "neighbourhood": neighbourhood,
            "near_projects": projects_open_near(neighbourhood=neighbourhood, limit=6),
            "figures": home_headline_figures(),
        },
    )


@require_safe
@public_page(query=IMPACT_QUERY)
def impact_page(request: HttpRequest) -> HttpResponse:
    """The figures for the period the visitor chose; anything wrong in the address is said in
    words and the default period shown instead."""
    form = ImpactFilterForm(request.GET, first_year=first_year())
    choice = form.choice()
    figures = impact_figures_cached(
        start=choice.period.start,
        end=choice.period.end,
        district=choice.district,
        neighbourhood=choice.neighbourhood,
        area=choice.area,
    )
    return render(
        request,
        "impact/page.html",
        {
            "form": form,
            "problems": form.problems(),
            "choice": choice,
            "figures": figures,
            "period_words": pages.period_words(choice),
            "year_links": pages.year_links(form.years(), choice),
            "charts": pages.page_charts(figures, local_names=_in_english()),
            "footnotes": pages.footnotes(),
            "show_district": has_many_districts(),
            "threshold": SMALL_GROUP_THRESHOLD,
        },
    )


@login_required
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    """District staff (their own district) and superusers only; anyone else: not found.
    ``?format=csv`` downloads the same tables."""
    scope = report_scope_for(request.user)
    if scope is None:
        raise Http404
    form = ImpactFilterForm(request.GET, first_year=first_year(), districts=scope.districts)
    choice = form.choice()
    district = choice.district or (scope.districts[0] if len(scope.districts) == 1 else None)
    found = staff_report(
        start=choice.period.start,
        end=choice.period.end,
        district=district,
        neighbourhood=choice.neighbourhood,
        area=choice.area,
        english_names=_in_english(),
    )
    if request.GET.get("format") == "csv":
        return _csv(found, choice.period.start.isoformat(), choice.period.end.isoformat())
    csv_query = request.GET.copy()
    csv_query["format"] = "csv"
    return render(
        request,
        "impact/report.html",
        {
            "form": form,
            "problems": form.problems(),
            "choice": choice,
            "report": found,
            "figures": found.figures,
            "show_district": len(scope.districts) > 1,
            "csv_query": csv_query.urlencode(),
            "period_words": pages.period_words(choice),
            "year_links": pages.year_links(form.years(), choice),
        },
    )


def _csv(found: StaffReport, start: str, end: str) -> HttpResponse:
    response = csv_safe.attachment(f"impact-report-{start}-{end}.csv")
    csv_safe.writer(response).writerows(pages.report_rows(found))
    return response
