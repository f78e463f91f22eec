"""The coordinator queue's decisions beyond a plain accept or reject: hold, reassign, bulk.

Hold keeps the proposal waiting (``proposed``: it takes no place) and moves the application to
``on_hold`` with the coordinator's note; ``proposal_approve`` and ``proposal_decline`` take a
held proposal off hold first, then accept or reject it as usual.

Reassign by hand: the old proposal *expires* (not rejected: the coordinator did not say the
old project was wrong for the person, so matching may propose it again later), a new proposal
for the chosen project is created in ``proposed`` -- on the run of the proposal it replaces,
with ``reasons["by_hand"] = True`` -- and committed, then accepted through ``proposal_accept``.
So the chosen project's place is taken exactly as for any accept, and a project that filled
up meanwhile sends the application back to matching with the usual message.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Project
from residents.models import User

from .. import eligibility
from ..models import MatchProposal, SupportApplication
from .applications import application_event_record, application_transition
from .match_snapshot import live_proposals_per_project
from .proposals import _proposal_for_decision, proposal_accept, proposal_reject

Status = SupportApplication.Status


@dataclass(frozen=True)
class ReassignOption:
    """An open project the application is eligible for, with its free places and score."""

    project: Project
    free_places: int
    edge: eligibility.Edge


@dataclass(frozen=True)
class BulkResult:
    """What happened to one proposal of a bulk accept: accepted, or the reason it was not."""

    proposal: MatchProposal
    accepted: bool
    message: str


def _application_facts(application: SupportApplication) -> eligibility.ApplicationFacts:
    groups = frozenset(application.target_groups.values_list("code", flat=True))
    rejected = frozenset(
        MatchProposal.objects.filter(
            application=application, status=MatchProposal.Status.REJECTED
        ).values_list("project_id", flat=True)
    )
    submitted_on = (
        SupportApplication.objects.filter(pk=application.pk)
        .annotate(on=TruncDate("submitted_at"))
        .values_list("on", flat=True)
        .get()
    )
    return eligibility.ApplicationFacts(
        id=application.pk,
        district_id=application.district_id,
        neighbourhood_id=application.neighbourhood_id,
        areas=frozenset(application.areas or ()),
        urgency=application.urgency,
        submitted_on=submitted_on,
        support_type=application.support_type,
        birth_year=application.birth_year,
        household_type=application.household_type,
        target_groups=groups,
        preferred_project_id=application.preferred_project_id,
        rejected_project_ids=rejected,
    )


def _project_facts(project: Project) -> eligibility.ProjectFacts:
    return eligibility.ProjectFacts(
        id=project.pk,
        district_id=project.district_id,
        area=project.area,
        support_type=project.support_type,
        status=project.status,
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        apply_by=project.apply_by,
        whole_district=project.whole_district,
        neighbourhood_ids=frozenset(n.pk for n in project.neighbourhoods.all()),
        target_groups=frozenset(g.code for g in project.target_groups.all()),
        min_age=project.min_age,
        max_age=project.max_age,
        household_types=frozenset(project.household_types or ()),
    )


def reassign_options(
    *, application: SupportApplication, exclude_project_ids: Iterable[int] = ()
) -> list[ReassignOption]:
    """Open projects of the application's district it is eligible for (every rule of
    matching/eligibility.py) that still have a free place, best score first.

    A free place is counted as the engine counts it: capacity - places taken - proposals
    still waiting for a coordinator. A fixed number of queries, whatever the district's size.
    """
    facts = _application_facts(application)
    today = timezone.localdate()
    excluded = set(exclude_project_ids)
    projects = [
        project
        for project in Project.objects.filter(
            district_id=application.district_id, status=Project.Status.OPEN
        )
        .exclude(pk__in=excluded)
        .prefetch_related("neighbourhoods", "target_groups")
        .order_by("title", "pk")
    ]
    live = live_proposals_per_project(
        district_id=application.district_id, project_ids=[p.pk for p in projects]
    )
    options = []
    for project in projects:
        edge = eligibility.evaluate(facts, _project_facts(project), today)
        free = project.capacity - project.places_taken - live[project.pk]
        if edge is not None and free > 0:
            options.append(ReassignOption(project=project, free_places=free, edge=edge))
    options.sort(key=lambda option: (-option.edge.score, option.project.title))
    return options


def _take_off_hold(*, proposal: MatchProposal, by: User, note: str = "") -> None:
    """A held application back to ``proposed``, so its proposal can be decided."""
    with transaction.atomic():
        locked = _proposal_for_decision(proposal=proposal)
        if locked.application.status == Status.ON_HOLD:
            application_transition(
                application=locked.application,
                to_status=Status.PROPOSED,
                allowed_from=[Status.ON_HOLD],
                actor=by,
                note=note or _("Taken off hold."),
            )


@transaction.atomic
def proposal_hold(*, proposal: MatchProposal, by: User, note: str) -> MatchProposal:
    """Put the decision off: the proposal keeps waiting (it takes no place), the application
    goes on hold with the coordinator's note (why, and what they are waiting for)."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the case is on hold.")})
    locked = _proposal_for_decision(proposal=proposal)
    application_transition(
        application=locked.application,
        to_status=Status.ON_HOLD,
        allowed_from=[Status.PROPOSED],
        actor=by,
        note=note.strip(),
    )
    return locked


def proposal_approve(*, proposal: MatchProposal, by: User, note: str = "") -> MatchProposal:
    """Accept from the queue: a held proposal is taken off hold first. Same contract as
    ``proposal_accept`` (call outside a transaction; ValidationError when no place is left)."""
    _take_off_hold(proposal=proposal, by=by)
    return proposal_accept(proposal=proposal, by=by, note=note)


def proposal_decline(*, proposal: MatchProposal, by: User, note: str) -> MatchProposal:
    """Reject from the queue, with a reason (required); a held proposal is taken off hold."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the proposal is rejected.")})
    _take_off_hold(proposal=proposal, by=by)
    return proposal_reject(proposal=proposal, by=by, note=note.strip())


def proposal_reassign(
    *, proposal: MatchProposal, project: Project, by: User, note: str = ""
) -> MatchProposal:
    """Connect the application to another eligible open project with a free place, by hand.

    Returns the new, accepted proposal. See the module's docstring for what happens to the
    old one. Raises ValidationError when the project is not eligible or has no free place
    (nothing changes), or -- after committing the expiry -- when it filled up meanwhile.
    """
    with transaction.atomic():
        locked = _proposal_for_decision(proposal=proposal)
        application = locked.application
        if project.pk == locked.project_id:
            raise ValidationError({"project": _("Choose a different project.")})
        options = {
            option.project.pk: option
            for option in reassign_options(
                application=application, exclude_project_ids=[locked.project_id]
            )
        }
        option = options.get(project.pk)
        if option is None:
            raise ValidationError(
                {"project": _("This project is not open to this application or has no place.")}
            )
        now = timezone.now()
        words = _("Reassigned by hand to “%(project)s”.") % {"project": project.title}
        locked.status = MatchProposal.Status.EXPIRED
        locked.decided_at = now
        locked.decided_by = by
        locked.decision_note = " ".join(filter(None, [words, note.strip()]))
        locked.save(
            update_fields=["status", "decided_at", "decided_by", "decision_note", "updated_at"]
        )
        if application.status == Status.ON_HOLD:
            application_transition(
                application=application,
                to_status=Status.PROPOSED,
                allowed_from=[Status.ON_HOLD],
                actor=by,
                note=locked.decision_note,
            )
        else:
            application_event_record(
                application=application,
                from_status=Status.PROPOSED,
                to_status=Status.PROPOSED,
                actor=by,
                note=locked.decision_note,
            )
        reasons = dict(option.edge.reasons)
        reasons["by_hand"] = True
        replacement = MatchProposal.objects.create(
            run_id=locked.run_id,
            application=application,
            project=project,
            score=option.edge.score,
            reasons=reasons,
        )
    proposal.status = MatchProposal.Status.EXPIRED
    return proposal_accept(proposal=replacement, by=by, note=note.strip())


def proposals_bulk_accept(*, proposals: Iterable[MatchProposal], by: User) -> list[BulkResult]:
    """Accept each proposal on its own (one transaction each): one that fails -- decided
    meanwhile, or its project full -- does not stop the others. One result per proposal."""
    results = []
    for proposal in proposals:
        try:
            proposal_approve(proposal=proposal, by=by)
        except ValidationError as error:
            results.append(BulkResult(proposal, False, " ".join(error.messages)))
        else:
            results.append(BulkResult(proposal, True, _("Accepted.")))
    return results


__all__ = [
    "BulkResult",
    "ReassignOption",
    "proposal_approve",
    "proposal_decline",
    "proposal_hold",
    "proposal_reassign",
    "proposals_bulk_accept",
    "reassign_options",
]
