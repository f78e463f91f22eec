"""Writes about surveys: a resident's response, the follow-up offered after delivered
support, and the district's standard follow-up survey."""

import datetime
import uuid
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from projects.models import Area, District
from residents.models import ResidentProfile, User
from welfare_net.retention import in_batches

from . import selectors
from .models import SCORE_MAX, SCORE_MIN, Answer, Dimension, FollowUpInvitation, Question, Survey
from .models import Response as SurveyResponse

TEXT_MAX = 2000

AnswerValue = int | str | None


def question_field(question: Question | int) -> str:
    """The name a question's answer goes by, in forms and in the errors of the services."""
    pk = question if isinstance(question, int) else question.pk
    return f"question_{pk}"


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    respondent: User | None,
    answers: Mapping[int, AnswerValue],
    submission_key: uuid.UUID | None = None,
    subject_key: uuid.UUID | None = None,
    now: datetime.datetime | None = None,
) -> SurveyResponse:
    """Record a respondent's answers, or change them while the survey is open.

    ``answers`` maps question ids to a score from 1 to 5 (scale questions, all required) or a
    text (free-text questions, optional). A resident has one response per survey (for a
    follow-up: per connection, ``subject_key``); answering again replaces its answers while
    the survey is open. ``respondent=None`` answers anonymously, only where the survey allows
    it. The same ``submission_key`` twice (a double tap, a resent form) returns the response
    already made with it. Raises ``ValidationError`` (errors keyed by ``question_field``)."""
    now = now or timezone.now()
    if respondent is not None and not respondent.is_authenticated:
        respondent = None
    if submission_key is not None:
        already = _response_of_submission(respondent=respondent, submission_key=submission_key)
        if already is not None:
            return already
    if not selectors.survey_is_open(survey, timezone.localdate(now)):
        raise ValidationError(_("This survey is not open for answers."), code="closed")
    invitation = _check_who_answers(survey=survey, respondent=respondent, subject_key=subject_key)
    questions = list(survey.questions.all())
    cleaned = _clean_answers(questions=questions, answers=answers)

    existing = None
    if respondent is not None:
        existing = (
            SurveyResponse.objects.select_for_update()
            .filter(survey=survey, respondent=respondent, subject_key=subject_key)
            .first()
        )
    if existing is None:
        response = SurveyResponse(
            survey=survey,
            respondent=respondent,
            submitted_at=now,
            neighbourhood_id=_neighbourhood_id_of(respondent),
            area=invitation.area if invitation else "",
            subject_key=subject_key,
            submission_key=submission_key,
        )
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError:
            # A concurrent first answer of the same resident (or the same form) won the race.
            existing = _race_winner(
                survey=survey,
                respondent=respondent,
                subject_key=subject_key,
                submission_key=submission_key,
            )
            if existing is None:
                raise
            if existing.submission_key == submission_key and submission_key is not None:
                return existing
    if existing is not None:
        response = existing
        response.submission_key = submission_key
        response.save(update_fields=["submission_key", "updated_at"])
        response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(response=response, question_id=pk, score=score, text=text)
        for pk, (score, text) in cleaned.items()
    )
    if invitation is not None and invitation.answered_at is None:
        FollowUpInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
            answered_at=now, updated_at=now
        )
    return response


def _response_of_submission(
    *, respondent: User | None, submission_key: uuid.UUID
) -> SurveyResponse | None:
    existing = SurveyResponse.objects.filter(submission_key=submission_key).first()
    respondent_id = respondent.pk if respondent is not None else None
    if existing is not None and existing.respondent_id != respondent_id:
        raise ValidationError(
            _("This form was already used. Please start again."), code="used_form"
        )
    return existing


def _race_winner(
    *,
    survey: Survey,
    respondent: User | None,
    subject_key: uuid.UUID | None,
    submission_key: uuid.UUID | None,
) -> SurveyResponse | None:
    if submission_key is not None:
        same_form = _response_of_submission(respondent=respondent, submission_key=submission_key)
        if same_form is not None:
            return same_form
    if respondent is None:
        return None
    return (
        SurveyResponse.objects.select_for_update()
        .filter(survey=survey, respondent=respondent, subject_key=subject_key)
        .first()
    )


def _check_who_answers(
    *, survey: Survey, respondent: User | None, subject_key: uuid.UUID | None
) -> FollowUpInvitation | None:
    """Refuse whoever may not answer; for a follow-up return the resident's invitation."""
    if survey.kind == Survey.Kind.FOLLOW_UP:
        invitation = None
        if respondent is not None and subject_key is not None:
            invitation = FollowUpInvitation.objects.filter(
                survey=survey, resident=respondent, subject_key=subject_key
            ).first()
        if invitation is None:
            raise ValidationError(
                _("This short survey is only for the resident who was offered it."),
                code="not_invited",
            )
        return invitation
    if subject_key is not None:
        raise ValidationError(_("This survey is not about one connection."), code="invalid")
    district_id = selectors.district_id_of(respondent) if respondent is not None else None
    if selectors.may_answer(survey=survey, user=respondent, district_id=district_id):
        return None
    if respondent is None:
        raise ValidationError(_("Please log in to answer this survey."), code="login_required")
    raise ValidationError(
        _("This survey is for the residents of %(district)s.") % {"district": survey.district.name},
        code="not_in_audience",
    )


def _clean_answers(
    *, questions: list[Question], answers: Mapping[int, AnswerValue]
) -> dict[int, tuple[int | None, str]]:
    """question id -> (score, text), checked against the survey's questions."""
    errors: dict[str, list[StrOrPromise]] = {}
    known = {question.pk for question in questions}
    if set(answers) - known:
        raise ValidationError(
            _("Some answers do not belong to this survey. Please start again."),
            code="does_not_exist",
        )
    cleaned: dict[int, tuple[int | None, str]] = {}
    for question in questions:
        value = answers.get(question.pk)
        if question.kind == Question.Kind.SCALE:
            # bool is an int in Python: True is not a score.
            is_score = isinstance(value, int) and not isinstance(value, bool)
            if is_score and SCORE_MIN <= value <= SCORE_MAX:  # type: ignore[operator]
                cleaned[question.pk] = (value, "")  # type: ignore[assignment]
            else:
                errors[question_field(question)] = [_("Choose an answer from 1 to 5.")]
            continue
        text = value.strip() if isinstance(value, str) else ""
        if len(text) > TEXT_MAX:
            errors[question_field(question)] = [
                _("Please keep your answer under %(max)d characters.") % {"max": TEXT_MAX}
            ]
        elif text:
            cleaned[question.pk] = (None, text)
    if errors:
        # Which questions a survey has is data, not the document: the API's 422.
        raise ValidationError(
            {
                field: [ValidationError(message, code="unprocessable") for message in messages]
                for field, messages in errors.items()
            }
        )
    return cleaned


def _neighbourhood_id_of(respondent: User | None) -> int | None:
    if respondent is None:
        return None
    return (
        ResidentProfile.objects.filter(user_id=respondent.pk)
        .values_list("neighbourhood_id", flat=True)
        .first()
    )


# --- follow-ups --------------------------------------------------------------------------


def followup_invite(
    *,
    resident: User,
    district: District,
    subject_key: uuid.UUID,
    area: str,
    delivered_on: datetime.date,
) -> FollowUpInvitation | None:
    """Offer the resident the district's follow-up survey about one delivered connection
    (``subject_key``: the application's public id; ``area``: the area of the support).

    Uses the district's published follow-up survey open today; where there is none, offers
    nothing and returns None. Once per connection: a second call returns the first
    invitation, whatever survey is open by then."""
    if area and area not in Area.values:
        raise ValidationError({"area": _("Unknown area.")})
    existing = FollowUpInvitation.objects.filter(resident=resident, subject_key=subject_key)
    invitation = existing.first()
    if invitation is not None:
        return invitation
    survey = (
        selectors.surveys_open_on(timezone.localdate())
        .filter(district=district, kind=Survey.Kind.FOLLOW_UP)
        .order_by("-starts_on", "-pk")
        .first()
    )
    if survey is None:
        return None
    # get_or_create: two deliveries of the same task at once make one invitation.
    invitation, _created = FollowUpInvitation.objects.get_or_create(
        resident=resident,
        subject_key=subject_key,
        defaults={"survey": survey, "area": area, "delivered_on": delivered_on},
    )
    return invitation


# The standard follow-up: three scale questions and room for a remark. Stored in the active
# language (Korean for a Korean district) when the survey is made; staff edit it in the admin.
def _standard_follow_up_questions() -> list[tuple[str, str]]:
    return [
        (
            Dimension.BENEFIT,
            _("The help I received made a real difference to my daily life."),
        ),
        (
            Dimension.CONVENIENCE,
            _("Applying and getting the help was easy."),
        ),
        (
            Dimension.TRUST,
            _("I trust that sharing and donations reach the neighbours who need them."),
        ),
        ("", _("Is there anything else you would like to tell us? (optional)")),
    ]


@transaction.atomic
def followup_survey_ensure(*, district: District, starts_on: datetime.date) -> Survey:
    """The district's follow-up survey: the one it has (published or not: staff may have
    paused it on purpose), or a new published standard one from ``starts_on``, open-ended.

    Not a data migration: districts are data loaded after the migrations run, and staff own
    the wording of their surveys. The demo and ``manage.py ensure_followup_survey`` call
    this; ``followup_invite`` never does (no district gets a survey it did not ask for)."""
    District.objects.select_for_update().filter(pk=district.pk).first()
    existing = (
        Survey.objects.filter(district=district, kind=Survey.Kind.FOLLOW_UP)
        .order_by("-is_published", "-starts_on", "-pk")
        .first()
    )
    if existing is not None:
        return existing
    survey = Survey.objects.create(
        district=district,
        title=_("A short question about the help you received"),
        description=_(
            "Three questions about the support you received. It takes a minute. Your answers "
            "help the district improve its support."
        ),
        kind=Survey.Kind.FOLLOW_UP,
        audience=Survey.Audience.RESIDENTS,
        allow_anonymous=False,
        is_published=True,
        starts_on=starts_on,
        ends_on=None,
    )
    Question.objects.bulk_create(
        Question(
            survey=survey,
            order=number,
            text=text,
            kind=Question.Kind.SCALE if dimension else Question.Kind.TEXT,
            dimension=dimension,
        )
        for number, (dimension, text) in enumerate(_standard_follow_up_questions(), start=1)
    )
    return survey


def respondent_forget(*, user: User) -> None:
    """A resident deletes their account: the words they wrote in free-text answers go (they
    may name people) and unanswered follow-ups are withdrawn; the scores stay (the account
    row itself is anonymised, not deleted), so past survey results do not change."""
    Answer.objects.filter(response__respondent=user).exclude(text="").update(text="")
    FollowUpInvitation.objects.filter(resident=user, answered_at__isnull=True).delete()


def answers_free_text_blank_expired(*, now: datetime.datetime) -> int:
    """Blank the free-text answers past their retention (they may name people); the scores,
    and so every survey result, stay. Returns the answers blanked."""

    def blank(ids: list[int]) -> int:
        return Answer.objects.filter(pk__in=ids).update(text="")

    return in_batches(selectors.answers_free_text_past_retention(now=now), blank)
