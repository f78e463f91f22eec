"""A coordinator's handling of a referral: contact the neighbour, apply with them, or close."""

import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import HouseholdType, TargetGroup
from residents.models import User, phone_validator

from ..models import Notification, Referral, SupportApplication
from .applications import _request_matching, _validate_need, application_event_record
from .notification_requests import notification_request
from .outcomes import _notify_referral_status

RStatus = Referral.Status


def _referral_locked(*, referral: Referral, allowed_from: Iterable[str]) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status not in set(allowed_from):
        raise ValidationError(
            _("This referral is already “%(status)s” and cannot change that way.")
            % {"status": locked.get_status_display()},
            code="invalid_state",
        )
    return locked


@transaction.atomic
def referral_record_contact(*, referral: Referral, by: User, note: str) -> Referral:
    """The coordinator reached the neighbour (or tried to): received -> contacted."""
    locked = _referral_locked(referral=referral, allowed_from=[RStatus.RECEIVED])
    locked.status = RStatus.CONTACTED
    locked.contacted_at = timezone.now()
    locked.contact_note = note.strip()
    locked.save(update_fields=["status", "contacted_at", "contact_note", "updated_at"])
    _notify_referral_status(referral_id=locked.pk, status=locked.status)
    referral.status = locked.status
    return locked


def _validate_neighbour(
    *,
    applicant_name: str,
    contact_phone: str,
    birth_year: int | None,
    household_type: str,
    groups: Sequence[TargetGroup],
    wanted_group_ids: Sequence[int],
    consent_text_version: str,
) -> None:
    errors: dict[str, str] = {}
    if not consent_text_version.strip():
        errors["consent_text_version"] = _(
            "An application for a neighbour needs their consent to the use of personal "
            "information: record the consent text version they agreed to."
        )
    if not applicant_name.strip():
        errors["applicant_name"] = _("Enter the neighbour's name.")
    if contact_phone:
        try:
            phone_validator(contact_phone.strip())
        except ValidationError:
            errors["contact_phone"] = _("Enter a phone number such as 010-1234-5678.")
    if birth_year is not None and not 1900 <= birth_year <= timezone.localdate().year:
        errors["birth_year"] = _("Enter a birth year between 1900 and this year.")
    if household_type and household_type not in HouseholdType.values:
        errors["household_type"] = _("Choose a household type from the list.")
    if len(groups) != len(set(wanted_group_ids)):
        errors["target_groups"] = _("Choose target groups from the list.")
    elif any(group.is_sensitive for group in groups):
        # Health and disability need a separate consent, which this path does not record.
        errors["target_groups"] = _(
            "Health and disability groups need the neighbour's separate consent to sensitive "
            "information; leave them out."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def referral_convert(
    *,
    referral: Referral,
    by: User,
    applicant_name: str,
    contact_phone: str,
    birth_year: int | None,
    household_type: str,
    target_group_ids: Sequence[int],
    areas: Sequence[str],
    description: str,
    urgency: int,
    support_type: str = "",
    consent_text_version: str,
) -> SupportApplication:
    """The coordinator applies for support on behalf of a neighbour they reached.

    Only with the neighbour's consent: the neighbour has no account, so the consent (text
    version, time) is stored on the application itself. The application has no applicant
    account (``applicant=None``), is submitted by the coordinator, and lies in the referral's
    neighbourhood. The referral stays ``contacted`` and points at the application; it becomes
    ``connected`` when support is delivered (``connection_record_outcome``).
    """
    locked = _referral_locked(referral=referral, allowed_from=[RStatus.RECEIVED, RStatus.CONTACTED])
    if locked.status == RStatus.RECEIVED:
        raise ValidationError(
            _("Record the contact with the neighbour before applying for them."),
            code="not_contacted",
        )
    if locked.application_id is not None:
        raise ValidationError(
            _("An application was already made from this referral."), code="already_converted"
        )
    _validate_need(areas=areas, support_type=support_type, urgency=urgency, description=description)
    groups = list(TargetGroup.objects.filter(pk__in=set(target_group_ids)))
    _validate_neighbour(
        applicant_name=applicant_name,
        contact_phone=contact_phone,
        birth_year=birth_year,
        household_type=household_type,
        groups=groups,
        wanted_group_ids=target_group_ids,
        consent_text_version=consent_text_version,
    )
    now = timezone.now()
    application = SupportApplication.objects.create(
        applicant=None,
        submitted_by=by,
        district_id=locked.district_id,
        neighbourhood_id=locked.neighbourhood_id,
        areas=sorted(set(areas)),
        support_type=support_type,
        urgency=urgency,
        description=description.strip(),
        applicant_name=applicant_name.strip(),
        contact_phone=contact_phone.strip(),
        birth_year=birth_year,
        household_type=household_type,
        submitted_at=now,
        submission_key=uuid.uuid4(),
        consent_text_version=consent_text_version.strip(),
        consent_given_at=now,
    )
    application.target_groups.set(groups)
    application_event_record(
        application=application,
        from_status="",
        to_status=SupportApplication.Status.PENDING,
        actor=by,
        note=_("Applied on the neighbour's behalf, from a referral."),
    )
    locked.application = application
    locked.save(update_fields=["application", "updated_at"])
    referral.application = application
    _request_matching(district_id=application.district_id)
    _notify_referral_converted(application_id=application.pk)
    return application


@transaction.atomic
def referral_close(*, referral: Referral, by: User, reason: str) -> Referral:
    """Close a referral that will not lead to support (the reason is required).

    A referral whose application is still open follows that application instead.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is closed.")})
    locked = _referral_locked(referral=referral, allowed_from=[RStatus.RECEIVED, RStatus.CONTACTED])
    if locked.application is not None and locked.application.is_open:
        raise ValidationError(
            _(
                "This referral's application is still open; record the outcome of the "
                "application instead."
            ),
            code="application_open",
        )
    locked.status = RStatus.CLOSED
    locked.closed_reason = reason.strip()[:300]
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
    _notify_referral_status(referral_id=locked.pk, status=locked.status)
    referral.status = locked.status
    return locked


def _notify_referral_converted(*, application_id: int) -> None:
    notification_request(kind=Notification.Kind.REFERRAL_CONVERTED, args=(application_id,))
