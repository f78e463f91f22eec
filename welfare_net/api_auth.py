"""How an app proves who it is: its token (django-rest-knox), bound to the login it stands for.

Django ends a session whose user's session auth hash changed (a new password; "sign out
everywhere"). A token issued before the user's ``sessions_ended_at`` (set by
``User.set_password``, whichever door changed the password, and by "sign out everywhere") is
refused and deleted: no password-changing door has to remember the tokens. Knox itself refuses
an expired token and an inactive user.

Its own module, not ``welfare_net/api.py``: knox's models need the app registry, which is not
ready yet when DRF's settings import ``api.py``.
"""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth
from rest_framework import exceptions


class TokenAuthentication(auth.TokenAuthentication):
    """``Authorization: Token <token>``; 401 ``authentication_failed`` for a token that expired,
    was signed out, or whose login changed."""

    def _cleanup_token(self, auth_token: Any) -> bool:
        """Whether this token expired (and is deleted). Knox also sweeps the user's other
        tokens here, a query on every request; ``auth_token_issue`` sweeps them at login."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False

    def validate_user(self, auth_token: Any) -> tuple[Any, Any]:
        user, token = super().validate_user(auth_token)
        ended = user.sessions_ended_at
        if ended is not None and token.created <= ended:
            token.delete()
            raise exceptions.AuthenticationFailed(_("This sign-in has ended. Please log in again."))
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema's name for it, as for DRF's own token (``tokenAuth``)."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme: dict[str, Any] = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
        return scheme
