"""Reads about surveys: the per-dimension results, and what a resident may answer now."""

import dataclasses
import datetime
import decimal
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from residents.models import ResidentProfile, User
from welfare_net.retention import retention_cutoff

from .models import Answer, Dimension, FollowUpInvitation, Question, Response, Survey

DIMENSIONS: tuple[str, ...] = ("awareness", "convenience", "benefit", "trust", "contribution")
# The labels the impact page and the admin show for each dimension code.
# (awareness: "Awareness", convenience: "Convenience of use", benefit: "Perceived actual
# benefit", trust: "Trust in sharing and donations", contribution: "Contribution to welfare
# development"; the words live once, in models.Dimension.)
DIMENSION_LABELS: dict[str, Promise] = {d.value: d.label for d in Dimension}
# The one definition of a survey result, for the impact page's footnote.
SURVEY_RESULT_DEFINITION_TEXT = gettext_noop(
    "A survey result is the share of answers of 4 or 5 on the scale from 1 to 5 among all the "
    "answers given to that dimension's questions in the period, as a percentage with one "
    "decimal."
)
SURVEY_RESULT_DEFINITION = _(SURVEY_RESULT_DEFINITION_TEXT)
POSITIVE_MIN = 4
SEOUL = ZoneInfo("Asia/Seoul")
# A follow-up is offered for this long after the support was delivered.
FOLLOW_UP_OPEN_DAYS = 90

assert tuple(Dimension.values) == DIMENSIONS  # one list of codes, in one order


@dataclasses.dataclass(frozen=True)
class DimensionResult:
    code: str
    answers: int  # scored answers in the period
    positive: int  # of them, scored 4 or 5
    respondents: int  # distinct responses that scored this dimension
    percent: decimal.Decimal | None  # positive/answers*100, one decimal; None when answers == 0


def seoul_day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """From the first moment of ``start`` to the first moment after ``end``, in Seoul."""
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=SEOUL)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, SEOUL)
    return first, after


def _percent(positive: int, answers: int) -> decimal.Decimal | None:
    if answers == 0:
        return None
    value = decimal.Decimal(positive * 100) / decimal.Decimal(answers)
    return value.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)


def survey_results(
    *,
    start: datetime.date,
    end: datetime.date,
    district_id: int | None = None,
    neighbourhood_id: int | None = None,
    area: str | None = None,
) -> dict[str, DimensionResult]:
    """The survey result of each of the five dimensions for a period.

    The result of a dimension is the share of answers of 4 or 5 (on the 1-5 scale) among all
    the scored answers to its questions, in percent, rounded half up to one decimal; ``None``
    when there is no answer (never a division by zero). The period holds the responses
    submitted from ``start`` to ``end`` inclusive, by the calendar day in Seoul. Every
    response counts, yearly and follow-up alike; ``area`` keeps only follow-ups (only they
    carry the area of a delivered connection), ``neighbourhood_id`` only the responses of
    residents who lived there when they answered (anonymous ones have no neighbourhood).

    Always returns the five codes of ``DIMENSIONS``, in that order. One query.
    """
    first, after = seoul_day_bounds(start, end)
    filters = Q(response__submitted_at__gte=first, response__submitted_at__lt=after)
    if district_id is not None:
        filters &= Q(response__survey__district_id=district_id)
    if neighbourhood_id is not None:
        filters &= Q(response__neighbourhood_id=neighbourhood_id)
    if area is not None:
        filters &= Q(response__area=area)
    return _dimension_results(filters)


def survey_results_of(*, survey_id: int) -> dict[str, DimensionResult]:
    """The results of one survey over all its responses (the staff's view), defined as in
    ``survey_results``. One query."""
    return _dimension_results(Q(response__survey_id=survey_id))


def _dimension_results(filters: Q) -> dict[str, DimensionResult]:
    rows = (
        Answer.objects.filter(filters, score__isnull=False)
        .exclude(question__dimension="")
        .values("question__dimension")
        .annotate(
            answers=Count("pk"),
            positive=Count("pk", filter=Q(score__gte=POSITIVE_MIN)),
            respondents=Count("response_id", distinct=True),
        )
        .order_by()
    )
    counted = {row["question__dimension"]: row for row in rows}
    results = {}
    for code in DIMENSIONS:
        row = counted.get(code, {"answers": 0, "positive": 0, "respondents": 0})
        results[code] = DimensionResult(
            code=code,
            answers=row["answers"],
            positive=row["positive"],
            respondents=row["respondents"],
            percent=_percent(row["positive"], row["answers"]),
        )
    return results


# --- what a resident may answer ----------------------------------------------------------


def surveys_open_on(day: datetime.date) -> QuerySet[Survey]:
    """Published surveys whose period covers ``day``."""
    return Survey.objects.filter(is_published=True, starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def survey_is_open(survey: Survey, day: datetime.date) -> bool:
    return (
        survey.is_published
        and survey.starts_on <= day
        and (survey.ends_on is None or survey.ends_on >= day)
    )


def district_id_of(user: User) -> int | None:
    """The district a resident lives in (by their profile), or None."""
    if not user.is_authenticated:
        return None
    return (
        ResidentProfile.objects.filter(user_id=user.pk)
        .values_list("neighbourhood__district_id", flat=True)
        .first()
    )


def may_answer(*, survey: Survey, user: User | None, district_id: int | None) -> bool:
    """Whether a user (None: a visitor not logged in) may answer a yearly survey: anyone for
    a survey open to everyone (visitors only where anonymous answers are allowed), residents
    of the survey's district for the others. ``district_id`` is where the user lives."""
    if survey.kind != Survey.Kind.YEARLY:
        return False
    if user is None or not user.is_authenticated:
        return survey.audience == Survey.Audience.EVERYONE and survey.allow_anonymous
    if survey.audience == Survey.Audience.EVERYONE:
        return True
    return district_id == survey.district_id


@dataclasses.dataclass(frozen=True)
class OpenSurvey:
    survey: Survey
    answered: bool


@dataclasses.dataclass(frozen=True)
class SurveysFor:
    """What the surveys page shows a resident."""

    open_surveys: list[OpenSurvey]
    follow_ups: list[FollowUpInvitation]

    @property
    def waiting(self) -> int:
        """How many are still to be answered."""
        return sum(not item.answered for item in self.open_surveys) + len(self.follow_ups)


def _open_yearly_for(
    *, user: User, district_id: int | None, today: datetime.date
) -> QuerySet[Survey]:
    mine = Response.objects.filter(
        survey_id=OuterRef("pk"), respondent_id=user.pk, subject_key__isnull=True
    )
    audience = Q(audience=Survey.Audience.EVERYONE)
    if district_id is not None:
        audience |= Q(district_id=district_id)
    return (
        surveys_open_on(today)
        .filter(audience, kind=Survey.Kind.YEARLY)
        .annotate(answered=Exists(mine))
    )


def surveys_waiting_count(*, user: User, district_id: int | None, today: datetime.date) -> int:
    """How many surveys wait for the resident's answers (open yearly ones not answered, and
    follow-ups), for My page. ``district_id``: where they live. One query."""
    surveys = (
        _open_yearly_for(user=user, district_id=district_id, today=today)
        .filter(answered=False)  # type: ignore[misc]
        .values("pk")
        .order_by()
    )
    follow_ups = pending_follow_ups(user=user, today=today).values("pk").order_by()
    return surveys.union(follow_ups, all=True).count()


def surveys_open_for(*, user: User, today: datetime.date) -> QuerySet[Survey]:
    """The yearly surveys open today that the user may answer, each with ``answered``
    (whether they have), those ending soonest first. One query to find where the user
    lives, then the surveys in one."""
    district_id = district_id_of(user)
    return _open_yearly_for(user=user, district_id=district_id, today=today).order_by(
        "ends_on", "pk"
    )


def surveys_for(*, user: User, today: datetime.date) -> SurveysFor:
    """The yearly surveys open today that the user may answer (with whether they have), and
    their follow-ups not yet answered. Three queries at most, whatever the numbers."""
    surveys = surveys_open_for(user=user, today=today)
    follow_ups = pending_follow_ups(user=user, today=today)
    return SurveysFor(
        open_surveys=[OpenSurvey(survey=s, answered=s.answered) for s in surveys],  # type: ignore[attr-defined]
        follow_ups=list(follow_ups),
    )


def surveys_for_visitors(*, today: datetime.date) -> SurveysFor:
    """For a visitor not logged in: the yearly surveys open today to everyone that take
    anonymous answers. One query."""
    surveys = (
        surveys_open_on(today)
        .filter(kind=Survey.Kind.YEARLY, audience=Survey.Audience.EVERYONE, allow_anonymous=True)
        .order_by("ends_on", "pk")
    )
    return SurveysFor(
        open_surveys=[OpenSurvey(survey=s, answered=False) for s in surveys], follow_ups=[]
    )


def pending_follow_ups(*, user: User, today: datetime.date) -> QuerySet[FollowUpInvitation]:
    """The follow-ups offered to a resident, not yet answered, on a survey open today,
    delivered in the last ``FOLLOW_UP_OPEN_DAYS`` days."""
    open_ids = surveys_open_on(today).filter(kind=Survey.Kind.FOLLOW_UP).values("pk")
    return (
        FollowUpInvitation.objects.filter(
            resident_id=user.pk,
            answered_at__isnull=True,
            survey_id__in=open_ids,
            delivered_on__gte=today - datetime.timedelta(days=FOLLOW_UP_OPEN_DAYS),
        )
        .select_related("survey")
        .order_by("-delivered_on", "-pk")
    )


def follow_up_of(*, user: User, pk: int) -> FollowUpInvitation | None:
    """A resident's own follow-up invitation (None for anyone else's)."""
    return (
        FollowUpInvitation.objects.select_related("survey")
        .filter(pk=pk, resident_id=user.pk)
        .first()
    )


def survey_with_questions(*, pk: int) -> Survey | None:
    """A survey and its questions in order (two queries), or None."""
    return (
        Survey.objects.filter(pk=pk)
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "pk")))
        .first()
    )


def response_of(
    *, survey: Survey, respondent: User, subject_key: uuid.UUID | None = None
) -> Response | None:
    """The respondent's own response to a survey (for a follow-up: to one connection), with
    its answers; None when they have not answered."""
    if not respondent.is_authenticated:
        return None
    return (
        Response.objects.filter(
            survey=survey,
            respondent_id=respondent.pk,
            subject_key=subject_key,
        )
        .prefetch_related("answers")
        .first()
    )


def responses_of(*, respondent: User) -> QuerySet[Response]:
    """Every response the resident gave (yearly surveys and follow-ups), newest first, with
    its survey and answers (two queries)."""
    return (
        Response.objects.filter(respondent_id=respondent.pk)
        .select_related("survey")
        .prefetch_related("answers")
        .order_by("-submitted_at", "-pk")
    )


def response_dimension_summary(response: Response) -> list[tuple[Promise, decimal.Decimal]]:
    """The mean score of each dimension a response answered, for staff reading it; reads the
    answers already prefetched (``answers__question``) when they are."""
    scores: dict[str, list[int]] = {}
    for answer in response.answers.all():
        if answer.score is not None and answer.question.dimension:
            scores.setdefault(answer.question.dimension, []).append(answer.score)
    return [
        (
            DIMENSION_LABELS[code],
            (decimal.Decimal(sum(scores[code])) / len(scores[code])).quantize(
                decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP
            ),
        )
        for code in DIMENSIONS
        if code in scores
    ]


# --- Personal data ------------------------------------------------------------------------


def answers_free_text_past_retention(*, now: datetime.datetime) -> QuerySet[Answer]:
    """Free-text answers of responses last changed before the retention of survey free text
    began, still holding words: what ``answers_free_text_blank_expired`` blanks."""
    cutoff = retention_cutoff("survey_free_text", now=now)
    return Answer.objects.filter(response__updated_at__lt=cutoff).exclude(text="")


def personal_data_of(*, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """A resident's survey responses (every answer, with its question) and the follow-ups
    offered to them, for their request of access. Three queries."""
    responses = (
        Response.objects.filter(respondent_id=user_id)
        .select_related("survey", "neighbourhood")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question").order_by(
                    "question__order", "question_id"
                ),
            )
        )
        .order_by("submitted_at", "pk")
    )
    invitations = (
        FollowUpInvitation.objects.filter(resident_id=user_id)
        .select_related("survey")
        .order_by("delivered_on", "pk")
    )
    return {
        "survey_responses": [
            {
                "survey": response.survey.title,
                "submitted_at": response.submitted_at,
                "updated_at": response.updated_at,
                "neighbourhood": response.neighbourhood.name if response.neighbourhood else None,
                "area": response.area,
                "answers": [
                    {"question": answer.question.text, "score": answer.score, "text": answer.text}
                    for answer in response.answers.all()
                ],
            }
            for response in responses
        ],
        "follow_up_invitations": [
            {
                "survey": invitation.survey.title,
                "area": invitation.area,
                "delivered_on": invitation.delivered_on,
                "answered_at": invitation.answered_at,
            }
            for invitation in invitations
        ],
    }
