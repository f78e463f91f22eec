from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare_net.db import TimeStampedModel


class TalentOffer(TimeStampedModel):
    """A skill a resident offers to neighbours; staff can attach it to a talent-area project."""

    class Category(models.TextChoices):
        REPAIRS = "repairs", _("Repairs")
        HAIRCUT = "haircut", _("Haircuts and beauty")
        TUTORING = "tutoring", _("Tutoring")
        TRANSLATION = "translation", _("Translation and interpreting")
        LEGAL = "legal", _("Legal advice")
        TAX = "tax", _("Tax advice")
        HEALTH = "health", _("Health and care")
        DIGITAL = "digital", _("Digital skills")
        COOKING = "cooking", _("Cooking and side dishes")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACTIVE = "active", _("Active in a project")
        PAUSED = "paused", _("Paused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="talent_offers",
        verbose_name=_("resident"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"))
    neighbourhoods = models.ManyToManyField(
        "projects.Neighbourhood",
        blank=True,
        related_name="talent_offers",
        verbose_name=_("neighbourhoods"),
    )
    availability = models.CharField(
        _("availability"), max_length=200, blank=True, help_text=_("For example: weekday mornings")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OFFERED, db_index=True
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talent_offers",
        verbose_name=_("project"),
    )
    # The one-time key of the web form that made the offer: a form sent twice makes one.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("talent offer")
        verbose_name_plural = _("talent offers")

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.resident}"
