"""API clients for the tests: one that sends a resident's token, as an app does."""

from rest_framework.test import APIClient

from residents.models import User
from residents.services import auth_token_issue


def token_client(user: User) -> APIClient:
    """A client that sends ``user``'s token on every request (``Authorization: Token ...``)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {auth_token_issue(user=user)}")
    return client


def error_fields(body: dict[str, object]) -> set[str]:
    """The fields an error in the common shape names."""
    errors = body["errors"]
    assert isinstance(errors, dict)
    return set(errors)
