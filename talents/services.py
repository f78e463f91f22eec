"""Writes about talent offers: a resident offers a skill; staff attach it to a project."""

import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from projects.models import Area, Neighbourhood, Project
from residents.models import User

from .models import TalentOffer


@transaction.atomic
def talent_offer_create(
    *,
    resident: User,
    category: str,
    description: str,
    neighbourhoods: Iterable[Neighbourhood],
    availability: str = "",
    submission_key: uuid.UUID | None = None,
) -> TalentOffer:
    """Record a skill a resident offers, in the given neighbourhoods (none: anywhere).

    The same ``submission_key`` twice (a double tap, a resent form) returns the first offer
    unchanged; another resident's key is refused."""
    if submission_key is not None:
        existing = _offer_of_submission(resident=resident, submission_key=submission_key)
        if existing is not None:
            return existing
    description = description.strip()
    availability = availability.strip()
    errors: dict[str, list[StrOrPromise]] = {}
    if category not in TalentOffer.Category.values:
        errors.setdefault("category", []).append(_("Choose what kind of talent you offer."))
    if not description:
        errors.setdefault("description", []).append(_("Describe the talent you offer."))
    max_availability = TalentOffer._meta.get_field("availability").max_length or 0
    if len(availability) > max_availability:
        errors.setdefault("availability", []).append(
            _("Keep the availability under %(max)s characters.") % {"max": max_availability}
        )
    if errors:
        raise ValidationError(errors)
    offer = TalentOffer(
        resident=resident,
        category=category,
        description=description,
        availability=availability,
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            offer.save()
    except IntegrityError:
        # A concurrent send of the same form won the race: return its offer.
        winner = (
            _offer_of_submission(resident=resident, submission_key=submission_key)
            if submission_key is not None
            else None
        )
        if winner is None:
            raise
        return winner
    offer.neighbourhoods.set(list(neighbourhoods))
    return offer


def _offer_of_submission(*, resident: User, submission_key: uuid.UUID) -> TalentOffer | None:
    existing = TalentOffer.objects.filter(submission_key=submission_key).first()
    if existing is not None and existing.resident_id != resident.pk:
        raise ValidationError(
            _("This form was already used. Please start again."), code="used_form"
        )
    return existing


def _lock_offer(offer: TalentOffer) -> TalentOffer:
    return TalentOffer.objects.select_for_update().get(pk=offer.pk)


@transaction.atomic
def talent_offer_attach(*, offer: TalentOffer, project: Project) -> TalentOffer:
    """Attach an offer to an open talent-sharing project and make it active.

    The project must belong to the district of one of the offer's neighbourhoods; an offer
    that names no neighbourhood may join a project of any district. A withdrawn offer cannot
    be attached. Returns the updated offer (the one passed in is not changed)."""
    locked = _lock_offer(offer)
    errors: list[StrOrPromise] = []
    if locked.status == TalentOffer.Status.WITHDRAWN:
        raise ValidationError(
            {"status": _("This talent offer was withdrawn and cannot join a project.")}
        )
    if project.area != Area.TALENT:
        errors.append(_("Choose a talent-sharing project."))
    if project.status != Project.Status.OPEN:
        errors.append(_("Choose a project that is open."))
    offer_districts = set(locked.neighbourhoods.values_list("district_id", flat=True))
    if offer_districts and project.district_id not in offer_districts:
        errors.append(_("Choose a project of the district where the talent is offered."))
    if errors:
        raise ValidationError({"project": errors})
    locked.project = project
    locked.status = TalentOffer.Status.ACTIVE
    locked.save(update_fields=["project", "status", "updated_at"])
    return locked


@transaction.atomic
def talent_offer_withdraw(*, offer: TalentOffer) -> TalentOffer:
    """The resident takes the offer back. The project it served stays on the row as history;
    the status says it no longer takes part. Withdrawing twice is harmless. Returns the
    updated offer."""
    locked = _lock_offer(offer)
    if locked.status != TalentOffer.Status.WITHDRAWN:
        locked.status = TalentOffer.Status.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
    return locked
