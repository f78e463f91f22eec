"""A coordinator records how an accepted connection ended."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Project
from residents.models import User
from welfare_net.enqueue import enqueue_on_commit

from ..models import MatchProposal, Notification, Referral, SupportApplication
from .applications import application_event_record
from .notification_requests import notification_request

Status = SupportApplication.Status
Outcome = SupportApplication.Outcome

# Where each outcome leaves the application.
OUTCOME_STATUS: dict[str, str] = {
    Outcome.DELIVERED: Status.DELIVERED,
    Outcome.DECLINED: Status.CLOSED,
    Outcome.UNREACHABLE: Status.CLOSED,
    Outcome.INELIGIBLE: Status.CLOSED,
    Outcome.WITHDRAWN: Status.WITHDRAWN,
}


def connection_record_outcome(
    *, proposal: MatchProposal, outcome: str, on: datetime.date, note: str, by: User
) -> SupportApplication:
    """Record the outcome of an accepted connection, once.

    ``delivered`` is the only outcome that counts as a connection (the application becomes
    delivered, a referral behind it becomes connected); the others close the application (or
    mark it withdrawn) and give the project its place back. ``on`` is the day it happened:
    not in the future, not before the proposal was accepted. The proposal and application
    rows are locked, so two coordinators recording at once record one outcome.
    """
    if outcome not in OUTCOME_STATUS:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date of the outcome cannot be in the future.")})
    with transaction.atomic():
        locked = MatchProposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
        application = SupportApplication.objects.select_for_update().get(pk=locked.application_id)
        if application.outcome:
            raise ValidationError(
                _("The outcome of this connection is already recorded: “%(outcome)s”.")
                % {"outcome": application.get_outcome_display()},
                code="outcome_recorded",
            )
        if locked.status != MatchProposal.Status.ACCEPTED:
            raise ValidationError(
                _("Only an accepted proposal has an outcome; this one is “%(status)s”.")
                % {"status": locked.get_status_display()},
                code="invalid_state",
            )
        if application.status != Status.ACCEPTED:
            raise ValidationError(
                _("This application is already “%(status)s” and cannot change that way.")
                % {"status": application.get_status_display()},
                code="invalid_state",
            )
        accepted_on = timezone.localdate(locked.decided_at) if locked.decided_at else None
        if accepted_on is not None and on < accepted_on:
            raise ValidationError(
                {"on": _("The date of the outcome cannot be before the proposal was accepted.")}
            )

        from_status = application.status
        application.status = OUTCOME_STATUS[outcome]
        application.outcome = outcome
        application.outcome_on = on
        application.save(update_fields=["status", "outcome", "outcome_on", "updated_at"])
        event = application_event_record(
            application=application,
            from_status=from_status,
            to_status=application.status,
            actor=by,
            note=note.strip(),
            outcome=outcome,
            outcome_on=on,
        )
        if outcome == Outcome.DELIVERED:
            _referral_connect(application=application)
            _offer_follow_up(application_id=application.pk)
        else:
            # The place taken on accept goes back; the check constraint keeps it >= 0.
            Project.objects.filter(pk=locked.project_id, places_taken__gt=0).update(
                places_taken=F("places_taken") - 1, updated_at=timezone.now()
            )
        _notify_application_event(event_id=event.pk)
    return application


def _referral_connect(*, application: SupportApplication) -> None:
    referral = (
        Referral.objects.select_for_update()
        .filter(application=application, status=Referral.Status.CONTACTED)
        .first()
    )
    if referral is None:
        return
    referral.status = Referral.Status.CONNECTED
    referral.save(update_fields=["status", "updated_at"])
    _notify_referral_status(referral_id=referral.pk, status=referral.status)


def _notify_application_event(*, event_id: int) -> None:
    notification_request(kind=Notification.Kind.APPLICATION_EVENT, args=(event_id,))


def _notify_referral_status(*, referral_id: int, status: str) -> None:
    notification_request(kind=Notification.Kind.REFERRAL_STATUS, args=(referral_id, status))


def _offer_follow_up(*, application_id: int) -> None:
    from ..tasks import offer_follow_up_survey

    enqueue_on_commit(offer_follow_up_survey, application_id)
