from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from welfare_net.db import TimeStampedModel


class DonationPledge(TimeStampedModel):
    """A resident's pledge of money (in won) or goods to a sharing project."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        GOODS = "goods", _("Goods")

    class Status(models.TextChoices):
        PLEDGED = "pledged", _("Pledged")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="donation_pledges",
        verbose_name=_("donor"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="donation_pledges",
        verbose_name=_("project"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_won = models.PositiveBigIntegerField(_("amount (won)"), null=True, blank=True)
    goods_description = models.CharField(_("goods"), max_length=200, blank=True)
    goods_quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLEDGED, db_index=True
    )
    anonymous = models.BooleanField(
        _("anonymous"), default=False, help_text=_("Do not show the donor's name in public.")
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # The one-time key of the web form that made the pledge: a form sent twice makes one.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("donation pledge")
        verbose_name_plural = _("donation pledges")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="money", amount_won__gt=0, goods_quantity__isnull=True)
                    | Q(kind="goods", amount_won__isnull=True, goods_quantity__gt=0)
                    & ~Q(goods_description="")
                ),
                name="pledge_money_has_amount_goods_have_description",
                violation_error_message=_(
                    "A money pledge needs an amount; a goods pledge a description and a quantity."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="received", received_at__isnull=False) | ~Q(status="received"),
                name="pledge_received_has_date",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.MONEY:
            return f"{self.project} · {self.amount_won:,}원"
        return f"{self.project} · {self.goods_description} ({self.goods_quantity})"


class ReceiptSequence(models.Model):
    """The last receipt serial issued per district and year; locked while a receipt is issued,
    so numbers run without gaps or repeats."""

    district = models.ForeignKey(
        "projects.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_serial = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("receipt sequence")
        verbose_name_plural = _("receipt sequences")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="receipt_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year}: {self.last_serial}"


class DonationReceipt(TimeStampedModel):
    """A receipt for a money donation the donor can use for tax purposes."""

    pledge = models.OneToOneField(
        DonationPledge,
        on_delete=models.PROTECT,
        related_name="receipt",
        verbose_name=_("pledge"),
    )
    district = models.ForeignKey(
        "projects.District",
        on_delete=models.PROTECT,
        related_name="donation_receipts",
        verbose_name=_("district"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("receipt number"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    amount_won = models.PositiveBigIntegerField(_("amount (won)"))
    # Copies, not references: a receipt must read the same after a rename.
    donor_name = models.CharField(_("donor name"), max_length=150)
    organisation_name = models.CharField(_("recipient organisation"), max_length=200)
    organisation = models.ForeignKey(
        "projects.Organisation",
        on_delete=models.PROTECT,
        related_name="donation_receipts",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["-issued_on", "-serial"]
        verbose_name = _("donation receipt")
        verbose_name_plural = _("donation receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "serial"], name="receipt_serial_per_district_year"
            ),
            models.CheckConstraint(condition=Q(amount_won__gt=0), name="receipt_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.number
