"""What the API takes from and gives to residents' apps about their account."""

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from welfare_net.api import ApiError

from . import login_guard
from .models import User
from .selectors import email_is_verified


class TokenObtainSerializer(serializers.Serializer[Any]):
    """Email (as on the website) or username (as in the admin), and the password.

    Validates to ``{"user": User}``. The same rules as logging in on the website: an active
    account, and an email address confirmed by its link before the first login by email.
    """

    email = serializers.EmailField(required=False, max_length=254)
    username = serializers.CharField(required=False, max_length=150)
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        email, username = attrs.get("email"), attrs.get("username")
        if bool(email) == bool(username):
            raise serializers.ValidationError(
                _("Send either your email address or your username, with your password."),
                code="login_missing",
            )
        credentials = {"email": email} if email else {"username": username}
        request = self.context.get("request")
        user = authenticate(request, password=attrs["password"], **credentials)
        if user is None and login_guard.is_locked_out(request):
            # Too many failures for this name from this address: a 429, not "wrong password".
            raise ApiError(code="login_locked", message=login_guard.lockout_message(), status=429)
        if not isinstance(user, User):
            raise serializers.ValidationError(
                _("The email address or username and the password do not match an account."),
                code="wrong_credentials",
            )
        if email and not email_is_verified(user=user, email=email):
            raise serializers.ValidationError(
                _("Confirm your email address first: follow the link in the email we sent you."),
                code="email_not_verified",
            )
        return {"user": user}


class TokenSerializer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="Send it as the header `Authorization: Token <token>`.")
