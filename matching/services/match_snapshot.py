"""What a match run reads, inside its transaction: a district's pending applications and
open projects as plain facts for matching/eligibility.py, and the places left after locking.

Every read is one query over the whole district, whatever its size.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate

from projects.models import Project

from .. import eligibility
from ..models import MatchProposal, SupportApplication

Status = SupportApplication.Status


@dataclass(frozen=True)
class DistrictSnapshot:
    """What a run reads: pending applications, open projects and their free places."""

    district_id: int
    applications: list[eligibility.ApplicationFacts]
    projects: dict[int, eligibility.ProjectFacts]
    free_places: dict[int, int]


def live_proposals_per_project(
    *, district_id: int, project_ids: Iterable[int] | None = None
) -> Counter[int]:
    """Proposals waiting for a coordinator, per project: each holds one of its places."""
    proposals = MatchProposal.objects.filter(
        status=MatchProposal.Status.PROPOSED, project__district_id=district_id
    )
    if project_ids is not None:
        proposals = proposals.filter(project_id__in=list(project_ids))
    return Counter(
        dict(proposals.values("project_id").annotate(n=Count("pk")).values_list("project_id", "n"))
    )


def district_snapshot(*, district_id: int) -> DistrictSnapshot:
    """Read a district in a fixed number of queries, whatever its size."""
    pending = SupportApplication.objects.filter(district_id=district_id, status=Status.PENDING)
    # An application with a live proposal is never proposed again, whatever its status says.
    pending = pending.exclude(
        Exists(
            MatchProposal.objects.filter(
                application=OuterRef("pk"), status__in=MatchProposal.LIVE_STATUSES
            )
        )
    )
    groups: defaultdict[int, set[str]] = defaultdict(set)
    for application_id, code in SupportApplication.target_groups.through.objects.filter(
        supportapplication__district_id=district_id,
        supportapplication__status=Status.PENDING,
    ).values_list("supportapplication_id", "targetgroup__code"):
        groups[application_id].add(code)
    rejected: defaultdict[int, set[int]] = defaultdict(set)
    for application_id, project_id in MatchProposal.objects.filter(
        status=MatchProposal.Status.REJECTED,
        application__district_id=district_id,
        application__status=Status.PENDING,
    ).values_list("application_id", "project_id"):
        rejected[application_id].add(project_id)
    applications = [
        eligibility.ApplicationFacts(
            id=pk,
            district_id=district_id,
            neighbourhood_id=neighbourhood_id,
            areas=frozenset(areas or ()),
            urgency=urgency,
            submitted_on=submitted_on,
            support_type=support_type,
            birth_year=birth_year,
            household_type=household_type,
            target_groups=frozenset(groups.get(pk, ())),
            preferred_project_id=preferred_project_id,
            rejected_project_ids=frozenset(rejected.get(pk, ())),
        )
        for (
            pk,
            neighbourhood_id,
            areas,
            urgency,
            submitted_on,
            support_type,
            birth_year,
            household_type,
            preferred_project_id,
        ) in pending.order_by("pk").values_list(
            "pk",
            "neighbourhood_id",
            "areas",
            "urgency",
            TruncDate("submitted_at"),
            "support_type",
            "birth_year",
            "household_type",
            "preferred_project_id",
        )
    ]

    open_projects = Project.objects.filter(district_id=district_id, status=Project.Status.OPEN)
    served: defaultdict[int, set[int]] = defaultdict(set)
    for project_id, neighbourhood_id in Project.neighbourhoods.through.objects.filter(
        project__district_id=district_id, project__status=Project.Status.OPEN
    ).values_list("project_id", "neighbourhood_id"):
        served[project_id].add(neighbourhood_id)
    project_groups: defaultdict[int, set[str]] = defaultdict(set)
    for project_id, code in Project.target_groups.through.objects.filter(
        project__district_id=district_id, project__status=Project.Status.OPEN
    ).values_list("project_id", "targetgroup__code"):
        project_groups[project_id].add(code)
    live = live_proposals_per_project(district_id=district_id)
    projects: dict[int, eligibility.ProjectFacts] = {}
    free_places: dict[int, int] = {}
    for row in open_projects.values(
        "pk",
        "area",
        "support_type",
        "status",
        "starts_on",
        "ends_on",
        "apply_by",
        "whole_district",
        "min_age",
        "max_age",
        "household_types",
        "capacity",
        "places_taken",
    ):
        pk = row["pk"]
        projects[pk] = eligibility.ProjectFacts(
            id=pk,
            district_id=district_id,
            area=row["area"],
            support_type=row["support_type"],
            status=row["status"],
            starts_on=row["starts_on"],
            ends_on=row["ends_on"],
            apply_by=row["apply_by"],
            whole_district=row["whole_district"],
            neighbourhood_ids=frozenset(served.get(pk, ())),
            target_groups=frozenset(project_groups.get(pk, ())),
            min_age=row["min_age"],
            max_age=row["max_age"],
            household_types=frozenset(row["household_types"] or ()),
        )
        free_places[pk] = max(0, row["capacity"] - row["places_taken"] - live[pk])
    return DistrictSnapshot(
        district_id=district_id,
        applications=applications,
        projects=projects,
        free_places=free_places,
    )


def places_after_locking(
    *, snapshot: DistrictSnapshot, assignment: dict[int, int], today: date
) -> dict[int, int]:
    """Lock the chosen projects' rows and say how many places each can still be given.

    A project paused, closed or moved out of its period while the solver ran gets none; a
    project whose free places shrank meanwhile gets only what is left.
    """
    chosen = sorted(set(assignment.values()))
    # Lock first (in id order, so two runs can never wait on each other), then count.
    rows = list(
        Project.objects.select_for_update()
        .filter(pk__in=chosen)
        .order_by("pk")
        .values_list("pk", "status", "starts_on", "ends_on", "apply_by", "capacity", "places_taken")
    )
    live = live_proposals_per_project(district_id=snapshot.district_id, project_ids=chosen)
    places: dict[int, int] = {}
    for pk, status, starts_on, ends_on, apply_by, capacity, places_taken in rows:
        now_facts = replace(
            snapshot.projects[pk],
            status=status,
            starts_on=starts_on,
            ends_on=ends_on,
            apply_by=apply_by,
        )
        if eligibility.project_is_open(now_facts) and eligibility.project_in_period(
            now_facts, today
        ):
            places[pk] = max(0, capacity - places_taken - live[pk])
    return places
