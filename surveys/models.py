"""Satisfaction surveys: questions in five dimensions, the residents' responses and answers,
and the short follow-up offered after a delivered connection.

A response copies what the breakdowns need (the respondent's neighbourhood, the area of the
delivered connection) at submission, so the figures never join personal data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from projects.models import Area
from welfare_net.db import TimeStampedModel

SCORE_MIN = 1
SCORE_MAX = 5


class Dimension(models.TextChoices):
    """The five things the district measures (domain.md). Fixed: the figures name them."""

    AWARENESS = "awareness", _("Awareness")
    CONVENIENCE = "convenience", _("Convenience of use")
    BENEFIT = "benefit", _("Perceived actual benefit")
    TRUST = "trust", _("Trust in sharing and donations")
    CONTRIBUTION = "contribution", _("Contribution to welfare development")


class Survey(TimeStampedModel):
    """A survey staff define for their district: the yearly satisfaction survey, or the short
    follow-up offered to a resident after support was delivered."""

    class Kind(models.TextChoices):
        YEARLY = "yearly", _("Yearly satisfaction survey")
        FOLLOW_UP = "follow_up", _("Follow-up after delivered support")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        RESIDENTS = "residents", _("Residents of the district (logged in)")

    district = models.ForeignKey(
        "projects.District",
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("district"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.YEARLY)
    audience = models.CharField(
        _("who may answer"), max_length=20, choices=Audience.choices, default=Audience.RESIDENTS
    )
    allow_anonymous = models.BooleanField(
        _("anonymous answers allowed"),
        default=False,
        help_text=_(
            "Visitors who are not logged in may answer. Only for surveys open to everyone."
        ),
    )
    is_published = models.BooleanField(_("published"), default=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(
        _("ends on"), null=True, blank=True, help_text=_("Empty: open until it is unpublished.")
    )

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="survey_ends_after_start",
                violation_error_message=_("The survey cannot end before it starts."),
            ),
            # A follow-up is tied to one resident's connection: it cannot be anonymous, and
            # an anonymous answer needs a survey open to everyone.
            models.CheckConstraint(
                condition=Q(allow_anonymous=False) | Q(kind="yearly", audience="everyone"),
                name="survey_anonymous_only_yearly_for_everyone",
                violation_error_message=_(
                    "Anonymous answers are possible only in a yearly survey open to everyone."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["district", "kind", "is_published"], name="survey_district_kind"),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question: a 1-5 scale in one of the five dimensions, or free text (no dimension)."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale from 1 to 5")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    dimension = models.CharField(
        _("dimension"),
        max_length=20,
        choices=Dimension.choices,
        blank=True,
        help_text=_("For a scale question: what it measures. Empty for a free-text question."),
    )

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="scale") & ~Q(dimension="")) | (Q(kind="text") & Q(dimension="")),
                name="question_scale_has_dimension_text_has_none",
                violation_error_message=_(
                    "A scale question needs a dimension; a free-text question has none."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """One respondent's answers to a survey: one per resident (per connection for a
    follow-up), editable while the survey is open. Anonymous (no respondent) only where the
    survey allows it."""

    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="responses", verbose_name=_("survey")
    )
    # SET_NULL: a deleted account leaves its answers in the figures, without a name.
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("respondent"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Copied from the respondent's profile at submission: breakdowns by neighbourhood read
    # this row, never the profile.
    neighbourhood = models.ForeignKey(
        "projects.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("neighbourhood"),
    )
    # Follow-up only: the area of the delivered connection, and which connection (the
    # application's public id; surveys know no matching model).
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, blank=True)
    subject_key = models.UUIDField(_("connection"), null=True, blank=True, editable=False)
    # The form's one-time key: a double tap or a resent form makes one response.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False, subject_key__isnull=True),
                name="response_one_per_resident",
            ),
            models.UniqueConstraint(
                fields=["survey", "respondent", "subject_key"],
                condition=Q(respondent__isnull=False, subject_key__isnull=False),
                name="response_one_per_resident_and_connection",
            ),
        ]
        indexes = [
            # The period filter of survey_results, and its district / neighbourhood / area
            # filters, start from here.
            models.Index(fields=["submitted_at"], name="response_submitted"),
            models.Index(fields=["survey", "submitted_at"], name="response_survey_submitted"),
            models.Index(fields=["neighbourhood", "submitted_at"], name="response_nbhd_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    """The answer to one question: a score for a scale question, text for a free one."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["response", "question"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_one_per_question"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | (Q(score__gte=SCORE_MIN) & Q(score__lte=SCORE_MAX)),
                name="answer_score_1_to_5",
                violation_error_message=_("A score is from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score if self.score is not None else self.text[:30]}"


class FollowUpInvitation(TimeStampedModel):
    """A short follow-up offered to a resident after support was delivered to them: shown on
    their pages until they answer. One per delivered connection."""

    survey = models.ForeignKey(
        Survey,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("survey"),
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name=_("resident"),
    )
    subject_key = models.UUIDField(_("connection"), editable=False)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, blank=True)
    delivered_on = models.DateField(_("support delivered on"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        verbose_name = _("follow-up invitation")
        verbose_name_plural = _("follow-up invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "subject_key"], name="invitation_one_per_connection"
            ),
        ]
        indexes = [
            models.Index(
                fields=["resident", "delivered_on"],
                name="invitation_pending",
                condition=Q(answered_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.resident}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
