"""What the API takes from and gives to residents' apps about their account."""

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from projects.models import HouseholdType, Neighbourhood, TargetGroup
from projects.serializers import NeighbourhoodSummarySerializer, TargetGroupSerializer
from welfare_net.api import ApiError
from welfare_net.api_enums import EnumField
from welfare_net.api_fields import JsonInput

from . import login_guard
from .consents import CONSENT_TEXTS
from .models import Consent, ResidentProfile, User, phone_validator
from .selectors import email_is_verified


class TokenObtainSerializer(JsonInput, serializers.Serializer[Any]):
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
            raise ApiError(
                code="login_locked", message=login_guard.lockout_message(request), status=429
            )
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


# --- The resident's own profile and consents -----------------------------------------------


class ConsentTextSerializer(serializers.Serializer[Any]):
    """A consent as residents are shown it: what, why, how long, and what refusing means."""

    kind = EnumField(Consent.Kind.choices, enum_name="ConsentKindEnum")
    version = serializers.CharField(help_text="Send it back when the resident agrees.")
    title = serializers.CharField()
    purpose = serializers.CharField()
    items = serializers.CharField()
    retention = serializers.CharField()
    refusal = serializers.CharField()


class MyConsentSerializer(serializers.ModelSerializer[Consent]):
    kind = EnumField(Consent.Kind.choices, enum_name="ConsentKindEnum", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "kind",
            "kind_label",
            "text_version",
            "given_at",
            "withdrawn_at",
            "is_active",
        ]
        read_only_fields = fields


class ConsentGiveSerializer(JsonInput, serializers.Serializer[Any]):
    """The resident agrees to the consent text of ``kind`` they were shown, in ``version``:
    the current one (``/api/consent-texts/``)."""

    kind = EnumField(Consent.Kind.choices, enum_name="ConsentKindEnum")
    # The document lists the current versions: an old one is outside it (400).
    text_version = serializers.ChoiceField(
        choices=sorted({text.version for text in CONSENT_TEXTS.values()}),
        error_messages={
            "invalid_choice": _(
                "Show the resident the current text of this consent (/api/consent-texts/) "
                "and send its version."
            )
        },
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = CONSENT_TEXTS[attrs["kind"]].version
        if attrs["text_version"] != current:
            # A current version, but another kind's: well formed, so 422.
            raise serializers.ValidationError(
                {
                    "text_version": serializers.ErrorDetail(
                        _(
                            "Show the resident the current text of this consent, version "
                            "%(version)s, and send that version."
                        )
                        % {"version": current},
                        code="unavailable",
                    )
                }
            )
        return attrs


class MyProfileSerializer(serializers.ModelSerializer[ResidentProfile]):
    neighbourhood = NeighbourhoodSummarySerializer(read_only=True)
    target_groups = TargetGroupSerializer(many=True, read_only=True)

    class Meta:
        model = ResidentProfile
        fields = [
            "neighbourhood",
            "birth_year",
            "household_type",
            "target_groups",
            "phone",
            "preferred_language",
            "notification_channel",
            "updated_at",
        ]
        read_only_fields = fields


NEIGHBOURHOOD_MISSING = _("Choose the neighbourhood you live in.")
BIRTH_YEAR_INVALID = _("Enter your year of birth as four digits, for example 1952.")
HOUSEHOLD_MISSING = _("Choose who you live with.")


class MyProfileInputSerializer(JsonInput, serializers.Serializer[Any]):
    """The profile as the website's profile step asks for it, by ids; the consents are given
    first, at their own address."""

    neighbourhood = serializers.PrimaryKeyRelatedField(
        queryset=Neighbourhood.objects.select_related("district"),
        help_text="The id of a neighbourhood (/api/neighbourhoods/).",
        error_messages={
            "required": NEIGHBOURHOOD_MISSING,
            "null": NEIGHBOURHOOD_MISSING,
            "does_not_exist": NEIGHBOURHOOD_MISSING,
            "incorrect_type": NEIGHBOURHOOD_MISSING,
        },
    )
    birth_year = serializers.IntegerField(
        min_value=1900,
        max_value=2100,
        error_messages={
            "required": _("Enter your year of birth, for example 1952."),
            "invalid": BIRTH_YEAR_INVALID,
            "min_value": BIRTH_YEAR_INVALID,
            "max_value": BIRTH_YEAR_INVALID,
            "max_string_length": BIRTH_YEAR_INVALID,
        },
    )
    household_type = serializers.ChoiceField(
        choices=HouseholdType.choices,
        error_messages={"required": HOUSEHOLD_MISSING, "invalid_choice": HOUSEHOLD_MISSING},
    )
    target_groups = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=TargetGroup.objects.all(),
        default=list,
        help_text="Ids of the groups that describe the resident (optional). Health and "
        "disability groups need the consent to sensitive information.",
    )
    phone = serializers.CharField(
        max_length=20, allow_blank=True, default="", validators=[phone_validator]
    )
    preferred_language = serializers.ChoiceField(
        choices=ResidentProfile.Language.choices, default=ResidentProfile.Language.KOREAN
    )
    notification_channel = serializers.ChoiceField(
        choices=ResidentProfile.Channel.choices, default=ResidentProfile.Channel.EMAIL
    )

    @staticmethod
    def values_of(profile: ResidentProfile) -> dict[str, Any]:
        """A saved profile as validated data: what a partial update leaves as it was."""
        return {
            "neighbourhood": profile.neighbourhood,
            "birth_year": profile.birth_year,
            "household_type": profile.household_type,
            "target_groups": list(profile.target_groups.all()),
            "phone": profile.phone,
            "preferred_language": profile.preferred_language,
            "notification_channel": profile.notification_channel,
        }
