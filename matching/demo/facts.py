"""What the demo applications are made from: the demo residents' profile facts and the
projects as matching saw them while they took applications."""

from collections import defaultdict
from dataclasses import dataclass

from projects.models import District, Project
from residents.demo import RESIDENT_PREFIX
from residents.models import ResidentProfile

from .. import eligibility


@dataclass(frozen=True)
class Person:
    user_id: int
    neighbourhood_id: int
    birth_year: int
    household_type: str
    name: str
    phone: str
    email: str
    groups: frozenset[str]
    group_ids: tuple[int, ...]


@dataclass
class DemoProject:
    facts: eligibility.ProjectFacts  # as matching saw it while the project was open
    status: str
    capacity: int
    taken: int
    used: int = 0  # accepted and delivered applications made here
    live: int = 0  # proposals waiting for a decision

    @property
    def free(self) -> int:
        return self.capacity - self.taken - self.used - self.live


def people(district: District) -> list[Person]:
    """The demo residents with the facts an application copies from their profile."""
    profiles = ResidentProfile.objects.filter(
        neighbourhood__district=district, user__username__startswith=RESIDENT_PREFIX
    )
    groups: dict[int, list[tuple[int, str]]] = defaultdict(list)
    through = ResidentProfile.target_groups.through
    for profile_id, group_id, code in (
        through.objects.filter(residentprofile__in=profiles)
        .order_by("pk")
        .values_list("residentprofile_id", "targetgroup_id", "targetgroup__code")
    ):
        groups[profile_id].append((group_id, code))
    return [
        Person(
            user_id=user_id,
            neighbourhood_id=neighbourhood_id,
            birth_year=birth_year,
            household_type=household_type,
            name=f"{last_name}{first_name}",
            phone=phone,
            email=email,
            groups=frozenset(code for _, code in groups[pk]),
            group_ids=tuple(group_id for group_id, _ in groups[pk]),
        )
        for (
            pk,
            user_id,
            neighbourhood_id,
            birth_year,
            household_type,
            phone,
            first_name,
            last_name,
            email,
        ) in (
            profiles.order_by("user_id").values_list(
                "pk",
                "user_id",
                "neighbourhood_id",
                "birth_year",
                "household_type",
                "phone",
                "user__first_name",
                "user__last_name",
                "user__email",
            )
        )
    ]


def projects(district: District) -> list[DemoProject]:
    """The projects that took applications: open ones, and closed or paused ones that were
    open during the demo year (their facts say open, as matching saw them then)."""
    statuses = [Project.Status.OPEN, Project.Status.CLOSED, Project.Status.PAUSED]
    rows = Project.objects.filter(district=district, status__in=statuses).order_by("pk")
    served: dict[int, set[int]] = defaultdict(set)
    for project_id, neighbourhood_id in Project.neighbourhoods.through.objects.filter(
        project__in=rows
    ).values_list("project_id", "neighbourhood_id"):
        served[project_id].add(neighbourhood_id)
    groups: dict[int, set[str]] = defaultdict(set)
    for project_id, code in Project.target_groups.through.objects.filter(
        project__in=rows
    ).values_list("project_id", "targetgroup__code"):
        groups[project_id].add(code)
    return [
        DemoProject(
            facts=eligibility.ProjectFacts(
                id=row.pk,
                district_id=district.pk,
                area=row.area,
                support_type=row.support_type,
                status=eligibility.PROJECT_OPEN,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                apply_by=row.apply_by,
                whole_district=row.whole_district,
                neighbourhood_ids=frozenset(served[row.pk]),
                target_groups=frozenset(groups[row.pk]),
                min_age=row.min_age,
                max_age=row.max_age,
                household_types=frozenset(row.household_types or ()),
            ),
            status=row.status,
            capacity=row.capacity,
            taken=row.places_taken,
        )
        for row in rows
    ]
