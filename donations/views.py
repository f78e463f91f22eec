"""The resident's donation page: pledge money or goods to an open project.

A door only: who is asking, validate, call the service, render. Logging in is enough; no
profile is needed to give.
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
from .forms import PledgeForm

# The service names the amount ``amount_won``; on the page it is the amount question.
_FIELD_OF_SERVICE_ERROR = {"amount_won": "amount"}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pledge(request: HttpRequest) -> HttpResponse:
    projects = selectors.projects_open_for_pledges()
    wanted_not_open = False
    if request.method == "POST":
        form = PledgeForm(request.POST, projects=projects)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.pledge_create(
                    donor=cast(User, request.user),
                    project=data["project"],
                    kind=data["kind"],
                    amount_won=data["amount_won"],
                    goods_description=data["goods_description"],
                    goods_quantity=data["goods_quantity"],
                    anonymous=data["anonymous"],
                    submission_key=data["submission_key"],
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you for your donation pledge. You can follow it here on My page."),
                )
                return redirect("matching:my_page")
    else:
        wanted = request.GET.get("project", "")
        wanted_not_open = bool(wanted) and wanted not in {str(p.pk) for p in projects}
        form = PledgeForm(projects=projects, initial={"project": "" if wanted_not_open else wanted})
    context = {"form": form, "wanted_not_open": wanted_not_open}
    return render(request, "donations/pledge.html", context)


def _add_service_errors(form: PledgeForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = _FIELD_OF_SERVICE_ERROR.get(field, field)
        form.add_error(name if name in form.fields else None, errors)
