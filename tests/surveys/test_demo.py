"""The surveys demo: the demo year's yearly survey answered like the model district's first
year, follow-ups, this year's survey open to try; idempotent."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects.models import District
from surveys.demo import TARGETS
from surveys.models import Answer, FollowUpInvitation, Question, Response, Survey
from surveys.selectors import DIMENSIONS, survey_results, survey_results_of, surveys_open_on

pytestmark = pytest.mark.django_db


def _seed(scale: str = "small", seed: int = 2026) -> None:
    call_command("seed_demo", "--scale", scale, "--seed", str(seed), stdout=StringIO())


def _demo_year() -> int:
    return timezone.localdate().year - 1


def _counts() -> dict[str, int]:
    models = [Survey, Question, Response, Answer, FollowUpInvitation]
    return {model.__name__: model._default_manager.count() for model in models}


def test_the_demo_year_survey_has_questions_in_the_five_dimensions_and_korean_text() -> None:
    _seed()

    survey = Survey.objects.get(kind=Survey.Kind.YEARLY, starts_on__year=_demo_year())
    dimensions = set(survey.questions.values_list("dimension", flat=True))
    assert dimensions == {*DIMENSIONS, ""}
    assert all("다" in q.text or "요" in q.text for q in survey.questions.all())
    assert (survey.starts_on, survey.ends_on) == (
        dt.date(_demo_year(), 11, 1),
        dt.date(_demo_year(), 12, 31),
    )
    responses = Response.objects.filter(survey=survey)
    assert responses.count() == 40
    assert responses.filter(respondent__isnull=True, neighbourhood__isnull=True).exists()
    assert not responses.filter(respondent__isnull=False, neighbourhood__isnull=True).exists()


def test_small_results_come_close_to_the_first_years_figures() -> None:
    _seed()
    year = _demo_year()

    found = survey_results(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))

    for code, target in TARGETS.items():
        result = found[code]
        assert result.percent is not None
        # round(N * target) of each survey's N answers are positive: off by at most one
        # answer in all.
        assert abs(result.percent - target) <= Decimal(100) / result.answers + Decimal("0.05")


def test_follow_ups_carry_an_area_and_their_invitation_is_answered() -> None:
    _seed()

    follow_ups = Response.objects.filter(survey__kind=Survey.Kind.FOLLOW_UP)
    assert follow_ups.exists()
    assert not follow_ups.filter(area="").exists()
    invitations = FollowUpInvitation.objects.all()
    assert invitations.count() == follow_ups.count()
    assert not invitations.filter(answered_at__isnull=True).exists()
    keys = set(follow_ups.values_list("subject_key", flat=True))
    assert keys == set(invitations.values_list("subject_key", flat=True))


def test_this_years_survey_is_open_today_with_no_answer_yet() -> None:
    _seed()

    open_now = surveys_open_on(timezone.localdate()).filter(kind=Survey.Kind.YEARLY)
    assert open_now.count() == 1
    assert not Response.objects.filter(survey__in=open_now).exists()
    district = District.objects.get(code="jungnang")
    assert Survey.objects.filter(district=district, kind=Survey.Kind.FOLLOW_UP).count() == 1


def test_a_second_run_changes_nothing() -> None:
    _seed(seed=7)
    first = _counts()

    _seed(seed=8)

    assert first["Response"] > 0
    assert _counts() == first


def test_district_year_gives_the_first_years_survey_results_to_the_decimal() -> None:
    _seed("district-year")
    year = _demo_year()

    found = survey_results(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))

    assert {code: result.percent for code, result in found.items()} == TARGETS
    yearly = Survey.objects.get(kind=Survey.Kind.YEARLY, starts_on__year=year)
    alone = survey_results_of(survey_id=yearly.pk)
    assert {code: result.percent for code, result in alone.items()} == TARGETS
    assert 950 <= Response.objects.filter(survey__kind=Survey.Kind.YEARLY).count() <= 1_050
