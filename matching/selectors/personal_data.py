"""Reads about personal data: what is past its retention period (settings.RETENTION_DAYS),
and everything matching holds on one resident, for their request of access."""

from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from welfare_net.retention import ANONYMISED, retention_cutoff

from ..models import ApplicationEvent, MatchProposal, Notification, Referral, SupportApplication

Status = SupportApplication.Status

# A case has ended in these states; its personal data's clock starts at its last event.
ENDED_STATUSES = (Status.DELIVERED, Status.CLOSED, Status.WITHDRAWN)
# A neighbour's phone number as a notification's recipient becomes this and the row's id.
ANONYMISED_PHONE_PREFIX = "phone:-"


def _application_holds_personal_data() -> Q:
    events_with_notes = ApplicationEvent.objects.filter(application_id=OuterRef("pk")).exclude(
        note=""
    )
    proposals_with_notes = MatchProposal.objects.filter(application_id=OuterRef("pk")).exclude(
        decision_note=""
    )
    groups = SupportApplication.target_groups.through.objects.filter(
        supportapplication_id=OuterRef("pk")
    )
    return (
        ~Q(applicant_name=ANONYMISED)
        | ~Q(description=ANONYMISED)
        | ~Q(contact_phone="")
        | ~Q(contact_email="")
        | Q(birth_year__isnull=False)
        | ~Q(household_type="")
        | Q(Exists(groups))
        | Q(Exists(events_with_notes))
        | Q(Exists(proposals_with_notes))
    )


def applications_past_retention(*, now: datetime) -> QuerySet[SupportApplication]:
    """Ended applications whose last event is older than the applications' retention and
    that still hold a personal field: what ``applications_anonymise_expired`` changes."""
    cutoff = retention_cutoff("applications", now=now)
    events_since = ApplicationEvent.objects.filter(
        application_id=OuterRef("pk"), created_at__gte=cutoff
    )
    return (
        SupportApplication.objects.filter(status__in=ENDED_STATUSES, submitted_at__lt=cutoff)
        .exclude(Exists(events_since))
        .filter(_application_holds_personal_data())
    )


def referrals_past_retention(*, now: datetime) -> QuerySet[Referral]:
    """Referrals closed, connected, or whose application has ended, unchanged (nor their
    application) since the referrals' retention began, that still name the neighbour."""
    cutoff = retention_cutoff("referrals", now=now)
    ended = Q(status__in=[Referral.Status.CLOSED, Referral.Status.CONNECTED]) | Q(
        application__status__in=ENDED_STATUSES
    )
    application_events_since = ApplicationEvent.objects.filter(
        application_id=OuterRef("application_id"), created_at__gte=cutoff
    )
    holds_personal_data = (
        ~Q(neighbour_name="")
        | ~Q(situation=ANONYMISED)
        | ~Q(how_to_reach=ANONYMISED)
        | ~Q(contact_note="")
        | ~Q(closed_reason="")
    )
    return (
        Referral.objects.filter(ended, updated_at__lt=cutoff)
        .exclude(Exists(application_events_since))
        .filter(holds_personal_data)
    )


def notifications_past_retention(*, now: datetime) -> QuerySet[Notification]:
    """Messages sent before the notifications' retention began that still hold their words
    or a neighbour's phone number."""
    cutoff = retention_cutoff("notifications", now=now)
    holds_personal_data = (
        ~Q(subject="")
        | ~Q(body="")
        | (Q(recipient__startswith="phone:") & ~Q(recipient__startswith=ANONYMISED_PHONE_PREFIX))
    )
    return Notification.objects.filter(sent_at__lt=cutoff).filter(holds_personal_data)


# --- A resident's data, for their request of access (privacy.selectors) -------------------


def personal_data_of(*, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Everything matching holds on a resident: their applications (with the events,
    proposals and groups of each), the referrals they made (what they entered, not the
    coordinator's notes about the neighbour), and the messages sent to them. Six queries."""
    applications = (
        SupportApplication.objects.filter(applicant_id=user_id)
        .select_related("district", "neighbourhood", "preferred_project")
        .prefetch_related(
            "target_groups",
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "pk")),
            Prefetch(
                "proposals",
                queryset=MatchProposal.objects.select_related("project").order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .order_by("submitted_at", "pk")
    )
    referrals = (
        Referral.objects.filter(referrer_id=user_id)
        .select_related("neighbourhood")
        .order_by("created_at", "pk")
    )
    notifications = Notification.objects.filter(user_id=user_id).order_by("sent_at", "pk")
    return {
        "support_applications": [_application_data(a) for a in applications],
        "referrals_made": [
            {
                "id": referral.public_id,
                "made_at": referral.created_at,
                "neighbourhood": referral.neighbourhood.name,
                "neighbour_name": referral.neighbour_name,
                "situation": referral.situation,
                "how_to_reach": referral.how_to_reach,
                "neighbour_knows": referral.neighbour_knows,
                "status": referral.status,
            }
            for referral in referrals
        ],
        "notifications": [
            {
                "sent_at": notification.sent_at,
                "kind": notification.kind,
                "channel": notification.channel,
                "subject": notification.subject,
                "body": notification.body,
            }
            for notification in notifications
        ],
    }


def _application_data(application: SupportApplication) -> dict[str, Any]:
    return {
        "id": application.public_id,
        "number": application.pk,  # how staff and the access log name it
        "submitted_at": application.submitted_at,
        "district": application.district.name,
        "neighbourhood": application.neighbourhood.name,
        "areas": application.areas,
        "support_type": application.support_type,
        "urgency": application.urgency,
        "description": application.description,
        "preferred_project": (
            application.preferred_project.title if application.preferred_project else None
        ),
        "name": application.applicant_name,
        "phone": application.contact_phone,
        "email": application.contact_email,
        "birth_year": application.birth_year,
        "household_type": application.household_type,
        "target_groups": sorted(group.name for group in application.target_groups.all()),
        "status": application.status,
        "outcome": application.outcome,
        "outcome_on": application.outcome_on,
        "consent_text_version": application.consent_text_version,
        "consent_given_at": application.consent_given_at,
        "events": [
            {
                "at": event.created_at,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "outcome": event.outcome,
                "outcome_on": event.outcome_on,
                "note": event.note,
                # Staff see the notes staff wrote before the file is handed over.
                "note_by": (
                    ""
                    if not event.note
                    else "applicant"
                    if event.actor_id == application.applicant_id
                    else "staff"
                ),
            }
            for event in application.events.all()
        ],
        "proposals": [
            {
                "project": proposal.project.title,
                "status": proposal.status,
                "proposed_at": proposal.created_at,
                "decided_at": proposal.decided_at,
                "decision_note": proposal.decision_note,
            }
            for proposal in application.proposals.all()
        ],
    }
