"""Every write about projects and taking part in them."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residents.models import User

from .models import Area, Participation, Project

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
