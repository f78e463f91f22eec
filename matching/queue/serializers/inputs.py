"""What a coordinator sends to decide a case or handle a referral. Each value is checked on
its own; whether the decision is allowed is the services' to say."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from projects.models import Area, HouseholdType, Project, TargetGroup
from residents.consents import CONSENT_TEXTS
from residents.models import Consent, phone_validator
from welfare_net.api_enums import EnumField
from welfare_net.api_fields import JsonInput

from ...models import Urgency
from .cases import area, outcome, urgency

# --- Decisions ------------------------------------------------------------------------------

NOTE_LENGTH = 2000


def _note(required_message: Any = None) -> serializers.CharField:
    if required_message is None:
        return serializers.CharField(
            max_length=NOTE_LENGTH, required=False, allow_blank=True, default=""
        )
    messages = {"required": required_message, "blank": required_message}
    return serializers.CharField(max_length=NOTE_LENGTH, error_messages=messages)


class AcceptSerializer(JsonInput, serializers.Serializer[Any]):
    note = _note()


class RejectSerializer(JsonInput, serializers.Serializer[Any]):
    note = _note(_("Say why the proposal is rejected."))


class HoldSerializer(JsonInput, serializers.Serializer[Any]):
    note = _note(_("Say why the case is on hold."))


class ReassignSerializer(JsonInput, serializers.Serializer[Any]):
    project = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Project.objects.all(),
        help_text=_("One of the case's reassign_options."),
    )
    note = _note()


class OutcomeSerializer(JsonInput, serializers.Serializer[Any]):
    outcome = outcome()
    on = serializers.DateField(help_text=_("The day it happened: not in the future."))
    note = _note()


# --- Referrals ------------------------------------------------------------------------------


class ReferralContactSerializer(JsonInput, serializers.Serializer[Any]):
    note = _note(_("Note: say how the contact went."))


class ReferralCloseSerializer(JsonInput, serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=300,
        error_messages={
            "required": _("Say why the referral is closed."),
            "blank": _("Say why the referral is closed."),
        },
    )


class ReferralConvertSerializer(JsonInput, serializers.Serializer[Any]):
    """What the coordinator learnt from the neighbour, to apply on their behalf (as the
    website's form: sensitive groups need a separate consent this does not record)."""

    consent = serializers.BooleanField(
        help_text=_("The neighbour agreed to the use of their personal information.")
    )
    applicant_name = serializers.CharField(max_length=150)
    contact_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", validators=[phone_validator]
    )
    birth_year = serializers.IntegerField(
        min_value=1900, max_value=9999, required=False, allow_null=True, default=None
    )
    household_type = EnumField(
        HouseholdType.choices,
        enum_name="HouseholdTypeEnum",
        required=False,
        allow_blank=True,
        default="",
    )
    target_groups = serializers.PrimaryKeyRelatedField(
        many=True, queryset=TargetGroup.objects.filter(is_sensitive=False), required=False
    )
    areas = serializers.ListField(child=area(), allow_empty=False, max_length=len(Area))
    description = serializers.CharField()
    urgency = urgency(default=Urgency.NORMAL)

    def service_arguments(self) -> dict[str, Any]:
        """``referral_convert``'s arguments, with the consent text the neighbour agreed to."""
        data = self.validated_data
        return {
            "applicant_name": data["applicant_name"],
            "contact_phone": data["contact_phone"],
            "birth_year": data["birth_year"],
            "household_type": data["household_type"],
            "target_group_ids": [group.pk for group in data.get("target_groups", [])],
            "areas": sorted(set(data["areas"])),
            "description": data["description"],
            "urgency": data["urgency"],
            "consent_text_version": CONSENT_TEXTS[Consent.Kind.PERSONAL].version,
        }

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                _("Consent: an application needs the neighbour's consent.")
            )
        return value
