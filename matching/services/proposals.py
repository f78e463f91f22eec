"""A coordinator's decisions on proposals: accept (takes a place) or reject."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Project
from residents.models import User

from ..models import ApplicationEvent, MatchProposal, SupportApplication
from .applications import _request_matching, application_transition
from .outcomes import _notify_application_event

Status = SupportApplication.Status


def _proposal_for_decision(*, proposal: MatchProposal) -> MatchProposal:
    locked = (
        MatchProposal.objects.select_for_update(of=("self",))
        .select_related("application")
        .get(pk=proposal.pk)
    )
    if locked.status != MatchProposal.Status.PROPOSED:
        raise ValidationError(
            _("This proposal is already “%(status)s”.") % {"status": locked.get_status_display()},
            code="invalid_state",
        )
    return locked


def _notify_latest_event(*, application_id: int) -> None:
    event_id = (
        ApplicationEvent.objects.filter(application_id=application_id)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if event_id is not None:
        _notify_application_event(event_id=event_id)


def proposal_accept(*, proposal: MatchProposal, by: User, note: str = "") -> MatchProposal:
    """A coordinator accepts a proposal: the project gives the applicant one of its places.

    The place is taken by one conditional UPDATE (``places_taken < capacity`` and the
    project open) backed by the database's check constraint, so two coordinators accepting
    the last place at once cannot both get it. When no place is left (or the project is no
    longer open) the proposal expires, the application goes back to waiting for matching
    (a new run is requested), and a ValidationError says why -- raised after that is
    committed, so call this outside an enclosing transaction to keep the expiry.
    """
    with transaction.atomic():
        locked = _proposal_for_decision(proposal=proposal)
        taken = Project.objects.filter(
            pk=locked.project_id,
            status=Project.Status.OPEN,
            places_taken__lt=F("capacity"),
        ).update(places_taken=F("places_taken") + 1, updated_at=timezone.now())
        locked.decided_at = timezone.now()
        locked.decided_by = by
        if taken:
            locked.status = MatchProposal.Status.ACCEPTED
            locked.decision_note = note
            locked.save(
                update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"]
            )
            application_transition(
                application=locked.application,
                to_status=Status.ACCEPTED,
                allowed_from=[Status.PROPOSED],
                actor=by,
                note=note,
            )
            _notify_latest_event(application_id=locked.application_id)
            proposal.status = locked.status
            return locked
        project_open = Project.objects.filter(
            pk=locked.project_id, status=Project.Status.OPEN
        ).exists()
        message = (
            _("The project has no free place left, so the proposal expired.")
            if project_open
            else _("The project is not taking applications now, so the proposal expired.")
        )
        locked.status = MatchProposal.Status.EXPIRED
        locked.decision_note = message
        locked.save(
            update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"]
        )
        application_transition(
            application=locked.application,
            to_status=Status.PENDING,
            allowed_from=[Status.PROPOSED],
            actor=by,
            note=message,
        )
        _request_matching(district_id=locked.application.district_id)
    proposal.status = locked.status
    raise ValidationError(
        " ".join([str(message), _("The application is back in the matching queue.")]),
        code="no_free_place",
    )


@transaction.atomic
def proposal_reject(*, proposal: MatchProposal, by: User, note: str = "") -> MatchProposal:
    """A coordinator rejects a proposal: the pair is never proposed again, matching goes on."""
    locked = _proposal_for_decision(proposal=proposal)
    locked.status = MatchProposal.Status.REJECTED
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"])
    application_transition(
        application=locked.application,
        to_status=Status.PENDING,
        allowed_from=[Status.PROPOSED],
        actor=by,
        note=note,
    )
    _request_matching(district_id=locked.application.district_id)
    proposal.status = locked.status
    return locked
