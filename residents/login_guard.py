"""The guard against password guessing: django-axes, wired in settings (``AXES_*``).

Axes counts failed logins wherever a password is checked, because it sits first in
``AUTHENTICATION_BACKENDS``: the site's login (allauth, by email), the admin's (by username)
and the API's token (either). It counts them under the account, whatever name was typed
(``login_name``), so the three doors share one count. Two limits:

- per account and address: ``AXES_FAILURE_LIMIT`` failures pause that address for
  ``AXES_COOLOFF_TIME`` (axes' own);
- per account from every address together: ``LOGIN_ACCOUNT_FAILURE_LIMIT`` failures within
  ``LOGIN_ACCOUNT_COOLOFF`` pause the account everywhere until that much time has passed
  since the last of them (``LoginGuardHandler``). Higher and shorter, so that guessing from
  many addresses is slowed without an attacker keeping the resident out for long; tries
  during a pause are not counted (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``).

allauth's own limits (``ACCOUNT_RATE_LIMITS``) count on top, per address and per login name.
"""

from typing import Any

from allauth.account.adapter import get_adapter
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from welfare_net.api import API_PREFIX, error_body

# Where each login form puts the name: allauth's "login", the admin's "username", the API's
# "email" or "username"; authenticate() gets it as "email" or "username".
_NAME_FIELDS = ("login", "email", "username")
_UNICODE = {"ensure_ascii": False}
# axes keeps the name in a varchar(255) (AccessAttempt.username): a longer one was a DataError.
# No account's name is longer (usernames 150, emails 254), so no account's count is cut.
_AXES_NAME_LENGTH = 255


def typed_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The login name as typed, trimmed, lower case; the posted form first (on success axes
    passes the account's username, whatever was typed)."""
    posted = getattr(request, "data", None) or request.POST  # DRF's Request parses JSON
    for source in (posted, credentials or {}):
        if not hasattr(source, "get"):
            continue
        for field in _NAME_FIELDS:
            value = source.get(field)
            if value and isinstance(value, str):
                return value.strip().lower()[:_AXES_NAME_LENGTH]
    return ""


def login_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The name axes counts under (``AXES_USERNAME_CALLABLE``): the account's username, for
    its username or any of its email addresses typed in any case; a name of no account as
    typed (trimmed, lower case), so that guessing at it is counted all the same."""
    from residents.models import User

    typed = typed_name(request, credentials)
    if not typed:
        return ""
    known: dict[str, str] = getattr(request, "_login_guard_names", {})
    if typed not in known:
        account = (
            User.objects.filter(username__iexact=typed).values_list("username", flat=True).first()
            or User.objects.filter(Q(email__iexact=typed) | Q(emailaddress__email__iexact=typed))
            .order_by("pk")
            .values_list("username", flat=True)
            .first()
        )
        known[typed] = account or typed
        request._login_guard_names = known  # type: ignore[attr-defined]  # asked several times
    return known[typed]


def account_failures(username: str) -> int:
    """Failed passwords for the account from every address within ``LOGIN_ACCOUNT_COOLOFF``
    (each axes row counts until its last failure is that old)."""
    since = timezone.now() - settings.LOGIN_ACCOUNT_COOLOFF
    found = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )
    return int(found["total"] or 0)


class LoginGuardHandler(AxesDatabaseHandler):
    """Axes' database handler (``AXES_HANDLER``) with the per-account limit on top."""

    def _account_paused(self, request: Any, credentials: dict[str, Any] | None) -> bool:
        username = get_client_username(request, credentials)
        paused = bool(username) and (
            account_failures(username) >= settings.LOGIN_ACCOUNT_FAILURE_LIMIT
        )
        if paused:
            request.login_guard_account_paused = True
        return paused

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        return super().is_locked(request, credentials) or self._account_paused(request, credentials)

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if (
            request is not None
            and not getattr(request, "axes_locked_out", False)
            and self._account_paused(request, credentials)
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def client_ip(request: HttpRequest) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``), found as allauth finds it: behind
    ``ALLAUTH_TRUSTED_PROXY_COUNT`` proxies of our own, else the connection's. None for a
    request without one (a login made in code, such as the test client's ``force_login``)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


def lockout_message(request: object = None) -> str:
    """What a locked-out person reads, with the pause in minutes: the account's everywhere
    (``LOGIN_ACCOUNT_COOLOFF``), or this address's (``AXES_COOLOFF_TIME``)."""
    if getattr(request, "login_guard_account_paused", False):
        minutes = max(1, int(settings.LOGIN_ACCOUNT_COOLOFF.total_seconds() // 60))
        return ngettext(
            "Too many wrong passwords were tried for this account. For your safety, logging "
            "in to it is paused for %(minutes)d minute. Try again then, or set a new password.",
            "Too many wrong passwords were tried for this account. For your safety, logging "
            "in to it is paused for %(minutes)d minutes. Try again then, or set a new password.",
            minutes,
        ) % {"minutes": minutes}
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
    message = lockout_message(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            error_body("login_locked", message), status=429, json_dumps_params=_UNICODE
        )
    return render(request, "residents/login_locked.html", {"message": message}, status=429)
