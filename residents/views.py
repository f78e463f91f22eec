"""The resident's own data: the profile and consent step, consents, account deletion."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from welfare_net.http import AuthenticatedHttpRequest, safe_next

from . import selectors, services
from .consents import CONSENT_TEXTS
from .forms import ProfileForm
from .models import Consent


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, initial=selectors.profile_initial(user=request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.profile_complete(
            user=request.user,
            neighbourhood=data["neighbourhood"],
            birth_year=data["birth_year"],
            household_type=data["household_type"],
            target_groups=list(data["target_groups"]),
            phone=data["phone"],
            preferred_language=data["preferred_language"],
            notification_channel=data["notification_channel"],
            consents={
                kind: CONSENT_TEXTS[kind].version
                for kind, given in (
                    (Consent.Kind.PERSONAL, data["consent_personal"]),
                    (Consent.Kind.SENSITIVE, data["consent_sensitive"]),
                    (Consent.Kind.NOTIFICATIONS, data["consent_notifications"]),
                )
                if given
            },
        )
        translation.activate(data["preferred_language"])
        messages.success(request, _("Your profile is saved."))
        response = HttpResponseRedirect(
            safe_next(request, request.GET.get("next", ""), reverse("home"))
        )
        response.set_cookie("django_language", data["preferred_language"], samesite="Lax")
        return response
    return render(request, "residents/profile.html", {"form": form, "consent_texts": CONSENT_TEXTS})


@login_required
def consents(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "residents/consents.html",
        {"consents": selectors.consents_for(user=request.user), "consent_texts": CONSENT_TEXTS},
    )


@login_required
@require_POST
def consent_withdraw(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    if kind not in Consent.Kind.values:
        return redirect("residents:consents")
    try:
        services.consent_withdraw(user=request.user, kind=kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your consent is withdrawn."))
    return redirect("residents:consents")


@login_required
@require_POST
def sign_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every other session and every API token of the user ends; this browser stays."""
    services.user_sign_out_everywhere(user=request.user)
    update_session_auth_hash(request, request.user)
    messages.success(
        request, _("You are signed out everywhere else. This device is still signed in.")
    )
    return redirect("matching:my_page")
