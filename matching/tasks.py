"""Celery tasks of matching: doors only. They take ids, re-read the rows, call a service.

All are safe to run twice: a run reads only pending applications without a live proposal,
under the district's advisory lock, and writes everything in one transaction.
"""

import datetime
import logging
from smtplib import SMTPException
from typing import Any

from celery import Task, shared_task
from django.db import OperationalError
from django.utils import timezone

from projects.models import District, StaffMember
from surveys.services import followup_invite

from . import notifications
from .models import (
    ApplicationEvent,
    MatchProposal,
    MatchRun,
    Notification,
    Referral,
    SupportApplication,
)
from .services import (
    coordinator_digests_request,
    match_run_execute,
    notification_request_done,
    notification_requests_catch_up,
)

logger = logging.getLogger(__name__)

# A run skipped because another holds the district tries again shortly: the other run may
# have read the district before the application that asked for this one was committed.
SKIPPED_RETRY_SECONDS = 5


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    max_retries=5,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    soft_time_limit=240,
    time_limit=300,
    serializer="json",
    ignore_result=True,
)
def match_district(self: Task, district_id: int) -> None:
    """Run a matching pass for one district."""
    district = District.objects.filter(pk=district_id).only("pk").first()
    if district is None:
        logger.warning("matching requested for unknown district %s", district_id)
        return
    run = match_run_execute(district_id=district.pk, attempt=self.request.retries + 1)
    if run.status == MatchRun.Status.SKIPPED and self.request.retries < (self.max_retries or 0):
        raise self.retry(countdown=SKIPPED_RETRY_SECONDS)


@shared_task(acks_late=True, serializer="json", ignore_result=True)
def match_all_districts() -> None:
    """Enqueue a pass for every district (the beat schedule runs this every five minutes)."""
    for district_id in District.objects.order_by("pk").values_list("pk", flat=True):
        match_district.delay(district_id)


# --- Notifications ------------------------------------------------------------------------
# Each re-reads its rows and checks they still call for the message; the Notification row
# makes a second delivery send nothing. A mail server or gateway that fails is tried again.
# Once it has run, each marks its message owed done (NotificationRequest); the catch-up below
# sends again those whose task never ran.

NOTIFY_OPTIONS: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, OSError, SMTPException),
    "max_retries": 5,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "serializer": "json",
    "ignore_result": True,
}

Kind = Notification.Kind


@shared_task(**NOTIFY_OPTIONS)
def notify_application_event(event_id: int) -> None:
    """Tell the applicant about one state change of their application."""
    event = (
        ApplicationEvent.objects.select_related("application__applicant")
        .filter(pk=event_id)
        .first()
    )
    if event is not None:
        notifications.application_event_notify(event=event)
    notification_request_done(kind=Kind.APPLICATION_EVENT, args=(event_id,))


@shared_task(**NOTIFY_OPTIONS)
def notify_referral_status(referral_id: int, status: str) -> None:
    """Tell the referrer their referral's new status, if it is still that status."""
    referral = Referral.objects.select_related("referrer").filter(pk=referral_id).first()
    if referral is not None and referral.status == status:
        notifications.referral_status_notify(referral=referral)
    notification_request_done(kind=Kind.REFERRAL_STATUS, args=(referral_id, status))


@shared_task(**NOTIFY_OPTIONS)
def notify_referral_converted(application_id: int) -> None:
    """Text the neighbour a coordinator applied for that the application was made."""
    application = SupportApplication.objects.filter(
        pk=application_id, applicant__isnull=True, referral__isnull=False
    ).first()
    if application is not None:
        notifications.referral_converted_notify(application=application)
    notification_request_done(kind=Kind.REFERRAL_CONVERTED, args=(application_id,))


@shared_task(**NOTIFY_OPTIONS)
def send_coordinator_digest(staff_member_id: int, on: str) -> None:
    """Email one coordinator the morning digest of their neighbourhoods' cases."""
    staff_member = (
        StaffMember.objects.select_related("user")
        .filter(pk=staff_member_id, role=StaffMember.Role.COORDINATOR)
        .first()
    )
    if staff_member is not None:
        notifications.coordinator_digest_send(
            staff_member=staff_member, on=datetime.date.fromisoformat(on)
        )
    notification_request_done(kind=Kind.COORDINATOR_DIGEST, args=(staff_member_id, on))


@shared_task(acks_late=True, serializer="json", ignore_result=True)
def send_coordinator_digests() -> None:
    """Ask for every coordinator's digest for today (the beat schedule runs this each morning)."""
    coordinator_digests_request(on=timezone.localdate())


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=10,
    retry_jitter=True,
    serializer="json",
    ignore_result=True,
)
def catch_up_notifications() -> None:
    """Send again the messages whose task never ran: Redis was down when their event was
    saved, or the task failed every retry (the beat schedule runs this every five minutes).
    Only those asked for between five minutes and two days ago; safe to run twice, or two at
    once. Logs the counts, never a row's contents."""
    result = notification_requests_catch_up(now=timezone.now())
    if result.digests_owed or result.sent_again:
        logger.warning(
            "notifications caught up: %s sent again (%s digests never asked for)",
            result.sent_again,
            result.digests_owed,
        )


# --- Follow-up survey ---------------------------------------------------------------------


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    max_retries=5,
    retry_backoff=30,
    retry_jitter=True,
    serializer="json",
    ignore_result=True,
)
def offer_follow_up_survey(application_id: int) -> None:
    """Offer the applicant the district's short follow-up survey about the support delivered
    to them. Only for a delivered application of a resident with an account; the invitation
    is made once per application, so a second run changes nothing."""
    application = (
        SupportApplication.objects.select_related("applicant", "district")
        .filter(
            pk=application_id,
            status=SupportApplication.Status.DELIVERED,
            outcome=SupportApplication.Outcome.DELIVERED,
            applicant__isnull=False,
            applicant__is_active=True,
        )
        .first()
    )
    if application is None or application.applicant is None:
        return
    area = (
        MatchProposal.objects.filter(
            application_id=application.pk, status=MatchProposal.Status.ACCEPTED
        )
        .values_list("project__area", flat=True)
        .first()
    )
    followup_invite(
        resident=application.applicant,
        district=application.district,
        subject_key=application.public_id,
        area=area or "",
        delivered_on=application.outcome_on or timezone.localdate(),
    )
