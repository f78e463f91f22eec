"""Site visitors counted per day without keeping who they were.

A visitor is known for one day only, by a hash of their address and browser keyed with that
day's random salt (``DailySalt``); once the day is over the hashes and the salt are deleted and
only the day's number (``DailyVisitors``) stays. No address is stored anywhere.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailySalt(models.Model):
    """The day's random secret. Deleted with the day's hashes, after which no hash of that day
    can be tied to an address again, not even by trying every address."""

    day = models.DateField(_("day"), unique=True)
    salt = models.CharField(_("salt"), max_length=64)

    class Meta:
        verbose_name = _("daily salt")
        verbose_name_plural = _("daily salts")

    def __str__(self) -> str:
        return self.day.isoformat()


class VisitorHash(models.Model):
    """One distinct visitor of one day, kept only while that day's unique count is made."""

    day = models.DateField(_("day"))
    # HMAC-SHA256 of the address and user agent, keyed with the day's salt, in hex.
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        verbose_name = _("visitor hash")
        verbose_name_plural = _("visitor hashes")
        constraints = [
            models.UniqueConstraint(fields=["day", "digest"], name="visitorhash_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.digest[:8]}"


class DailyVisitors(models.Model):
    """The number of distinct visitors of a day: what stays once the day's hashes are gone."""

    day = models.DateField(_("day"), unique=True)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily visitors")
        verbose_name_plural = _("daily visitors")

    def __str__(self) -> str:
        return f"{self.day.isoformat()}: {self.visitors}"
