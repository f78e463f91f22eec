"""Writes about donations: pledges, their receipt and the receipts' numbering."""

import logging
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from projects.models import Project
from residents.models import User

from .models import DonationPledge, DonationReceipt, ReceiptSequence

logger = logging.getLogger(__name__)

# Receipts are tax documents of a Seoul district: their date and year are Seoul's.
SEOUL = ZoneInfo("Asia/Seoul")


def _seoul_today() -> date:
    return timezone.localdate(timezone=SEOUL)


def _is_whole_positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


@transaction.atomic
def pledge_create(
    *,
    donor: User,
    project: Project,
    kind: str,
    amount_won: int | None = None,
    goods_description: str = "",
    goods_quantity: int | None = None,
    anonymous: bool = False,
    submission_key: uuid.UUID | None = None,
) -> DonationPledge:
    """Record a resident's pledge of money (a positive whole number of won) or goods (a
    description and a quantity) to an open project. Errors name the field they are about.

    The same ``submission_key`` twice (a double tap, a resent form) returns the first pledge
    unchanged; another donor's key is refused."""
    if submission_key is not None:
        existing = _pledge_of_submission(donor=donor, submission_key=submission_key)
        if existing is not None:
            return existing
    goods_description = goods_description.strip()
    errors: dict[str, list[StrOrPromise]] = {}
    if project.status != Project.Status.OPEN:
        errors.setdefault("project", []).append(
            _("This project is not open for donations at the moment.")
        )
    if kind == DonationPledge.Kind.MONEY:
        if not _is_whole_positive(amount_won):
            errors.setdefault("amount_won", []).append(
                _("Enter an amount of at least 1 won, in whole won.")
            )
        if goods_description or goods_quantity is not None:
            errors.setdefault("goods_description", []).append(
                _("A money pledge has no goods; leave the goods and quantity empty.")
            )
    elif kind == DonationPledge.Kind.GOODS:
        if not goods_description:
            errors.setdefault("goods_description", []).append(_("Describe the goods you pledge."))
        if not _is_whole_positive(goods_quantity):
            errors.setdefault("goods_quantity", []).append(_("Enter a quantity of at least 1."))
        if amount_won is not None:
            errors.setdefault("amount_won", []).append(
                _("A goods pledge has no amount; leave the amount empty.")
            )
    else:
        errors.setdefault("kind", []).append(_("Choose money or goods."))
    if errors:
        raise ValidationError(errors)
    pledge = DonationPledge(
        donor=donor,
        project=project,
        kind=kind,
        amount_won=amount_won if kind == DonationPledge.Kind.MONEY else None,
        goods_description=goods_description,
        goods_quantity=goods_quantity if kind == DonationPledge.Kind.GOODS else None,
        anonymous=anonymous,
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            pledge.save()
    except IntegrityError:
        # A concurrent send of the same form won the race: return its pledge.
        winner = (
            _pledge_of_submission(donor=donor, submission_key=submission_key)
            if submission_key is not None
            else None
        )
        if winner is None:
            raise
        return winner
    return pledge


def _pledge_of_submission(*, donor: User, submission_key: uuid.UUID) -> DonationPledge | None:
    existing = DonationPledge.objects.filter(submission_key=submission_key).first()
    if existing is not None and existing.donor_id != donor.pk:
        raise ValidationError(
            _("This form was already used. Please start again."), code="used_form"
        )
    return existing


def _lock_pledge(pledge: DonationPledge) -> DonationPledge:
    """Re-read the pledge under a row lock; callers then decide on its current state."""
    return (
        DonationPledge.objects.select_for_update(of=("self",))
        .select_related("donor", "project__district", "project__organisation")
        .get(pk=pledge.pk)
    )


@transaction.atomic
def pledge_mark_received(
    *,
    pledge: DonationPledge,
    received_at: datetime | None = None,
    by: User | None = None,
) -> DonationPledge:
    """Record that a pledged donation arrived; a money pledge gets its receipt in the same
    transaction, so there is never a received money pledge without a receipt.

    Returns the updated pledge (the one passed in is not changed)."""
    locked = _lock_pledge(pledge)
    if locked.status != DonationPledge.Status.PLEDGED:
        raise ValidationError(
            {
                "status": _(
                    "Only a pledged donation can be marked received; this one is %(status)s."
                )
                % {"status": locked.get_status_display()}
            }
        )
    now = timezone.now()
    if received_at is not None and received_at > now:
        raise ValidationError({"received_at": _("The date received cannot be in the future.")})
    locked.status = DonationPledge.Status.RECEIVED
    locked.received_at = received_at or now
    locked.save(update_fields=["status", "received_at", "updated_at"])
    # The pledge has no column for it; the log keeps who marked it.
    logger.info("donation pledge %s marked received by user %s", locked.pk, by.pk if by else None)
    if locked.kind == DonationPledge.Kind.MONEY:
        receipt_issue(pledge=locked)
    return locked


@transaction.atomic
def pledge_cancel(*, pledge: DonationPledge) -> DonationPledge:
    """Cancel a pledge that has not been received. Returns the updated pledge."""
    locked = _lock_pledge(pledge)
    if locked.status != DonationPledge.Status.PLEDGED:
        raise ValidationError(
            {
                "status": _("Only a pledged donation can be cancelled; this one is %(status)s.")
                % {"status": locked.get_status_display()}
            }
        )
    locked.status = DonationPledge.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked


def _next_serial(*, district_id: int, year: int) -> int:
    """Take the next serial of a district and year. The sequence row stays locked until the
    caller's transaction ends, so concurrent issuers queue and the serials neither repeat nor
    skip. The first issuer of a year creates the row; ``get_or_create`` inserts in a savepoint
    and, when a concurrent first issuer won the insert (IntegrityError), reads (and locks) the
    winner's row instead."""
    sequence, _created = ReceiptSequence.objects.select_for_update().get_or_create(
        district_id=district_id, year=year, defaults={"last_serial": 0}
    )
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    return sequence.last_serial


@transaction.atomic
def receipt_issue(*, pledge: DonationPledge) -> DonationReceipt:
    """Issue the tax receipt of a received money pledge, once.

    The number is ``{DISTRICT CODE}-{year}-{serial:06d}``, consecutive per district and
    year (Seoul's calendar). The receipt copies the donor's real name even for an anonymous
    pledge: it is a tax document; anonymity only hides the name in public."""
    locked = _lock_pledge(pledge)
    if locked.kind != DonationPledge.Kind.MONEY:
        raise ValidationError({"kind": _("Only a donation of money gets a receipt.")})
    if locked.status != DonationPledge.Status.RECEIVED:
        raise ValidationError(
            {"status": _("A receipt is issued only once the donation has been received.")}
        )
    # Checked under the pledge's lock; the one-to-one column is the last line of defence.
    existing = DonationReceipt.objects.filter(pledge_id=locked.pk).first()
    if existing is not None:
        raise ValidationError(
            _("A receipt was already issued for this donation: %(number)s.")
            % {"number": existing.number}
        )
    assert locked.amount_won is not None  # the pledge's check constraint guarantees it
    project = locked.project
    district = project.district
    issued_on = _seoul_today()
    serial = _next_serial(district_id=district.pk, year=issued_on.year)
    donor = locked.donor
    return DonationReceipt.objects.create(
        pledge=locked,
        district=district,
        year=issued_on.year,
        serial=serial,
        number=f"{district.code.upper()}-{issued_on.year}-{serial:06d}",
        issued_on=issued_on,
        amount_won=locked.amount_won,
        donor_name=(donor.get_full_name() or donor.get_username())[:150],
        organisation=project.organisation,
        organisation_name=project.organisation.name,
    )
