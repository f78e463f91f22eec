"""Request types for the doors (views) that only logged-in users reach."""

from django.http import HttpRequest

from residents.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind ``login_required``: its user is a real ``User``."""

    user: User  # type: ignore[assignment]
