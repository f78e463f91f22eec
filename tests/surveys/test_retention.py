"""Free-text survey answers past their two years are blanked; the scores, and so every survey
result, stay the same."""

import datetime as dt

import pytest
from django.utils import timezone

from surveys.models import Answer, Question, Response
from surveys.selectors import survey_results_of
from surveys.services import answers_free_text_blank_expired
from tests.surveys.factories import add_response, resident_in, survey_with_questions

pytestmark = pytest.mark.django_db

TWO_YEARS = dt.timedelta(days=730)
MINUTE = dt.timedelta(minutes=1)


def response_with_text(*, last_changed: dt.datetime, text: str) -> Response:
    survey = survey_with_questions(["awareness", "trust"])
    response = add_response(
        survey, {"awareness": 5, "trust": 2}, at=last_changed, respondent=resident_in()
    )
    Answer.objects.create(
        response=response, question=survey.questions.get(kind=Question.Kind.TEXT), text=text
    )
    # updated_at is auto_now: set it the way time would have.
    Response.objects.filter(pk=response.pk).update(updated_at=last_changed)
    return response


def texts(response: Response) -> list[str]:
    return list(
        Answer.objects.filter(response=response, question__kind="text").values_list(
            "text", flat=True
        )
    )


def test_free_text_just_past_two_years_is_blanked_and_the_scores_stay() -> None:
    now = timezone.now()
    old = response_with_text(last_changed=now - TWO_YEARS - MINUTE, text="김철수 님이 도와주셨어요")
    inside = response_with_text(last_changed=now - TWO_YEARS + MINUTE, text="친절했어요")
    results_before = survey_results_of(survey_id=old.survey_id)

    assert answers_free_text_blank_expired(now=now) == 1

    assert texts(old) == [""]
    assert texts(inside) == ["친절했어요"]
    scores = Answer.objects.filter(response=old, score__isnull=False).order_by("score")
    assert list(scores.values_list("score", flat=True)) == [2, 5]
    assert survey_results_of(survey_id=old.survey_id) == results_before


def test_blanking_twice_changes_nothing_more() -> None:
    now = timezone.now()
    response_with_text(last_changed=now - TWO_YEARS - MINUTE, text="김철수 님")
    answers_free_text_blank_expired(now=now)

    assert answers_free_text_blank_expired(now=now) == 0
    assert Answer.objects.count() == 3
