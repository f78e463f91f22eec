"""Factories and helpers for the surveys tests: surveys open today (or on a given period),
their questions, residents of a district, and responses with known scores.

Dates: "open" surveys run from 30 days ago to 30 days ahead of today in Seoul, so the
services (which check today) accept answers."""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import factory
from django.utils import timezone

from projects.models import District, Neighbourhood
from residents.models import User
from surveys.models import Answer, Dimension, FollowUpInvitation, Question, Response, Survey
from surveys.selectors import SEOUL
from tests.factories import DistrictFactory, NeighbourhoodFactory, ResidentProfileFactory

__all__ = [
    "DistrictFactory",
    "NeighbourhoodFactory",
    "QuestionFactory",
    "SurveyFactory",
    "add_response",
    "resident_in",
    "seoul",
    "survey_with_questions",
]


def _today() -> dt.date:
    return timezone.localdate()


class SurveyFactory(factory.django.DjangoModelFactory[Survey]):
    """A published yearly survey for the district's residents, open today."""

    class Meta:
        model = Survey

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"주민 만족도 조사 {n}")
    kind = Survey.Kind.YEARLY
    audience = Survey.Audience.RESIDENTS
    allow_anonymous = False
    is_published = True
    starts_on: Any = factory.LazyFunction(lambda: _today() - dt.timedelta(days=30))
    ends_on: Any = factory.LazyFunction(lambda: _today() + dt.timedelta(days=30))


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"문항 {n}")
    kind = Question.Kind.SCALE
    dimension = Dimension.AWARENESS


def survey_with_questions(
    dimensions: Sequence[str] = tuple(Dimension.values), *, text: bool = True, **fields: Any
) -> Survey:
    """A survey with one scale question per dimension given, then (``text``) a free one."""
    survey = SurveyFactory.create(**fields)
    for order, dimension in enumerate(dimensions, start=1):
        QuestionFactory.create(survey=survey, order=order, dimension=dimension)
    if text:
        QuestionFactory.create(
            survey=survey, order=len(dimensions) + 1, kind=Question.Kind.TEXT, dimension=""
        )
    return survey


def resident_in(district: District | None = None, **user_fields: Any) -> User:
    """A user with a resident profile in a neighbourhood of ``district`` (a new one if None)."""
    neighbourhood = (
        NeighbourhoodFactory.create(district=district)
        if district is not None
        else NeighbourhoodFactory.create()
    )
    fields = {f"user__{name}": value for name, value in user_fields.items()}
    return ResidentProfileFactory.create(neighbourhood=neighbourhood, **fields).user


def seoul(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SEOUL)


def add_response(
    survey: Survey,
    scores: dict[str, int] | Sequence[tuple[str, int]],
    *,
    at: dt.datetime,
    respondent: User | None = None,
    neighbourhood: Neighbourhood | None = None,
    area: str = "",
    subject_key: uuid.UUID | None = None,
) -> Response:
    """A response written straight to the tables (the period may be long closed): one scored
    answer per (dimension, score), to the survey's first question of that dimension."""
    response = Response.objects.create(
        survey=survey,
        respondent=respondent,
        submitted_at=at,
        neighbourhood=neighbourhood,
        area=area,
        subject_key=subject_key,
    )
    questions: dict[str, Question] = {}
    for question in survey.questions.order_by("order"):
        questions.setdefault(question.dimension, question)
    pairs = scores.items() if isinstance(scores, dict) else scores
    used: set[int] = set()
    answers = []
    for dimension, score in pairs:
        question = questions[dimension]
        if question.pk in used:  # a second answer in a dimension: add a question for it
            question = QuestionFactory.create(survey=survey, dimension=dimension)
        used.add(question.pk)
        answers.append(Answer(response=response, question=question, score=score))
    Answer.objects.bulk_create(answers)
    return response


def invitation_for(
    resident: User, survey: Survey, *, area: str = "health", **fields: Any
) -> FollowUpInvitation:
    return FollowUpInvitation.objects.create(
        survey=survey,
        resident=resident,
        subject_key=fields.pop("subject_key", uuid.uuid4()),
        area=area,
        delivered_on=fields.pop("delivered_on", _today() - dt.timedelta(days=2)),
        **fields,
    )
