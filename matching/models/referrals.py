import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare_net.db import TimeStampedModel

from .applications import SupportApplication


class Referral(TimeStampedModel):
    """A resident telling the community centre about a neighbour in need.

    Not an application until the neighbour (or a coordinator who reached them) agrees. The
    referrer sees only its status, never more of the neighbour than they entered.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CONTACTED = "contacted", _("Contacted")
        CONNECTED = "connected", _("Connected to support")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals",
        verbose_name=_("referred by"),
    )
    district = models.ForeignKey(
        "projects.District",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("district"),
    )
    neighbourhood = models.ForeignKey(
        "projects.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("neighbourhood"),
    )
    neighbour_name = models.CharField(_("neighbour's name"), max_length=150, blank=True)
    situation = models.TextField(_("situation"))
    how_to_reach = models.CharField(_("how to reach them"), max_length=300)
    neighbour_knows = models.BooleanField(_("the neighbour knows about this referral"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    closed_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    contacted_at = models.DateTimeField(_("contacted at"), null=True, blank=True)
    contact_note = models.TextField(_("contact note"), blank=True, default="", db_default="")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    application = models.OneToOneField(
        SupportApplication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
        verbose_name=_("application"),
    )
    submission_key = models.UUIDField(_("submission key"), unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["neighbourhood", "status"], name="referral_nbhd_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.neighbourhood}"
