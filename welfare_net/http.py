"""Request types for the doors (views) that only logged-in users reach."""

from typing import cast

from django.http import HttpRequest
from rest_framework.request import Request

from residents.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real ``User``."""

    user: User  # type: ignore[assignment]


def requester(request: Request) -> User:
    """The user of an API request behind ``IsAuthenticated``: a real ``User``."""
    return cast(User, request.user)
