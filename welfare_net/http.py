"""Request types for the doors (views) that only logged-in users reach, and where a form may
send the user on to."""

from typing import cast

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from rest_framework.request import Request

from residents.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real ``User``."""

    user: User  # type: ignore[assignment]


def requester(request: Request) -> User:
    """The user of an API request behind ``IsAuthenticated``: a real ``User``."""
    return cast(User, request.user)


def safe_next(request: HttpRequest, target: str, fallback: str) -> str:
    """``target`` if it is an address on this site (a path, no control characters), else
    ``fallback``. Answer with ``HttpResponseRedirect``, not ``redirect()``: ``redirect("abc")``
    looks "abc" up as a view name and fails (a 500) where none is found."""
    if (
        target.startswith("/")
        and not any(ord(char) < 0x20 or ord(char) == 0x7F for char in target)
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback
