import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare_net.db import TimeStampedModel


class Urgency(models.IntegerChoices):
    LOW = 1, _("Can wait")
    NORMAL = 2, _("Within a few weeks")
    HIGH = 3, _("Within days")
    URGENT = 4, _("Urgent: now")


class SupportApplication(TimeStampedModel):
    """A request for support, by a resident or by a coordinator on a neighbour's behalf.

    The applicant's eligibility facts (neighbourhood, birth year, household type, target
    groups) and contact are copied here at submission, so matching reads one row and the
    personal fields can be anonymised on their own when their retention period ends.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for matching")
        PROPOSED = "proposed", _("Matched, in review")
        ON_HOLD = "on_hold", _("On hold")
        ACCEPTED = "accepted", _("Connection in progress")
        DELIVERED = "delivered", _("Support delivered")
        CLOSED = "closed", _("Closed without support")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class UnmatchedReason(models.TextChoices):
        NONE = "", _("None")
        NO_ELIGIBLE_PROJECT = "no_eligible_project", _("No eligible project")
        NO_FREE_PLACE = "no_free_place", _("No free place")

    class Outcome(models.TextChoices):
        """How a connection ended, recorded by the coordinator (only ``delivered`` counts)."""

        DELIVERED = "delivered", _("Support delivered")
        DECLINED = "declined", _("Declined by the resident")
        UNREACHABLE = "unreachable", _("Could not be reached")
        INELIGIBLE = "ineligible", _("Ineligible on review")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_applications",
        verbose_name=_("applicant"),
    )
    district = models.ForeignKey(
        "projects.District",
        on_delete=models.PROTECT,
        related_name="support_applications",
        verbose_name=_("district"),
    )
    neighbourhood = models.ForeignKey(
        "projects.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="support_applications",
        verbose_name=_("neighbourhood"),
    )
    areas = models.JSONField(_("areas of need"), default=list)
    support_type = models.CharField(_("support type wanted"), max_length=20, blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("what is needed"))
    preferred_project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preferred_by",
        verbose_name=_("preferred project"),
    )
    # Personal data copied at submission (anonymised when its retention period ends).
    applicant_name = models.CharField(_("name"), max_length=150)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    household_type = models.CharField(_("household type"), max_length=20, blank=True)
    target_groups = models.ManyToManyField(
        "projects.TargetGroup",
        blank=True,
        related_name="support_applications",
        verbose_name=_("target groups"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    unmatched_reason = models.CharField(
        _("why not matched"), max_length=30, choices=UnmatchedReason.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    # The form's one-time key: a double click or a resent form creates one application.
    submission_key = models.UUIDField(_("submission key"), editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
        help_text=_("A coordinator who applied on the applicant's behalf."),
    )
    # The connection's outcome and the day it happened: the figures count delivered
    # connections by this date, not by when the coordinator got round to recording it.
    # db_default as well: rows written by raw INSERTs get it too.
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True, default="", db_default=""
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    # A neighbour referred and reached by a coordinator has no account, so no Consent row:
    # their personal-information consent (the text version shown, when) is kept here.
    consent_text_version = models.CharField(
        _("consent text version shown"), max_length=30, blank=True, default="", db_default=""
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("support application")
        verbose_name_plural = _("support applications")
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"], name="application_submission_key_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["district", "status"], name="application_district_status"),
            models.Index(fields=["neighbourhood", "status"], name="application_nbhd_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.applicant_name}"

    @property
    def is_open(self) -> bool:
        return self.status in {
            self.Status.PENDING,
            self.Status.PROPOSED,
            self.Status.ON_HOLD,
            self.Status.ACCEPTED,
        }


class ApplicationEvent(models.Model):
    """One state change of an application: the resident's timeline and the figures read these."""

    application = models.ForeignKey(
        SupportApplication,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("application"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=SupportApplication.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=SupportApplication.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    # db_default as well: the match run writes its events with one raw INSERT.
    outcome = models.CharField(
        _("outcome"),
        max_length=20,
        choices=SupportApplication.Outcome.choices,
        blank=True,
        default="",
        db_default="",
    )
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        indexes = [
            models.Index(fields=["to_status", "created_at"], name="event_status_time"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '-'} -> {self.to_status}"
