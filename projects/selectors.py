"""Reads about projects, the districts staff work for, and the public project pages."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from .models import (
    District,
    Neighbourhood,
    Organisation,
    Participation,
    Project,
    StaffMember,
    TargetGroup,
)


def staff_member_for(user: AbstractBaseUser | AnonymousUser) -> StaffMember | None:
    """The district role of a logged-in user, or None for residents and anonymous users."""
    if not user.is_authenticated:
        return None
    try:
        return StaffMember.objects.select_related("district").get(user_id=user.pk)
    except StaffMember.DoesNotExist:
        return None


def districts_run_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[District] | None:
    """The districts whose projects and match runs a user runs, as in the admin: every
    district for a superuser, their own for district staff; None for anyone else
    (coordinators only read projects, residents and anonymous users run nothing)."""
    if not user.is_authenticated:
        return None
    if getattr(user, "is_superuser", False):
        return District.objects.order_by("name", "pk")
    member = staff_member_for(user)
    if member is None or member.role != StaffMember.Role.STAFF:
        return None
    return District.objects.filter(pk=member.district_id)


def projects_for_staff(districts: QuerySet[District]) -> QuerySet[Project]:
    """Every project of the districts, drafts too, with what the staff's API shows of one."""
    return (
        Project.objects.filter(district__in=districts)
        .select_related("organisation", "district")
        .prefetch_related(
            Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name")),
            Prefetch("target_groups", queryset=TargetGroup.objects.order_by("name")),
        )
        .order_by("-created_at", "-pk")
    )


# --- Public project pages ----------------------------------------------------------------

# What the public may see. Drafts are the district's work in progress and never shown.
PUBLIC_STATUSES: tuple[str, ...] = (
    Project.Status.OPEN,
    Project.Status.PAUSED,
    Project.Status.CLOSED,
)


def projects_public() -> QuerySet[Project]:
    """Every project the public may see, with what a card or a project page shows.

    The organisation is joined and the neighbourhoods and target groups prefetched, so a page
    of any length costs the same few queries. Open projects first, then the newest.
    """
    status_rank = Case(
        When(status=Project.Status.OPEN, then=Value(0)),
        When(status=Project.Status.PAUSED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Project.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name")),
            Prefetch("target_groups", queryset=TargetGroup.objects.order_by("name")),
        )
        .alias(status_rank=status_rank)
        .order_by("status_rank", "-starts_on", "-pk")
    )


def neighbourhoods_public() -> QuerySet[Neighbourhood]:
    """Every neighbourhood with its district, by district then name (public reference data)."""
    return Neighbourhood.objects.select_related("district").order_by("district__name", "name", "pk")


def projects_for_hsds() -> QuerySet[Project]:
    """``projects_public()`` with the district too: the HSDS feed names it as the service area
    of projects serving the whole district."""
    return projects_public().select_related("district")


def organisations_public() -> QuerySet[Organisation]:
    """Providers of at least one public project: one with only drafts is not published yet."""
    public = Project.objects.filter(status__in=PUBLIC_STATUSES).values("organisation_id")
    return Organisation.objects.filter(pk__in=public).order_by("name", "pk")


def serving_neighbourhood(neighbourhood: Neighbourhood) -> Q:
    """Projects serving a neighbourhood: those naming it, and those of its whole district.

    A subquery rather than a join, so a project serving several neighbourhoods appears once.
    """
    named = Project.neighbourhoods.through.objects.filter(neighbourhood_id=neighbourhood.pk).values(
        "project_id"
    )
    return Q(pk__in=named) | Q(whole_district=True, district_id=neighbourhood.district_id)


def projects_open_near(*, neighbourhood: Neighbourhood | None, limit: int = 6) -> list[Project]:
    """The newest open projects serving ``neighbourhood`` (or anywhere, when it is None)."""
    projects = projects_public().filter(status=Project.Status.OPEN)
    if neighbourhood is not None:
        projects = projects.filter(serving_neighbourhood(neighbourhood))
    return list(projects.order_by("-created_at", "-pk")[:limit])


def active_roles_in_project(
    *, user: AbstractBaseUser | AnonymousUser, project: Project
) -> set[str]:
    """The roles a logged-in resident currently takes in a project (empty when anonymous)."""
    if not user.is_authenticated:
        return set()
    return set(
        Participation.objects.filter(
            resident_id=user.pk, project=project, status=Participation.Status.ACTIVE
        ).values_list("role", flat=True)
    )


def personal_data_of(*, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """The projects a resident took part in, for their request of access. One query."""
    participations = (
        Participation.objects.filter(resident_id=user_id)
        .select_related("project")
        .order_by("started_on", "pk")
    )
    return {
        "participations": [
            {
                "project": participation.project.title,
                "role": participation.role,
                "status": participation.status,
                "started_on": participation.started_on,
                "ended_on": participation.ended_on,
            }
            for participation in participations
        ]
    }
