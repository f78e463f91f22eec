"""Every write about applications and referrals."""

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import Area, Neighbourhood, Project, SupportType
from residents.models import ResidentProfile, User
from residents.services import user_anonymise, user_deletion_check
from surveys.services import respondent_forget
from welfare_net.enqueue import enqueue_on_commit

from ..models import (
    ApplicationEvent,
    MatchProposal,
    Referral,
    SupportApplication,
    Urgency,
)
from .retention import applications_anonymise

Status = SupportApplication.Status


def application_event_record(
    *,
    application: SupportApplication,
    from_status: str,
    to_status: str,
    actor: User | None = None,
    note: str = "",
    outcome: str = "",
    outcome_on: datetime.date | None = None,
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
        outcome=outcome,
        outcome_on=outcome_on,
        created_at=timezone.now(),
    )


def application_transition(
    *,
    application: SupportApplication,
    to_status: str,
    allowed_from: Iterable[str],
    actor: User | None = None,
    note: str = "",
) -> SupportApplication:
    """Move an application to a new state if it is in one of ``allowed_from``.

    Locks the row, so two concurrent decisions cannot both pass the check; records the event.
    Call inside a transaction.
    """
    locked = SupportApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status not in set(allowed_from):
        raise ValidationError(
            _("This application is already “%(status)s” and cannot change that way.")
            % {"status": locked.get_status_display()},
            code="invalid_state",
        )
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    application_event_record(
        application=locked, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    application.status = locked.status
    return locked


def _validate_need(
    *, areas: Sequence[str], support_type: str, urgency: int, description: str
) -> None:
    errors: dict[str, str] = {}
    if not areas or not set(areas) <= set(Area.values):
        errors["areas"] = _("Choose at least one area of need.")
    if support_type and support_type not in SupportType.values:
        errors["support_type"] = _("Choose a support type from the list.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose how urgent the need is.")
    if not description.strip():
        errors["description"] = _("Describe what you need in a few words.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_submit(
    *,
    applicant: User,
    areas: Sequence[str],
    description: str,
    urgency: int = Urgency.NORMAL,
    support_type: str = "",
    preferred_project: Project | None = None,
    contact_phone: str = "",
    submission_key: uuid.UUID,
) -> SupportApplication:
    """A resident applies for support for themselves.

    Needs a profile and an active personal-information consent. The same ``submission_key``
    twice (a double click, a resent form) returns the first application unchanged.
    """
    existing = SupportApplication.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if existing.applicant_id != applicant.pk:
            raise ValidationError(
                _("This form was already used. Please start again."), code="used_form"
            )
        return existing
    _validate_need(areas=areas, support_type=support_type, urgency=urgency, description=description)
    try:
        profile = ResidentProfile.objects.select_related("neighbourhood").get(user=applicant)
    except ResidentProfile.DoesNotExist:
        raise ValidationError(
            _("Please fill in your profile before applying."), code="profile_missing"
        ) from None
    if not applicant.consents.filter(kind="personal", withdrawn_at__isnull=True).exists():
        raise ValidationError(
            _("Applying needs your consent to the use of personal information."),
            code="consent_needed",
        )
    if preferred_project is not None and (
        preferred_project.district_id != profile.neighbourhood.district_id
        or preferred_project.status != Project.Status.OPEN
    ):
        raise ValidationError({"preferred_project": _("This project is not taking applications.")})

    now = timezone.now()
    application = SupportApplication(
        applicant=applicant,
        district_id=profile.neighbourhood.district_id,
        neighbourhood=profile.neighbourhood,
        areas=sorted(set(areas)),
        support_type=support_type,
        urgency=urgency,
        description=description.strip(),
        preferred_project=preferred_project,
        applicant_name=applicant.get_full_name() or applicant.username,
        contact_phone=contact_phone or profile.phone,
        contact_email=applicant.email,
        birth_year=profile.birth_year,
        household_type=profile.household_type,
        submitted_at=now,
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # A concurrent submit of the same form won the race: return its application.
        return SupportApplication.objects.get(submission_key=submission_key)
    # The new application has no groups yet: one INSERT, not set()'s read-compare-write.
    groups = ResidentProfile.target_groups.through.objects.filter(residentprofile_id=profile.pk)
    SupportApplication.target_groups.through.objects.bulk_create(
        SupportApplication.target_groups.through(
            supportapplication_id=application.pk, targetgroup_id=g
        )
        for g in groups.values_list("targetgroup_id", flat=True)
    )
    application_event_record(
        application=application, from_status="", to_status=Status.PENDING, actor=applicant
    )
    _request_matching(district_id=application.district_id)
    return application


def _request_matching(*, district_id: int) -> None:
    from ..tasks import match_district

    enqueue_on_commit(match_district, district_id)


@transaction.atomic
def application_withdraw(
    *, application: SupportApplication, by: User, note: str = ""
) -> SupportApplication:
    """The resident withdraws an application that has not been connected yet.

    A proposal waiting for a coordinator expires with it, so it frees its place.
    """
    withdrawn = application_transition(
        application=application,
        to_status=Status.WITHDRAWN,
        allowed_from=[Status.PENDING, Status.PROPOSED, Status.ON_HOLD],
        actor=by,
        note=note,
    )
    MatchProposal.objects.filter(
        application=withdrawn, status=MatchProposal.Status.PROPOSED
    ).update(
        status=MatchProposal.Status.EXPIRED,
        decided_at=timezone.now(),
        decided_by=by,
        decision_note=_("The application was withdrawn."),
        updated_at=timezone.now(),
    )
    return withdrawn


@transaction.atomic
def referral_submit(
    *,
    referrer: User,
    neighbourhood_id: int,
    situation: str,
    how_to_reach: str,
    neighbour_knows: bool,
    neighbour_name: str = "",
    submission_key: uuid.UUID,
) -> Referral:
    """A resident refers a neighbour in need to the coordinator of that neighbourhood."""
    existing = Referral.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        if existing.referrer_id != referrer.pk:
            raise ValidationError(
                _("This form was already used. Please start again."), code="used_form"
            )
        return existing
    errors: dict[str, str] = {}
    if not situation.strip():
        errors["situation"] = _("Describe the neighbour's situation in a few words.")
    if not how_to_reach.strip():
        errors["how_to_reach"] = _("Tell us how the community centre can reach them.")
    neighbourhood = Neighbourhood.objects.filter(pk=neighbourhood_id).first()
    if neighbourhood is None:
        errors["neighbourhood"] = _("Choose the neighbourhood where they live.")
    if errors:
        raise ValidationError(errors)
    assert neighbourhood is not None
    try:
        with transaction.atomic():
            return Referral.objects.create(
                referrer=referrer,
                district_id=neighbourhood.district_id,
                neighbourhood=neighbourhood,
                neighbour_name=neighbour_name.strip(),
                situation=situation.strip(),
                how_to_reach=how_to_reach.strip(),
                neighbour_knows=neighbour_knows,
                submission_key=submission_key,
            )
    except IntegrityError:
        return Referral.objects.get(submission_key=submission_key)


@transaction.atomic
def account_delete(*, user: User) -> None:
    """A resident deletes their account: their applications and referrals lose every personal
    field (the counts and states the figures need stay), open applications are withdrawn,
    then the account itself is anonymised.

    A staff account is refused (ValidationError, code ``staff_account``) before anything
    changes: a district administrator closes it."""
    user_deletion_check(user=user)
    for application in SupportApplication.objects.filter(
        applicant=user, status__in=[Status.PENDING, Status.PROPOSED, Status.ON_HOLD]
    ):
        application_withdraw(application=application, by=user, note="account deleted")
    # Everything the retention run would remove three years later goes now, notes included.
    applications_anonymise(
        list(SupportApplication.objects.filter(applicant=user).values_list("pk", flat=True))
    )
    respondent_forget(user=user)
    # Then every app's declared fields (referrals made, messages, pledges, talent offers...).
    user_anonymise(user=user)
