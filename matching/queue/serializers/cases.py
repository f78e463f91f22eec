"""What the queue's API shows: a list row (the selectors' ``QueueRow``), a case
(``ApplicationCase``), a referral, and where each stands after a decision."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from projects.models import Area, Project
from projects.serializers import NeighbourhoodSummarySerializer, TargetGroupSerializer
from welfare_net.api_enums import EnumField

from ...models import ApplicationEvent, MatchProposal, Referral, SupportApplication, Urgency
from ...selectors import area_labels
from ...services.decisions import ReassignOption
from .. import selectors

APPLICATION_STATUS = SupportApplication.Status.choices
OUTCOMES = SupportApplication.Outcome.choices


def application_status(**kwargs: Any) -> EnumField:
    return EnumField(APPLICATION_STATUS, enum_name="ApplicationStatusEnum", **kwargs)


def outcome(**kwargs: Any) -> EnumField:
    return EnumField(OUTCOMES, enum_name="OutcomeEnum", **kwargs)


def urgency(**kwargs: Any) -> EnumField:
    return EnumField(Urgency.choices, enum_name="UrgencyEnum", **kwargs)


def area(**kwargs: Any) -> EnumField:
    return EnumField(Area.choices, enum_name="AreaEnum", **kwargs)


def unmatched_reason(**kwargs: Any) -> EnumField:
    return EnumField(
        SupportApplication.UnmatchedReason.choices, enum_name="UnmatchedReasonEnum", **kwargs
    )


# --- Parts ----------------------------------------------------------------------------------


class ProjectRefSerializer(serializers.ModelSerializer[Project]):
    """A project named in a case: its id (the public projects' id), title and free places."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    places_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = ["id", "title", "places_left"]
        read_only_fields = fields


class ScorePartSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    points = serializers.IntegerField()


class ReasonsSerializer(serializers.Serializer[selectors.ReasonWords]):
    """Why the worker proposed the match, in the requester's language: the rules met and the
    parts of the score (``selectors.reason_words``)."""

    rules = serializers.ListField(child=serializers.CharField())
    score_parts = serializers.SerializerMethodField()

    @extend_schema_field(ScorePartSerializer(many=True))
    def get_score_parts(self, words: selectors.ReasonWords) -> list[dict[str, Any]]:
        return [{"label": str(label), "points": points} for label, points in words.parts]


class ApplicationStateSerializer(serializers.ModelSerializer[SupportApplication]):
    """Where an application stands after a decision (no personal data)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    status = application_status(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome = outcome(read_only=True, allow_blank=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = SupportApplication
        fields = ["id", "status", "status_label", "outcome", "outcome_label", "outcome_on"]
        read_only_fields = fields


# --- The list -------------------------------------------------------------------------------

AGEING = {"age-over-7": "over_7", "age-over-3": "over_3", "": ""}


class QueueRowSerializer(serializers.Serializer[selectors.QueueRow]):
    """One row of a tab: a proposal to review, an application or a referral."""

    kind = EnumField(["proposal", "application", "referral"], enum_name="QueueRowKindEnum")
    id = serializers.UUIDField(
        source="public_id", help_text=_("The application's id, or the referral's.")
    )
    proposal = serializers.IntegerField(
        source="proposal.pk",
        allow_null=True,
        help_text=_("The proposal to decide or record the outcome of, if any."),
    )
    who = serializers.CharField()
    neighbourhood = serializers.CharField()
    areas = serializers.ListField(child=area())
    area_labels = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    urgency = urgency(allow_null=True)
    urgency_label = serializers.CharField(help_text=_("For a referral, its status."))
    waiting_days = serializers.IntegerField()
    ageing = serializers.SerializerMethodField()
    project = ProjectRefSerializer(source="proposal.project", allow_null=True)
    score = serializers.IntegerField(allow_null=True)
    reasons = ReasonsSerializer(allow_null=True)
    unmatched_reason = unmatched_reason()
    unmatched_reason_label = serializers.CharField(source="unmatched_words")

    @extend_schema_field(EnumField(["over_3", "over_7"], enum_name="AgeingEnum", allow_blank=True))
    def get_ageing(self, row: selectors.QueueRow) -> str:
        return AGEING[row.age_class]


class QueueCountsSerializer(serializers.Serializer[dict[str, int]]):
    """How many cases wait in each tab, before any filter."""

    proposals = serializers.IntegerField()
    unmatched = serializers.IntegerField()
    referrals = serializers.IntegerField()
    connections = serializers.IntegerField()
    on_hold = serializers.IntegerField()


# --- A case ---------------------------------------------------------------------------------


class CaseApplicationSerializer(serializers.ModelSerializer[SupportApplication]):
    """The person and the need: personal data, each reading logged."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    status = application_status(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    neighbourhood = NeighbourhoodSummarySerializer(read_only=True)
    target_groups = TargetGroupSerializer(many=True, read_only=True)
    # Blank where none was given (a plain string, not the "email" format).
    contact_email = serializers.CharField(read_only=True)
    household_type = serializers.CharField(read_only=True)
    household_label = serializers.SerializerMethodField()
    areas = serializers.ListField(child=area(), read_only=True)
    area_labels = serializers.SerializerMethodField()
    urgency = urgency(read_only=True)
    urgency_label = serializers.CharField(source="get_urgency_display", read_only=True)
    preferred_project = ProjectRefSerializer(read_only=True, allow_null=True)
    waiting_days = serializers.SerializerMethodField()
    unmatched_reason = unmatched_reason(read_only=True)
    unmatched_reason_label = serializers.CharField(
        source="get_unmatched_reason_display", read_only=True
    )
    outcome = outcome(read_only=True, allow_blank=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)

    class Meta:
        model = SupportApplication
        fields = [
            "id",
            "status",
            "status_label",
            "applicant_name",
            "contact_phone",
            "contact_email",
            "birth_year",
            "household_type",
            "household_label",
            "target_groups",
            "neighbourhood",
            "areas",
            "area_labels",
            "support_type",
            "urgency",
            "urgency_label",
            "description",
            "preferred_project",
            "submitted_at",
            "waiting_days",
            "unmatched_reason",
            "unmatched_reason_label",
            "outcome",
            "outcome_label",
            "outcome_on",
        ]
        read_only_fields = fields

    def get_household_label(self, application: SupportApplication) -> str:
        return str(selectors.household_label(application.household_type))

    def get_area_labels(self, application: SupportApplication) -> list[str]:
        return [str(label) for label in area_labels(application.areas or [])]

    def get_waiting_days(self, application: SupportApplication) -> int:
        return selectors.days_waiting(application.submitted_at)


def proposal_status(**kwargs: Any) -> EnumField:
    return EnumField(MatchProposal.Status.choices, enum_name="ProposalStatusEnum", **kwargs)


class CaseProposalSerializer(serializers.ModelSerializer[MatchProposal]):
    status = proposal_status(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    project = ProjectRefSerializer(read_only=True)
    reasons = serializers.SerializerMethodField()
    by_hand = serializers.SerializerMethodField()

    class Meta:
        model = MatchProposal
        fields = [
            "id",
            "status",
            "status_label",
            "project",
            "score",
            "reasons",
            "by_hand",
            "created_at",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields

    @extend_schema_field(ReasonsSerializer)
    def get_reasons(self, proposal: MatchProposal) -> dict[str, Any]:
        return dict(ReasonsSerializer(selectors.reason_words(proposal.reasons or {})).data)

    def get_by_hand(self, proposal: MatchProposal) -> bool:
        """Reassigned by a coordinator rather than proposed by the worker."""
        return bool((proposal.reasons or {}).get("by_hand"))


class CaseEventSerializer(serializers.ModelSerializer[ApplicationEvent]):
    """One state change of the application: its timeline, oldest first."""

    at = serializers.DateTimeField(source="created_at", read_only=True)
    from_status = application_status(read_only=True, allow_blank=True)
    to_status = application_status(read_only=True)
    outcome = outcome(read_only=True, allow_blank=True)
    from_label = serializers.CharField(source="get_from_status_display", read_only=True)
    to_label = serializers.CharField(source="get_to_status_display", read_only=True)
    by = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationEvent
        fields = [
            "at",
            "from_status",
            "from_label",
            "to_status",
            "to_label",
            "by",
            "note",
            "outcome",
            "outcome_on",
        ]
        read_only_fields = fields

    def get_by(self, event: ApplicationEvent) -> str | None:
        """Who made the change, as the case page names them; null for the matching worker."""
        actor = event.actor
        return (actor.get_full_name() or actor.get_username()) if actor is not None else None


class ReassignOptionSerializer(serializers.Serializer[ReassignOption]):
    """Another open project the application is eligible for, with a free place."""

    project = ProjectRefSerializer()
    free_places = serializers.IntegerField(
        help_text=_("As matching counts them: less the proposals still waiting for a decision.")
    )
    score = serializers.IntegerField(source="edge.score")


class ApplicationCaseSerializer(serializers.Serializer[selectors.ApplicationCase]):
    application = CaseApplicationSerializer()
    proposals = CaseProposalSerializer(many=True, help_text=_("Newest first."))
    timeline = CaseEventSerializer(source="events", many=True)
    waiting_proposal = serializers.IntegerField(
        source="waiting.pk", allow_null=True, help_text=_("The proposal waiting for a decision.")
    )
    accepted_proposal = serializers.IntegerField(
        source="accepted.pk", allow_null=True, help_text=_("The connection awaiting its outcome.")
    )
    reassign_options = ReassignOptionSerializer(source="options", many=True)


class ProposalDecisionSerializer(serializers.ModelSerializer[MatchProposal]):
    """A proposal after a decision, and where its application now stands."""

    status = proposal_status(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    project = ProjectRefSerializer(read_only=True)
    application = ApplicationStateSerializer(read_only=True)

    class Meta:
        model = MatchProposal
        fields = [
            "id",
            "status",
            "status_label",
            "project",
            "application",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields


# --- Referrals ------------------------------------------------------------------------------


class ReferralStateSerializer(serializers.ModelSerializer[Referral]):
    """Where a referral stands after an action (no personal data)."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    status = EnumField(Referral.Status.choices, enum_name="ReferralStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    application = ApplicationStateSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Referral
        fields = ["id", "status", "status_label", "application", "contacted_at", "closed_at"]
        read_only_fields = fields


class ReferralCaseSerializer(ReferralStateSerializer):
    """A referral as the coordinator reads it: the neighbour's personal data, each reading
    logged."""

    neighbourhood = NeighbourhoodSummarySerializer(read_only=True)
    waiting_days = serializers.SerializerMethodField()

    class Meta(ReferralStateSerializer.Meta):
        fields = [
            *ReferralStateSerializer.Meta.fields,
            "neighbourhood",
            "neighbour_name",
            "situation",
            "how_to_reach",
            "neighbour_knows",
            "created_at",
            "waiting_days",
            "contact_note",
            "closed_reason",
        ]
        read_only_fields = fields

    def get_waiting_days(self, referral: Referral) -> int:
        return selectors.days_waiting(referral.created_at)
