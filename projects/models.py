from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare_net.db import TimeStampedModel


class District(TimeStampedModel):
    """A local government running the platform (an autonomous district, gu)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Neighbourhood(TimeStampedModel):
    """An administrative neighbourhood (dong) of a district. Loaded as data, never hard-coded."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    code = models.SlugField(_("code"), max_length=40)

    class Meta:
        ordering = ["district", "name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"], name="neighbourhood_code_per_district"
            ),
            models.UniqueConstraint(
                fields=["district", "name"], name="neighbourhood_name_per_district"
            ),
        ]

    def __str__(self) -> str:
        return self.name
