"""The database itself keeps the survey rules: one response per resident (per connection
for a follow-up), one answer per question, scores from 1 to 5, a dimension exactly for scale
questions, anonymous answers only where they can be allowed."""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from surveys.models import Answer, Question, Response, Survey
from tests.surveys.factories import (
    QuestionFactory,
    SurveyFactory,
    resident_in,
    survey_with_questions,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def refused(make: Callable[[], Any]) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def new_response(survey: Survey, **fields: Any) -> Response:
    return Response.objects.create(survey=survey, submitted_at=timezone.now(), **fields)


def test_a_resident_has_one_response_per_survey() -> None:
    survey = survey_with_questions()
    resident = resident_in(survey.district)
    new_response(survey, respondent=resident)

    assert refused(lambda: new_response(survey, respondent=resident))
    assert not refused(lambda: new_response(survey_with_questions(), respondent=resident))


def test_anonymous_responses_are_not_limited_to_one() -> None:
    survey = survey_with_questions(audience=Survey.Audience.EVERYONE, allow_anonymous=True)
    new_response(survey)

    assert not refused(lambda: new_response(survey))


def test_a_follow_up_has_one_response_per_resident_and_connection() -> None:
    survey = survey_with_questions(kind=Survey.Kind.FOLLOW_UP)
    resident = resident_in(survey.district)
    key = uuid.uuid4()
    new_response(survey, respondent=resident, subject_key=key)

    assert refused(lambda: new_response(survey, respondent=resident, subject_key=key))
    assert not refused(lambda: new_response(survey, respondent=resident, subject_key=uuid.uuid4()))


def test_a_question_has_one_answer_per_response() -> None:
    survey = survey_with_questions(["trust"], text=False)
    question = survey.questions.get()
    response = new_response(survey)
    Answer.objects.create(response=response, question=question, score=4)

    assert refused(lambda: Answer.objects.create(response=response, question=question, score=5))


@pytest.mark.parametrize(("score", "kept"), [(0, False), (1, True), (5, True), (6, False)])
def test_a_score_is_from_one_to_five(score: int, kept: bool) -> None:
    survey = survey_with_questions(["trust"], text=False)
    response = new_response(survey)

    made = not refused(
        lambda: Answer.objects.create(
            response=response, question=survey.questions.get(), score=score
        )
    )

    assert made is kept


@pytest.mark.parametrize(
    ("kind", "dimension", "kept"),
    [("scale", "trust", True), ("scale", "", False), ("text", "", True), ("text", "trust", False)],
)
def test_a_scale_question_has_a_dimension_and_a_free_text_question_none(
    kind: str, dimension: str, kept: bool
) -> None:
    survey = SurveyFactory.create()

    made = not refused(
        lambda: QuestionFactory.create(survey=survey, kind=kind, dimension=dimension)
    )

    assert made is kept


def test_the_admin_form_names_the_question_rule_in_plain_words() -> None:
    question = Question(survey=SurveyFactory.create(), text="?", kind="scale", dimension="")

    with pytest.raises(ValidationError) as error:
        question.full_clean()

    assert error.value.messages  # the constraint's message, not a database error


@pytest.mark.parametrize(
    ("fields", "kept"),
    [
        ({"audience": "everyone", "allow_anonymous": True}, True),
        ({"audience": "residents", "allow_anonymous": True}, False),
        ({"audience": "everyone", "allow_anonymous": True, "kind": "follow_up"}, False),
        ({"starts_on": dt.date(2025, 2, 1), "ends_on": dt.date(2025, 1, 31)}, False),
        ({"starts_on": dt.date(2025, 2, 1), "ends_on": None}, True),
    ],
)
def test_a_survey_allows_anonymous_answers_only_when_open_to_everyone_and_ends_after_it_starts(
    fields: dict[str, Any], kept: bool
) -> None:
    assert (not refused(lambda: SurveyFactory.create(**fields))) is kept


def test_a_survey_with_responses_cannot_be_deleted() -> None:
    survey = survey_with_questions()
    new_response(survey)

    with pytest.raises(ProtectedError):
        survey.delete()
