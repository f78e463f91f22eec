"""What the API shows a resident of their own applications and referrals, and what it takes
to make one: the website's forms in JSON, with the same rules and the same words."""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.models import Area, Neighbourhood, Project, SupportType
from projects.serializers import NeighbourhoodNameSerializer, ProjectTitleSerializer
from residents.models import phone_validator
from welfare_net import api_fields
from welfare_net.api import ContextPrimaryKeyRelatedField
from welfare_net.api_enums import EnumField
from welfare_net.api_fields import JsonInput

from . import selectors
from .forms import DESCRIPTION_MAX, SITUATION_MAX
from .models import Referral, SupportApplication, Urgency

Status = SupportApplication.Status

SUBMISSION_KEY_HELP = (
    "A UUID the app makes once per form it shows: sending the same key again (a retry "
    "after a lost answer) returns the record already made instead of a second one. "
    "Optional; without it every request makes a new record."
)


# --- Applications -------------------------------------------------------------------------


class TimelineEntrySerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    status = EnumField(
        Status.choices,
        enum_name="ApplicationStatusEnum",
        help_text="The application's status after this event.",
    )
    words = serializers.CharField(help_text="What happened, in plain words.")
    note = serializers.CharField(help_text="The resident's own note (a withdrawal reason).")


class ProgressStepSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    reached = serializers.BooleanField()
    current = serializers.BooleanField()


class _ApplicationFields(serializers.ModelSerializer[SupportApplication]):
    """What both the list and the page of an application show."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    status = EnumField(Status.choices, enum_name="ApplicationStatusEnum")
    status_label = serializers.CharField(source="get_status_display")
    areas = serializers.ListField(child=EnumField(Area.choices, enum_name="ApplicationAreaEnum"))
    area_labels = serializers.SerializerMethodField()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    urgency_label = serializers.CharField(source="get_urgency_display")
    support_type = serializers.ChoiceField(choices=SupportType.choices, allow_blank=True)
    support_type_label = serializers.SerializerMethodField()
    preferred_project = ProjectTitleSerializer(allow_null=True)
    can_withdraw = serializers.SerializerMethodField()

    class Meta:
        model = SupportApplication
        fields = [
            "id",
            "status",
            "status_label",
            "areas",
            "area_labels",
            "urgency",
            "urgency_label",
            "support_type",
            "support_type_label",
            "preferred_project",
            "submitted_at",
            "can_withdraw",
        ]
        read_only_fields = fields

    def get_area_labels(self, application: SupportApplication) -> list[str]:
        return [str(label) for label in selectors.area_labels(application.areas)]

    def get_support_type_label(self, application: SupportApplication) -> str:
        return str(selectors.support_type_label(application.support_type))

    def get_can_withdraw(self, application: SupportApplication) -> bool:
        return selectors.can_withdraw(application)


class MyApplicationSerializer(_ApplicationFields):
    """An application in the resident's list, with its latest event."""

    latest_event_at = serializers.DateTimeField(allow_null=True)
    latest_event_words = serializers.SerializerMethodField()

    class Meta(_ApplicationFields.Meta):
        fields = [*_ApplicationFields.Meta.fields, "latest_event_at", "latest_event_words"]
        read_only_fields = fields

    def get_latest_event_words(self, application: Any) -> str:
        return str(selectors.event_words(application.latest_event_status))


class MyApplicationDetailSerializer(_ApplicationFields):
    """The resident's application page: what they asked for, the four steps, the timeline."""

    progress = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(_ApplicationFields.Meta):
        fields = [
            *_ApplicationFields.Meta.fields,
            "description",
            "contact_phone",
            "progress",
            "timeline",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressStepSerializer(many=True))
    def get_progress(self, application: SupportApplication) -> Any:
        steps = selectors.application_progress(application)
        return ProgressStepSerializer(steps, many=True).data

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, application: SupportApplication) -> Any:
        entries = selectors.application_timeline(application)
        return TimelineEntrySerializer(entries, many=True).data


AREAS_MISSING = _("What kind of help: choose at least one.")
DESCRIPTION_MISSING = _("Tell us what you need: please write a few words.")


class MyApplicationCreateSerializer(JsonInput, serializers.Serializer[Any]):
    """An application for the resident themselves, as the website's form takes it.

    ``context["projects"]``: the projects the resident may name as preferred (open ones of
    their district). Validates ``preferred_project`` to a ``Project`` or None."""

    areas = serializers.ListField(
        child=EnumField(
            Area.choices,
            enum_name="ApplicationAreaEnum",
            error_messages={"invalid_choice": _("What kind of help: choose from the list.")},
        ),
        allow_empty=False,
        max_length=len(Area.choices),
        error_messages={"required": AREAS_MISSING, "empty": AREAS_MISSING},
    )
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX,
        error_messages={
            "required": DESCRIPTION_MISSING,
            "blank": DESCRIPTION_MISSING,
            "max_length": _("Tell us what you need: please keep it under {max_length} characters."),
        },
    )
    urgency = serializers.ChoiceField(
        choices=Urgency.choices,
        default=Urgency.NORMAL,
        error_messages={"invalid_choice": _("How soon: choose one answer.")},
    )
    support_type = serializers.ChoiceField(
        choices=SupportType.choices,
        allow_blank=True,
        default="",
        error_messages={"invalid_choice": _("Choose a support type from the list.")},
    )
    preferred_project = api_fields.UUIDField(
        allow_null=True,
        default=None,
        help_text="The id of an open project of the resident's district (optional).",
    )
    contact_phone = serializers.CharField(
        max_length=20,
        allow_blank=True,
        default="",
        validators=[phone_validator],
        help_text="The number the community centre calls; the profile's when empty.",
        error_messages={
            "max_length": _("Your phone number: enter a number such as 010-1234-5678."),
        },
    )
    submission_key = api_fields.UUIDField(default=uuid.uuid4, help_text=SUBMISSION_KEY_HELP)

    def validate_preferred_project(self, value: uuid.UUID | None) -> Project | None:
        if value is None:
            return None
        projects: QuerySet[Project] = self.context["projects"]
        project = projects.filter(public_id=value).first()
        if project is None:
            raise serializers.ValidationError(
                _(
                    "A project you would like: this project is not taking applications. "
                    "Choose another or leave it empty."
                ),
                code="unavailable",
            )
        return project


class ApplicationWithdrawSerializer(JsonInput, serializers.Serializer[Any]):
    reason = serializers.CharField(
        max_length=500,
        allow_blank=True,
        default="",
        help_text="Why the resident withdraws (optional); the community centre reads it.",
        error_messages={
            "max_length": _(
                "Why are you withdrawing: please keep it under {max_length} characters."
            ),
        },
    )


# --- Referrals ----------------------------------------------------------------------------


class MyReferralSerializer(serializers.ModelSerializer[Referral]):
    """A referral as its referrer sees it: only what they entered, and where it stands."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    neighbourhood = NeighbourhoodNameSerializer()
    status = EnumField(Referral.Status.choices, enum_name="ReferralStatusEnum")
    status_label = serializers.CharField(source="get_status_display")
    status_words = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "neighbourhood",
            "neighbour_name",
            "situation",
            "how_to_reach",
            "neighbour_knows",
            "status",
            "status_label",
            "status_words",
            "created_at",
        ]
        read_only_fields = fields

    def get_status_words(self, referral: Referral) -> str:
        return str(selectors.referral_status_words(referral))


NEIGHBOURHOOD_MISSING = _("Where does your neighbour live: choose a neighbourhood.")
SITUATION_MISSING = _("What is their situation: please write a few words.")
HOW_TO_REACH_MISSING = _(
    "How can the community centre find them: please write an address or a phone number."
)
KNOWS_MISSING = _("Does your neighbour know: choose yes or no.")


class MyReferralCreateSerializer(JsonInput, serializers.Serializer[Any]):
    """A neighbour in need, as the website's form takes it. ``context["neighbourhoods"]``:
    where the resident may refer someone (their district's neighbourhoods)."""

    neighbourhood = ContextPrimaryKeyRelatedField(
        context_key="neighbourhoods",
        queryset=Neighbourhood.objects.none(),
        help_text="The id of the neighbourhood where the neighbour lives (the resident's "
        "district).",
        error_messages={
            "required": NEIGHBOURHOOD_MISSING,
            "null": NEIGHBOURHOOD_MISSING,
            "does_not_exist": NEIGHBOURHOOD_MISSING,
            "incorrect_type": NEIGHBOURHOOD_MISSING,
        },
    )
    neighbour_name = serializers.CharField(
        max_length=150,
        allow_blank=True,
        default="",
        error_messages={
            "max_length": _("Your neighbour's name: please keep it under {max_length} characters."),
        },
    )
    situation = serializers.CharField(
        max_length=SITUATION_MAX,
        error_messages={
            "required": SITUATION_MISSING,
            "blank": SITUATION_MISSING,
            "max_length": _(
                "What is their situation: please keep it under {max_length} characters."
            ),
        },
    )
    how_to_reach = serializers.CharField(
        max_length=300,
        error_messages={
            "required": HOW_TO_REACH_MISSING,
            "blank": HOW_TO_REACH_MISSING,
            "max_length": _(
                "How can the community centre find them: please keep it under "
                "{max_length} characters."
            ),
        },
    )
    neighbour_knows = serializers.BooleanField(
        error_messages={"required": KNOWS_MISSING, "invalid": KNOWS_MISSING, "null": KNOWS_MISSING}
    )
    submission_key = api_fields.UUIDField(default=uuid.uuid4, help_text=SUBMISSION_KEY_HELP)
