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


class MatchRun(models.Model):
    """One matching pass over a district's pending applications, with its counts and timings.

    A run is written in the same transaction as its proposals: a run that dies leaves no row.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    district = models.ForeignKey(
        "projects.District",
        on_delete=models.PROTECT,
        related_name="match_runs",
        verbose_name=_("district"),
    )
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    considered = models.PositiveIntegerField(_("applications considered"), default=0)
    proposed = models.PositiveIntegerField(_("proposals made"), default=0)
    unmatched_no_eligible = models.PositiveIntegerField(
        _("unmatched: no eligible project"), default=0
    )
    unmatched_no_place = models.PositiveIntegerField(_("unmatched: no free place"), default=0)
    solver_seconds = models.FloatField(_("solver seconds"), default=0)
    total_seconds = models.FloatField(_("total seconds"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempt"), default=1)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        indexes = [
            models.Index(fields=["district", "-started_at"], name="matchrun_district_started"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.district_id} {self.status}"


class MatchProposal(TimeStampedModel):
    """A pair the engine proposes (application -> project), for a coordinator to decide.

    At most one live (proposed or accepted) proposal per application, enforced by the
    database. ``reasons`` holds the rules met and the score's parts (matching/eligibility.py).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    LIVE_STATUSES = (Status.PROPOSED, Status.ACCEPTED)

    run = models.ForeignKey(
        MatchRun, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("match run")
    )
    application = models.ForeignKey(
        SupportApplication,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("application"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("project"),
        db_index=False,  # the (project, status) index below serves every lookup by project
    )
    score = models.PositiveIntegerField(_("score"))
    reasons = models.JSONField(_("reasons"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=["proposed", "accepted"]),
                name="proposal_one_live_per_application",
                violation_error_message=_("This application already has a live proposal."),
            ),
        ]
        indexes = [
            # The coordinator queue: proposals waiting for a decision, oldest first.
            models.Index(fields=["status", "created_at"], name="proposal_queue"),
            # Free places: live proposals per project.
            models.Index(fields=["project", "status"], name="proposal_project_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.application_id} -> {self.project_id} ({self.status})"


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
