"""The resident's talent page: offer a skill to neighbours.

A door only: who is asking, validate, call the service, render. Logging in is enough. With
``?project=<pk>`` of an open talent-sharing project the page names it; district staff attach
the offer to the project.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from residents.models import User

from . import selectors, services
from .forms import TalentOfferForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def offer(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    neighbourhoods = selectors.neighbourhoods_for_offer(resident=user)
    project = selectors.talent_project_open(pk=request.GET.get("project", ""))
    if request.method == "POST":
        form = TalentOfferForm(request.POST, neighbourhoods=neighbourhoods)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.talent_offer_create(
                    resident=user,
                    category=data["category"],
                    description=data["description"],
                    neighbourhoods=data["neighbourhoods"],
                    availability=data["availability"],
                    submission_key=data["submission_key"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you for offering your talent. The district will contact you."),
                )
                return redirect("matching:my_page")
    else:
        form = TalentOfferForm(neighbourhoods=neighbourhoods)
    return render(request, "talents/offer.html", {"form": form, "project": project})
