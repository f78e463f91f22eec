"""Removing matching's personal data once its retention period is over (settings.RETENTION_DAYS).

Each service changes only what ``matching.selectors`` finds past retention and still personal,
in batches (``welfare_net.retention.in_batches``), and returns the rows it changed: run twice,
the second run changes nothing. The rows stay with their dates, statuses, neighbourhood,
areas, outcomes and events, so the figures count the same before and after.
"""

from datetime import datetime

from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from welfare_net.personal_data import without_key
from welfare_net.retention import ANONYMISED, in_batches

from ..models import ApplicationEvent, MatchProposal, Notification, Referral, SupportApplication
from ..selectors import (
    ANONYMISED_PHONE_PREFIX,
    applications_past_retention,
    notifications_past_retention,
    referrals_past_retention,
)


def applications_anonymise(ids: list[int]) -> int:
    """Remove every personal field of these applications: the applicant's name, contact,
    birth year, household type and declared groups, what they wrote, the notes of the case's
    events and proposals, and the proposals' details of the applicant. Returns the
    applications changed. The caller holds the rows (a batch of ``in_batches``, or a resident
    deleting their account)."""
    SupportApplication.target_groups.through.objects.filter(supportapplication_id__in=ids).delete()
    ApplicationEvent.objects.filter(application_id__in=ids).exclude(note="").update(note="")
    # The reasons' details repeat the applicant's age, household type and groups.
    MatchProposal.objects.filter(application_id__in=ids).update(
        decision_note="", reasons=without_key("reasons", "details")
    )
    return SupportApplication.objects.filter(pk__in=ids).update(
        applicant_name=ANONYMISED,
        contact_phone="",
        contact_email="",
        description=ANONYMISED,
        birth_year=None,
        household_type="",
        updated_at=timezone.now(),
    )


def applications_anonymise_expired(*, now: datetime) -> int:
    """Anonymise the applications whose case ended longer ago than their retention
    (``applications_anonymise``). Returns the applications changed."""
    return in_batches(applications_past_retention(now=now), applications_anonymise)


def referrals_anonymise_expired(*, now: datetime) -> int:
    """Remove the neighbour's name, situation and contact, and the coordinator's notes, from
    the referrals that ended longer ago than their retention. Returns the referrals changed."""

    def anonymise(ids: list[int]) -> int:
        return Referral.objects.filter(pk__in=ids).update(
            neighbour_name="",
            situation=ANONYMISED,
            how_to_reach=ANONYMISED,
            contact_note="",
            closed_reason="",
            updated_at=timezone.now(),
        )

    return in_batches(referrals_past_retention(now=now), anonymise)


def notifications_blank_expired(*, now: datetime) -> int:
    """Blank the words of the messages sent longer ago than their retention, and replace a
    neighbour's phone number as their recipient by the row's id (still unique, as the
    sent-once constraint needs). Returns the messages changed."""

    def blank(ids: list[int]) -> int:
        return Notification.objects.filter(pk__in=ids).update(
            subject="",
            body="",
            recipient=Case(
                When(
                    recipient__startswith="phone:",
                    then=Concat(
                        Value(ANONYMISED_PHONE_PREFIX),
                        Cast("pk", CharField()),
                        output_field=CharField(),
                    ),
                ),
                default=F("recipient"),
            ),
        )

    return in_batches(notifications_past_retention(now=now), blank)
