"""The resident's pages: apply for support, follow an application, refer a neighbour, My page.

Doors only: who is asking, validate, call one service or selector, render. No JavaScript is
needed; every step works as a plain form (a withdrawal is confirmed on its own page).
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from residents.models import ResidentProfile, User
from residents.services import user_deletion_check
from surveys.selectors import surveys_waiting_count

from . import selectors, services
from .forms import ApplicationForm, ReferralForm, WithdrawForm

P = ParamSpec("P")
PROFILE_STEP = reverse_lazy("residents:profile")


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _to_profile_step(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("First, please tell us a little about yourself."))
    return redirect(f"{PROFILE_STEP}?{urlencode({'next': request.get_full_path()})}")


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def resident_required(
    view: Callable[Concatenate[HttpRequest, ResidentProfile, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """Logged in, with a resident profile (else the profile step, then back here)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        profile = selectors.resident_profile_for(_user(request))
        if profile is None:
            return _to_profile_step(request)
        return view(request, profile, *args, **kwargs)

    return login_required(wrapped)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    readiness = selectors.application_readiness(user)
    if readiness.profile is None:
        return _to_profile_step(request)
    if not readiness.has_personal_consent:
        consent_url = _url_or_none("residents:consents") or str(PROFILE_STEP)
        return render(request, "matching/consent_needed.html", {"consent_url": consent_url})
    projects = selectors.open_projects_for(readiness.profile)
    if request.method == "POST":
        form = ApplicationForm(request.POST, projects=projects)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = services.application_submit(
                    applicant=user,
                    areas=data["areas"],
                    description=data["description"],
                    urgency=data["urgency"],
                    support_type=data["support_type"],
                    preferred_project=data["preferred_project"],
                    contact_phone=data["contact_phone"],
                    submission_key=data["submission_key"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Your application was sent. The community centre will look at it soon."),
                )
                return redirect("matching:application", public_id=application.public_id)
    else:
        wanted = request.GET.get("project", "")
        preselected = (
            projects.filter(pk=int(wanted)).first()
            if wanted.isascii() and wanted.isdigit()
            else None
        )
        form = ApplicationForm(
            projects=projects,
            initial={"contact_phone": readiness.profile.phone, "preferred_project": preselected},
        )
    return render(request, "matching/apply.html", {"form": form})


@resident_required
def application_detail(
    request: HttpRequest, profile: ResidentProfile, public_id: UUID
) -> HttpResponse:
    application = selectors.application_of(user=_user(request), public_id=public_id)
    if application is None:
        raise Http404
    context = {
        "application": application,
        "area_labels": selectors.area_labels(application.areas),
        "support_type_label": selectors.support_type_label(application.support_type),
        "timeline": selectors.application_timeline(application),
        "progress": selectors.application_progress(application),
        "can_withdraw": selectors.can_withdraw(application),
    }
    return render(request, "matching/application.html", context)


@resident_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_withdraw(
    request: HttpRequest, profile: ResidentProfile, public_id: UUID
) -> HttpResponse:
    user = _user(request)
    application = selectors.application_of(user=user, public_id=public_id)
    if application is None:
        raise Http404
    if not selectors.can_withdraw(application):
        messages.info(request, _("This application can no longer be withdrawn."))
        return redirect("matching:application", public_id=public_id)
    form = WithdrawForm(request.POST) if request.method == "POST" else WithdrawForm()
    if form.is_bound and form.is_valid():
        try:
            services.application_withdraw(
                application=application, by=user, note=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your application was withdrawn."))
        return redirect("matching:application", public_id=public_id)
    context = {"application": application, "form": form}
    return render(request, "matching/withdraw_confirm.html", context)


@resident_required
@require_http_methods(["GET", "HEAD", "POST"])
def refer(request: HttpRequest, profile: ResidentProfile) -> HttpResponse:
    neighbourhoods = selectors.neighbourhoods_for(profile)
    if request.method == "POST":
        form = ReferralForm(request.POST, neighbourhoods=neighbourhoods)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referral = services.referral_submit(
                    referrer=_user(request),
                    neighbourhood_id=data["neighbourhood"].pk,
                    situation=data["situation"],
                    how_to_reach=data["how_to_reach"],
                    neighbour_knows=data["neighbour_knows"],
                    neighbour_name=data["neighbour_name"],
                    submission_key=data["submission_key"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Thank you. The community centre will contact your neighbour."),
                )
                return redirect("matching:referral", public_id=referral.public_id)
    else:
        form = ReferralForm(
            neighbourhoods=neighbourhoods, initial={"neighbourhood": profile.neighbourhood_id}
        )
    return render(request, "matching/refer.html", {"form": form})


@resident_required
def referral_detail(
    request: HttpRequest, profile: ResidentProfile, public_id: UUID
) -> HttpResponse:
    referral = selectors.referral_of(user=_user(request), public_id=public_id)
    if referral is None:
        raise Http404
    context = {
        "referral": referral,
        "status_words": selectors.referral_status_words(referral),
    }
    return render(request, "matching/referral.html", context)


@resident_required
def my_page(request: HttpRequest, profile: ResidentProfile) -> HttpResponse:
    context = {
        "page": selectors.my_page_for(_user(request)),
        "surveys_waiting": surveys_waiting_count(
            user=_user(request),
            district_id=profile.neighbourhood.district_id,
            today=timezone.localdate(),
        ),
        "profile_url": _url_or_none("residents:profile"),
        "consents_url": _url_or_none("residents:consents"),
    }
    return render(request, "matching/my_page.html", context)


@login_required
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """A donation receipt to print. Logging in is enough (no profile step): a donor must
    always be able to reach their tax receipt."""
    found = selectors.receipt_of(user=_user(request), pk=pk)
    if found is None:
        raise Http404
    return render(request, "matching/receipt.html", {"receipt": found})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """The resident deletes their own account. A staff account may not: the page says why
    in place of the form (and answers 403 to a post)."""
    user = _user(request)
    try:
        if request.method == "POST":
            services.account_delete(user=user)
        else:
            user_deletion_check(user=user)
    except ValidationError as error:
        context = {"refused": " ".join(error.messages)}
        status = 403 if request.method == "POST" else 200
        return render(request, "account_delete.html", context, status=status)
    if request.method != "POST":  # GET or HEAD: only the page
        return render(request, "account_delete.html")
    logout(request)
    messages.success(request, _("Your account is deleted. Thank you for taking part."))
    return redirect("home")
