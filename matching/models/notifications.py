from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message sent: a task delivered twice finds its row and sends nothing.

    ``recipient`` is ``user:<id>`` for an account, or ``phone:<number>`` for a neighbour
    without one; ``object_key`` names what the message is about (an event, a referral's
    new status, a day's digest). ``district`` is the district whose case it was, so the
    admin shows each district's staff only their own messages; ``subject`` and ``body`` are
    the words sent, personal data that only that district's staff may read.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message (SMS)")

    class Kind(models.TextChoices):
        APPLICATION_EVENT = "application_event", _("Application update")
        REFERRAL_STATUS = "referral_status", _("Referral update")
        REFERRAL_CONVERTED = "referral_converted", _("Application made for a neighbour")
        COORDINATOR_DIGEST = "coordinator_digest", _("Coordinator's morning digest")

    recipient = models.CharField(_("recipient"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    object_key = models.CharField(_("about"), max_length=100)
    district = models.ForeignKey(
        "projects.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        db_index=False,  # the (district, sent_at) index below serves every lookup by district
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True, default="", db_default="")
    body = models.TextField(_("message"), blank=True, default="", db_default="")
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "recipient"], name="notification_sent_once"
            ),
        ]
        indexes = [models.Index(fields=["district", "-sent_at"], name="notification_district_sent")]

    def __str__(self) -> str:
        # Not the recipient: a neighbour's phone number would show wherever the row is named.
        return f"{self.kind} {self.object_key} ({self.channel})"


class NotificationRequest(models.Model):
    """A message asked for, written in the same transaction as the event it tells of.

    The task that sends it is handed to the broker only after that transaction commits; with
    Redis down at that moment the task is lost, but this row is not. The task marks the row
    done when it has run (whether it sent a message or found none due); the beat's catch-up
    sends the task again for a row still open a few minutes later. The Notification row
    written with each message keeps a second run from sending it twice.

    ``kind`` is the Notification kind, ``args`` the task's arguments (ids and short codes,
    no personal data) and ``key`` those joined by ``:``, unique per kind.
    """

    kind = models.CharField(_("kind"), max_length=30, choices=Notification.Kind.choices)
    key = models.CharField(_("about"), max_length=100)
    args = models.JSONField(_("task arguments"), default=list)
    requested_at = models.DateTimeField(_("asked for at"))
    done_at = models.DateTimeField(_("task run at"), null=True, blank=True)
    catch_ups = models.PositiveSmallIntegerField(_("catch-ups"), default=0)
    caught_up_at = models.DateTimeField(_("last caught up at"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("message owed")
        verbose_name_plural = _("messages owed")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="notification_request_once"),
        ]
        indexes = [
            # The catch-up's search: the open ones, by when they were asked for.
            models.Index(
                fields=["requested_at"],
                condition=models.Q(done_at__isnull=True),
                name="notification_request_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
