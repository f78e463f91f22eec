"""Every write the domain knows about projects: create, update, serve neighbourhoods, open,
pause, close. Each function is one transaction and validates before it writes."""

import datetime
from collections.abc import Iterable
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from residents.models import User

from .models import (
    Area,
    District,
    Neighbourhood,
    Organisation,
    Participation,
    Project,
    StaffMember,
    TargetGroup,
)

# What staff give when they register or change a project, in the order their forms show it:
# the admin's form and the API's both list these.
STAFF_PROJECT_FIELDS: tuple[str, ...] = (
    "district",
    "organisation",
    "title",
    "description",
    "area",
    "support_type",
    "whole_district",
    "neighbourhoods",
    "target_groups",
    "min_age",
    "max_age",
    "household_types",
    "eligibility_note",
    "capacity",
    "starts_on",
    "ends_on",
    "apply_by",
    "contact_name",
    "contact_phone",
    "contact_email",
)

# The fields project_update may set; relations have their own arguments.
_UPDATABLE_FIELDS = frozenset(
    {
        "district",
        "organisation",
        "title",
        "description",
        "area",
        "support_type",
        "min_age",
        "max_age",
        "household_types",
        "eligibility_note",
        "capacity",
        "places_taken",
        "starts_on",
        "ends_on",
        "apply_by",
        "contact_name",
        "contact_phone",
        "contact_email",
    }
)


def validate_neighbourhoods_in_district(
    *, district_id: int | None, neighbourhoods: Iterable[Neighbourhood]
) -> None:
    """Refuse a served neighbourhood that belongs to another district than the project's."""
    if district_id is None:
        return
    foreign = sorted(n.name for n in neighbourhoods if n.district_id != district_id)
    if foreign:
        raise ValidationError(
            {
                "neighbourhoods": _(
                    "Neighbourhoods served: %(names)s belong to another district "
                    "than the project's."
                )
                % {"names": ", ".join(foreign)}
            },
            code="neighbourhood_of_another_district",
        )


def _save(
    *,
    project: Project,
    neighbourhoods: Iterable[Neighbourhood] | None,
    whole_district: bool | None,
    target_groups: Iterable[TargetGroup] | None,
) -> Project:
    """Validate the row and its relations, then write both. Callers hold the transaction."""
    if whole_district is not None:
        project.whole_district = whole_district
    chosen = None if neighbourhoods is None else list(neighbourhoods)
    if project.whole_district:
        # The list is ignored for a whole-district project: keep it empty, not stale.
        chosen = []
    errors: dict[str, Any] = {}
    try:
        project.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if chosen is not None:
        try:
            validate_neighbourhoods_in_district(
                district_id=project.district_id, neighbourhoods=chosen
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    project.save()
    if chosen is not None:
        project.neighbourhoods.set(chosen)
    if target_groups is not None:
        project.target_groups.set(list(target_groups))
    return project


@transaction.atomic
def project_create(
    *,
    district: District,
    organisation: Organisation,
    title: str,
    area: str,
    support_type: str,
    capacity: int,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    apply_by: datetime.date | None = None,
    description: str = "",
    whole_district: bool = False,
    neighbourhoods: Iterable[Neighbourhood] = (),
    target_groups: Iterable[TargetGroup] = (),
    min_age: int | None = None,
    max_age: int | None = None,
    household_types: list[str] | None = None,
    eligibility_note: str = "",
    places_taken: int = 0,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Project:
    """Register a project as a draft; it opens with ``project_open``."""
    project = Project(
        district=district,
        organisation=organisation,
        title=title,
        description=description,
        area=area,
        support_type=support_type,
        min_age=min_age,
        max_age=max_age,
        household_types=list(household_types or []),
        eligibility_note=eligibility_note,
        capacity=capacity,
        places_taken=places_taken,
        starts_on=starts_on,
        ends_on=ends_on,
        apply_by=apply_by,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
    )
    return _save(
        project=project,
        neighbourhoods=neighbourhoods,
        whole_district=whole_district,
        target_groups=target_groups,
    )


@transaction.atomic
def project_update(
    *,
    project: Project,
    neighbourhoods: Iterable[Neighbourhood] | None = None,
    whole_district: bool | None = None,
    target_groups: Iterable[TargetGroup] | None = None,
    **fields: Any,
) -> Project:
    """Change a project's own fields (and its relations where given). The status changes only
    through ``project_open``/``project_pause``/``project_close``."""
    unknown = set(fields) - _UPDATABLE_FIELDS
    if unknown:
        raise TypeError(f"project_update() cannot set {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(project, name, value)
    if neighbourhoods is None and "district" in fields:
        # A project moved to another district must not keep the old one's neighbourhoods.
        neighbourhoods = project.neighbourhoods.all()
    return _save(
        project=project,
        neighbourhoods=neighbourhoods,
        whole_district=whole_district,
        target_groups=target_groups,
    )


@transaction.atomic
def project_save(
    *,
    project: Project,
    neighbourhoods: Iterable[Neighbourhood] | None = None,
    target_groups: Iterable[TargetGroup] | None = None,
) -> Project:
    """Save a project whose fields a form or an import has already set (new or existing).

    The admin and the CSV import build the instance from their input; this validates it the
    same way ``project_create``/``project_update`` do and writes it with its relations.
    """
    return _save(
        project=project,
        neighbourhoods=neighbourhoods,
        whole_district=None,
        target_groups=target_groups,
    )


@transaction.atomic
def project_set_neighbourhoods(
    *, project: Project, neighbourhoods: Iterable[Neighbourhood], whole_district: bool
) -> Project:
    """Set where a project is offered: the whole district, or the listed neighbourhoods."""
    return _save(
        project=project,
        neighbourhoods=neighbourhoods,
        whole_district=whole_district,
        target_groups=None,
    )


def _refuse(message: Any, *, code: str) -> NoReturn:
    raise ValidationError({"status": message}, code=code)


def _locked(project: Project) -> Project:
    """Re-read the row under a lock so two staff changing the status at once serialise."""
    return Project.objects.select_for_update().get(pk=project.pk)


def _set_status(project: Project, fresh: Project, status: str) -> Project:
    fresh.status = status
    fresh.save(update_fields=["status", "updated_at"])
    project.status = fresh.status
    project.updated_at = fresh.updated_at
    return project


@transaction.atomic
def project_open(*, project: Project, today: datetime.date | None = None) -> Project:
    """Open a draft or paused project to applications."""
    fresh = _locked(project)
    today = today or timezone.localdate()
    if fresh.status == Project.Status.OPEN:
        _refuse(_("Status: the project is already open."), code="already_open")
    if fresh.status == Project.Status.CLOSED:
        _refuse(_("Status: a closed project cannot be opened again."), code="closed")
    if fresh.ends_on is not None and fresh.ends_on < today:
        raise ValidationError(
            {"ends_on": _("End date: the project has already ended; it cannot open.")},
            code="ended",
        )
    if not fresh.whole_district and not fresh.neighbourhoods.exists():
        raise ValidationError(
            {
                "neighbourhoods": _(
                    "Neighbourhoods served: choose at least one neighbourhood or the whole "
                    "district before opening the project."
                )
            },
            code="nowhere",
        )
    return _set_status(project, fresh, Project.Status.OPEN)


@transaction.atomic
def project_pause(*, project: Project) -> Project:
    """Stop taking applications for a while; the project can open again."""
    fresh = _locked(project)
    if fresh.status != Project.Status.OPEN:
        _refuse(_("Status: only an open project can be paused."), code="not_open")
    return _set_status(project, fresh, Project.Status.PAUSED)


@transaction.atomic
def project_close(*, project: Project) -> Project:
    """End a project for good."""
    fresh = _locked(project)
    if fresh.status == Project.Status.CLOSED:
        _refuse(_("Status: the project is already closed."), code="already_closed")
    return _set_status(project, fresh, Project.Status.CLOSED)


# --- Joining a project -------------------------------------------------------------------

# Residents join neighbour networks and health or learning programmes as volunteers or
# participants; donations and talents have their own pages (pledge, offer a talent).
JOINABLE_AREAS: frozenset[str] = frozenset({Area.NETWORK, Area.HEALTH, Area.EDUCATION})


def participation_join(*, resident: User, project: Project, role: str) -> Participation:
    """Let a resident join an open project as a volunteer or a participant.

    Refuses a project that is not open or not of a joinable area, and a second active
    participation in the same role (the database's ``participation_one_active_per_role``
    settles two submissions racing each other). Raises ``ValidationError`` with a message
    for the resident.
    """
    if role not in Participation.Role.values:
        raise ValidationError({"role": _("Choose how you want to take part.")}, code="invalid_role")
    with transaction.atomic():
        # Locked so the project cannot close between the check and the new row.
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.status != Project.Status.OPEN:
            raise ValidationError(
                _("“%(project)s” is not open for joining now.") % {"project": locked.title},
                code="project_not_open",
            )
        if locked.area not in JOINABLE_AREAS:
            raise ValidationError(
                _("You cannot join “%(project)s” as a volunteer or participant.")
                % {"project": locked.title},
                code="area_not_joinable",
            )
        already = _("You have already joined “%(project)s” (%(role)s).") % {
            "project": locked.title,
            "role": Participation.Role(role).label,
        }
        active = Participation.objects.filter(
            resident=resident, project=locked, role=role, status=Participation.Status.ACTIVE
        )
        if active.exists():
            raise ValidationError(already, code="already_joined")
        try:
            with transaction.atomic():
                return Participation.objects.create(
                    resident=resident,
                    project=locked,
                    role=role,
                    status=Participation.Status.ACTIVE,
                    started_on=timezone.localdate(),
                )
        except IntegrityError as error:
            raise ValidationError(already, code="already_joined") from error


# The permission group each district role's user belongs to (made by migration 0004_roles).
ROLE_GROUPS = {
    StaffMember.Role.STAFF: "district staff",
    StaffMember.Role.COORDINATOR: "coordinator",
}


def staff_member_groups_sync(*, member: StaffMember) -> None:
    """Put the member's user in their role's group and out of the other role's."""
    from django.contrib.auth.models import Group

    wanted = ROLE_GROUPS[StaffMember.Role(member.role)]
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_GROUPS.values())}
    member.user.groups.remove(*[g for name, g in groups.items() if name != wanted])
    if wanted in groups:
        member.user.groups.add(groups[wanted])
