from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from welfare_net.db import TimeStampedModel

from .applications import SupportApplication


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
