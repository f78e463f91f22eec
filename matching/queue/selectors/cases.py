"""Which cases the queue holds: who may see what (decided once, by ``queue_scope_for``), the
tabs with their filters and counts, and one case with everything a coordinator sees of it.
Every list is a fixed number of queries, whatever the number of cases.

A coordinator sees the cases of their neighbourhoods (and, when their ``areas`` list is not
empty, only applications with one of those areas; a referral has no area, so the
neighbourhood alone decides). District staff see every case of their district.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects.models import Area, Neighbourhood, StaffMember
from projects.selectors import staff_member_for

from ...models import ApplicationEvent, MatchProposal, Referral, SupportApplication
from ...services.decisions import ReassignOption, reassign_options

Status = SupportApplication.Status

TAB_PROPOSALS = "proposals"
TAB_UNMATCHED = "unmatched"
TAB_REFERRALS = "referrals"
TAB_CONNECTIONS = "connections"
TAB_ON_HOLD = "on_hold"
TABS: dict[str, Promise] = {
    TAB_PROPOSALS: _("Proposals to review"),
    TAB_UNMATCHED: _("Not matched"),
    TAB_REFERRALS: _("Referrals to contact"),
    TAB_CONNECTIONS: _("Connections in progress"),
    TAB_ON_HOLD: _("On hold"),
}
REFERRAL_OPEN = (Referral.Status.RECEIVED, Referral.Status.CONTACTED)

SORT_URGENCY = "urgency"
SORT_WAITING = "waiting"
AGE_OVER_3 = "3"
AGE_OVER_7 = "7"


@dataclass(frozen=True)
class QueueScope:
    """What one staff member may see: a district, and for a coordinator some of its parts."""

    member: StaffMember
    neighbourhoods: list[Neighbourhood]
    areas: list[str]
    is_coordinator: bool

    @property
    def district_id(self) -> int:
        return self.member.district_id

    def applications(self) -> QuerySet[SupportApplication]:
        found = SupportApplication.objects.filter(district_id=self.district_id)
        if self.is_coordinator:
            found = found.filter(neighbourhood__in=[n.pk for n in self.neighbourhoods])
            if self.areas:
                any_area = Q()
                for area in self.areas:
                    any_area |= Q(areas__contains=[area])
                found = found.filter(any_area)
        return found

    def referrals(self) -> QuerySet[Referral]:
        found = Referral.objects.filter(district_id=self.district_id)
        if self.is_coordinator:
            found = found.filter(neighbourhood__in=[n.pk for n in self.neighbourhoods])
        return found

    def proposals(self) -> QuerySet[MatchProposal]:
        return MatchProposal.objects.filter(application__in=self.applications())


def queue_scope_for(user: AbstractBaseUser | AnonymousUser) -> QueueScope | None:
    """The queue a user may see, or None for residents and anonymous users (two queries)."""
    member = staff_member_for(user)
    if member is None:
        return None
    is_coordinator = member.role == StaffMember.Role.COORDINATOR
    if is_coordinator:
        neighbourhoods = list(member.neighbourhoods.order_by("name"))
    else:
        neighbourhoods = list(Neighbourhood.objects.filter(district_id=member.district_id))
    return QueueScope(
        member=member,
        neighbourhoods=neighbourhoods,
        areas=[a for a in (member.areas or []) if a in Area.values],
        is_coordinator=is_coordinator,
    )


@dataclass(frozen=True)
class QueueFilters:
    tab: str = TAB_PROPOSALS
    neighbourhood_id: int | None = None
    area: str = ""
    urgency: int | None = None
    age: str = ""
    sort: str = SORT_URGENCY


def _filter_cases(
    found: QuerySet[Any], filters: QueueFilters, scope: QueueScope, prefix: str | None
) -> QuerySet[Any]:
    """Filter and sort application-like rows (``prefix`` leads to the application; None
    means referrals, which have neither areas nor urgency and wait since ``created_at``)."""
    is_referral = prefix is None
    prefix = prefix or ""
    allowed = {n.pk for n in scope.neighbourhoods}
    if filters.neighbourhood_id in allowed:
        found = found.filter(**{f"{prefix}neighbourhood_id": filters.neighbourhood_id})
    if not is_referral and filters.area in Area.values:
        found = found.filter(**{f"{prefix}areas__contains": [filters.area]})
    if not is_referral and filters.urgency:
        found = found.filter(**{f"{prefix}urgency": filters.urgency})
    days = {AGE_OVER_3: 3, AGE_OVER_7: 7}.get(filters.age)
    stamp = "created_at" if is_referral else f"{prefix}submitted_at"
    if days:
        found = found.filter(**{f"{stamp}__lt": timezone.now() - timedelta(days=days)})
    if is_referral or filters.sort == SORT_WAITING:
        return found.order_by(stamp, "pk")
    return found.order_by(f"-{prefix}urgency", stamp, "pk")


def _accepted_proposals() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch(
        "proposals",
        queryset=MatchProposal.objects.filter(
            status__in=MatchProposal.LIVE_STATUSES
        ).select_related("project"),
        to_attr="live_proposals",
    )


def queue_rows(scope: QueueScope, filters: QueueFilters) -> QuerySet[Any]:
    """The rows of one tab, filtered and sorted (a queryset: the view paginates it)."""
    if filters.tab == TAB_PROPOSALS:
        proposals = scope.proposals().filter(
            status=MatchProposal.Status.PROPOSED, application__status=Status.PROPOSED
        )
        proposals = proposals.select_related("application__neighbourhood", "project")
        return _filter_cases(proposals, filters, scope, "application__")
    if filters.tab == TAB_REFERRALS:
        referrals = scope.referrals().filter(status__in=REFERRAL_OPEN)
        return _filter_cases(referrals.select_related("neighbourhood"), filters, scope, None)
    applications = scope.applications().select_related("neighbourhood")
    if filters.tab == TAB_UNMATCHED:
        applications = applications.filter(status=Status.PENDING).exclude(unmatched_reason="")
    elif filters.tab == TAB_CONNECTIONS:
        applications = applications.filter(status=Status.ACCEPTED)
    else:
        applications = applications.filter(status=Status.ON_HOLD)
    return _filter_cases(applications.prefetch_related(_accepted_proposals()), filters, scope, "")


def queue_counts(scope: QueueScope) -> dict[str, int]:
    """How many cases wait in each tab (three queries), before any filter."""
    counts = scope.applications().aggregate(
        unmatched=Count("pk", filter=Q(status=Status.PENDING) & ~Q(unmatched_reason="")),
        connections=Count("pk", filter=Q(status=Status.ACCEPTED)),
        on_hold=Count("pk", filter=Q(status=Status.ON_HOLD)),
    )
    counts[TAB_PROPOSALS] = (
        scope.proposals()
        .filter(status=MatchProposal.Status.PROPOSED, application__status=Status.PROPOSED)
        .count()
    )
    counts[TAB_REFERRALS] = scope.referrals().filter(status__in=REFERRAL_OPEN).count()
    return counts


def application_in_scope(scope: QueueScope, public_id: UUID) -> SupportApplication | None:
    return (
        scope.applications()
        .select_related("neighbourhood", "preferred_project")
        .prefetch_related("target_groups")
        .filter(public_id=public_id)
        .first()
    )


def referral_in_scope(scope: QueueScope, public_id: UUID) -> Referral | None:
    return (
        scope.referrals()
        .select_related("neighbourhood", "application")
        .filter(public_id=public_id)
        .first()
    )


def proposal_in_scope(scope: QueueScope, pk: int) -> MatchProposal | None:
    return scope.proposals().select_related("application", "project").filter(pk=pk).first()


def proposals_in_scope(scope: QueueScope, pks: list[int]) -> list[MatchProposal]:
    return list(scope.proposals().select_related("project").filter(pk__in=pks).order_by("pk"))


def accepted_proposal(application: SupportApplication) -> MatchProposal | None:
    """The connection whose outcome is awaited (or recorded): the application's accepted
    proposal, with its project."""
    return (
        application.proposals.filter(status=MatchProposal.Status.ACCEPTED)
        .select_related("project")
        .first()
    )


def application_events(application: SupportApplication) -> list[ApplicationEvent]:
    return list(application.events.select_related("actor").order_by("created_at", "pk"))


def application_proposals(application: SupportApplication) -> list[MatchProposal]:
    return list(
        application.proposals.select_related("project", "decided_by").order_by("-created_at")
    )


@dataclass(frozen=True)
class ApplicationCase:
    """Everything a coordinator sees of one case: the person and the need, its proposals (the
    one waiting for a decision, the accepted one), its timeline and, while a proposal waits,
    the other projects it could be reassigned to."""

    application: SupportApplication
    proposals: list[MatchProposal]
    events: list[ApplicationEvent]
    waiting: MatchProposal | None
    accepted: MatchProposal | None
    options: list[ReassignOption]


def application_case(scope: QueueScope, public_id: UUID) -> ApplicationCase | None:
    """One case of the scope, or None when it is not there or not the scope's."""
    application = application_in_scope(scope, public_id)
    if application is None:
        return None
    proposals = application_proposals(application)
    waiting = next((p for p in proposals if p.status == p.Status.PROPOSED), None)
    accepted = next((p for p in proposals if p.status == p.Status.ACCEPTED), None)
    options = (
        reassign_options(application=application, exclude_project_ids=[waiting.project_id])
        if waiting
        else []
    )
    return ApplicationCase(
        application=application,
        proposals=proposals,
        events=application_events(application),
        waiting=waiting,
        accepted=accepted,
        options=options,
    )
