"""Every write the domain knows about projects: create, update, serve neighbourhoods, open,
pause, close. Each function is one transaction and validates before it writes."""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from residents.models import User
from welfare_net.enqueue import enqueue_on_commit

from .models import (
    Area,
    CoordinatorInvitation,
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


# --- Coordinator invitations ----------------------------------------------------------------

COORDINATOR_INVITATION_DAYS = 7
INVITATION_SENT = _(
    "If this email address belongs to an account on the site, an invitation to become a "
    "coordinator has been sent to it. The person becomes a coordinator only after accepting it."
)


def _invitation_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invitable_user(email: str) -> User | None:
    """The one active account of this email that has no role yet, or None."""
    users = list(User.objects.filter(email__iexact=email, is_active=True)[:2])
    if len(users) != 1 or users[0].is_superuser:
        return None
    if StaffMember.objects.filter(user=users[0]).exists():
        return None
    return users[0]


@transaction.atomic
def coordinator_invitation_send(
    *,
    invited_by: User,
    district: District,
    email: str,
    neighbourhoods: Iterable[Neighbourhood],
    areas: list[str],
    site_url: str,
) -> CoordinatorInvitation:
    """Invite someone to be a coordinator of ``neighbourhoods``; ``site_url`` is the site's
    address (scheme and host) for the link.

    The invitation is recorded, and its email task enqueued, whatever the address: whether an
    account has it is decided in the task (``coordinator_invitation_email``), so the staff's
    answer (``INVITATION_SENT``) and its timing are the same for every address."""
    from .tasks import coordinator_invitation_email_task

    chosen = list(neighbourhoods)
    validate_neighbourhoods_in_district(district_id=district.pk, neighbourhoods=chosen)
    invitation = CoordinatorInvitation.objects.create(
        district=district,
        email=email.strip(),
        invited_by=invited_by,
        areas=areas,
        expires_at=timezone.now() + datetime.timedelta(days=COORDINATOR_INVITATION_DAYS),
    )
    invitation.neighbourhoods.set(chosen)
    enqueue_on_commit(coordinator_invitation_email_task, invitation.pk, site_url)
    return invitation


@transaction.atomic
def coordinator_invitation_email(*, invitation_id: int, site_url: str) -> bool:
    """Email a pending invitation's link to its address, if an active account without a role
    has it; whether it was sent. Once: the token is made here, and a second run finds it."""
    invitation = (
        CoordinatorInvitation.objects.select_for_update()
        .filter(pk=invitation_id, token_digest__isnull=True)
        .first()
    )
    if invitation is None or not invitation.is_pending or invitation.expires_at <= timezone.now():
        return False
    user = _invitable_user(invitation.email)
    if user is None:
        return False
    token = secrets.token_urlsafe(32)
    invitation.token_digest = _invitation_digest(token)
    invitation.save(update_fields=["token_digest", "updated_at"])
    link = site_url.rstrip("/") + reverse("projects:coordinator_invitation", args=[token])
    chosen = ", ".join(n.name for n in invitation.neighbourhoods.all()) or "-"
    language = getattr(getattr(user, "profile", None), "preferred_language", None) or "ko"
    with translation.override(language):
        subject = str(_("An invitation to be a coordinator"))
        body = str(
            _(
                "%(district)s invites you to be a coordinator of %(neighbourhoods)s on the "
                "welfare platform. As a coordinator you will review and follow up on "
                "residents' applications there.\n\n"
                "To accept, log in with this email address and open:\n%(link)s\n\n"
                "The invitation is valid for %(days)d days. If you did not expect it, you "
                "can ignore this message: nothing changes unless you accept."
            )
            % {
                "district": invitation.district.name,
                "neighbourhoods": chosen,
                "link": link,
                "days": COORDINATOR_INVITATION_DAYS,
            }
        )
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
    return True


def coordinator_invitation_find(*, token: str) -> CoordinatorInvitation | None:
    """The invitation of a link's token, or None for a token nobody was given."""
    if not token:
        return None
    return (
        CoordinatorInvitation.objects.select_related("district")
        .filter(token_digest=_invitation_digest(token))
        .first()
    )


def _refuse_invitation(message: Any, *, code: str) -> NoReturn:
    raise ValidationError(message, code=code)


def coordinator_invitation_check(*, invitation: CoordinatorInvitation, user: User) -> None:
    """Refuse (ValidationError with its code) unless ``user`` may accept the invitation now:
    the logged-in owner of the invited email, once, before it expires and unless it was
    cancelled, and only without another role already."""
    if invitation.cancelled_at is not None:
        _refuse_invitation(_("This invitation was cancelled."), code="invitation_cancelled")
    if invitation.accepted_at is not None:
        _refuse_invitation(_("This invitation has already been accepted."), code="invitation_used")
    if invitation.expires_at <= timezone.now():
        _refuse_invitation(
            _("This invitation has expired. Ask the district office for a new one."),
            code="invitation_expired",
        )
    if not user.email or user.email.lower() != invitation.email.lower():
        _refuse_invitation(
            _(
                "This invitation was sent to another email address. Log in with the address "
                "it was sent to."
            ),
            code="invitation_other_email",
        )
    if user.is_superuser or StaffMember.objects.filter(user=user).exists():
        _refuse_invitation(_("You already have a role on the platform."), code="has_role")


@transaction.atomic
def coordinator_invitation_accept(*, invitation: CoordinatorInvitation, user: User) -> StaffMember:
    """The invited person accepts (``coordinator_invitation_check`` first): they become a
    coordinator of the invitation's district, neighbourhoods and areas."""
    invitation = CoordinatorInvitation.objects.select_for_update().get(pk=invitation.pk)
    coordinator_invitation_check(invitation=invitation, user=user)
    member = StaffMember.objects.create(
        user=user,
        district=invitation.district,
        role=StaffMember.Role.COORDINATOR,
        areas=invitation.areas,
    )
    member.neighbourhoods.set(invitation.neighbourhoods.all())
    staff_member_groups_sync(member=member)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    return member


def coordinator_invitation_cancel(*, invitation: CoordinatorInvitation) -> None:
    """Withdraw a pending invitation; its link then accepts nothing."""
    CoordinatorInvitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now(), updated_at=timezone.now())
