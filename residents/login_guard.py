"""The guard against password guessing: django-axes, wired in settings (``AXES_*``).

Axes counts failed logins per login name and address wherever a password is checked, because
it sits first in ``AUTHENTICATION_BACKENDS``: the site's login (allauth, by email), the
admin's (by username) and the API's token (either). allauth's own limits
(``ACCOUNT_RATE_LIMITS``) count on top, per address and per login name alone.
"""

from typing import Any

from allauth.account.adapter import get_adapter
from axes.helpers import get_cool_off
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from welfare_net.api import API_PREFIX, error_body

# Where each login form puts the name: allauth's "login", the admin's "username", the API's
# "email" or "username"; authenticate() gets it as "email" or "username".
_NAME_FIELDS = ("login", "email", "username")
_UNICODE = {"ensure_ascii": False}


def login_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The name axes counts under (``AXES_USERNAME_CALLABLE``): as typed, trimmed, lower case.

    The posted form comes first: on a successful site login axes passes the account's username
    rather than the email typed, and the failures to reset were counted under the email.
    """
    posted = getattr(request, "data", None) or request.POST  # DRF's Request parses JSON
    for source in (posted, credentials or {}):
        for field in _NAME_FIELDS:
            value = source.get(field)
            if value:
                return str(value).strip().lower()
    return ""


def client_ip(request: HttpRequest) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``), found as allauth finds it: behind
    ``ALLAUTH_TRUSTED_PROXY_COUNT`` proxies of our own, else the connection's. None for a
    request without one (a login made in code, such as the test client's ``force_login``)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def lockout_message() -> str:
    """What a locked-out person reads, with the pause (``AXES_COOLOFF_TIME``) in minutes."""
    cool_off = get_cool_off()
    assert cool_off is not None  # settings always set one: no lockout lasts for ever
    minutes = max(1, int(cool_off.total_seconds() // 60))
    return ngettext(
        "Too many wrong passwords. For your safety, logging in to this account from here is "
        "paused for %(minutes)d minute. Try again then, or set a new password.",
        "Too many wrong passwords. For your safety, logging in to this account from here is "
        "paused for %(minutes)d minutes. Try again then, or set a new password.",
        minutes,
    ) % {"minutes": minutes}


def is_locked_out(request: object) -> bool:
    """Whether the last authenticate() with this request hit the lockout (axes marks the
    request; for the API that is DRF's Request, which the middleware never sees)."""
    return bool(getattr(request, "axes_locked_out", False))


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """The answer to a login that hit the lockout (``AXES_LOCKOUT_CALLABLE``): 429, in the
    requester's language, as a page or in the API's error shape."""
    message = lockout_message()
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            error_body("login_locked", message), status=429, json_dumps_params=_UNICODE
        )
    return render(request, "residents/login_locked.html", {"message": message}, status=429)
