"""The home page: what the platform is, the five areas, open projects near the reader, figures."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from projects.models import Area
from projects.selectors import projects_open_near

from .selectors import home_headline_figures, home_neighbourhood_for

# One plain line under each area button, so a first-time visitor knows what is behind it.
AREA_HINTS = {
    Area.DONATION: _("Give money or goods to a sharing project"),
    Area.NETWORK: _("Look in on neighbours who live alone"),
    Area.TALENT: _("Share a skill: repairs, haircuts, tutoring and more"),
    Area.HEALTH: _("Check-ups, exercise and visits by nurses"),
    Area.EDUCATION: _("Learning for children and for older people"),
}


@require_GET
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
