"""The survey results: the share of answers of 4 or 5, per dimension, for a period in Seoul
days, with their filters; and what a resident may answer now."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from surveys.models import Question, Survey
from surveys.selectors import (
    DIMENSION_LABELS,
    DIMENSIONS,
    SURVEY_RESULT_DEFINITION,
    DimensionResult,
    pending_follow_ups,
    survey_results,
    surveys_for,
    surveys_waiting_count,
)
from tests.surveys.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    SurveyFactory,
    add_response,
    invitation_for,
    resident_in,
    seoul,
    survey_with_questions,
)

pytestmark = pytest.mark.django_db

YEAR_START, YEAR_END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
NOVEMBER = dt.date(2025, 11, 15)


def closed_survey(**fields: Any) -> Survey:
    return survey_with_questions(
        starts_on=dt.date(2025, 11, 1), ends_on=dt.date(2025, 12, 31), **fields
    )


def results(**filters: object) -> dict[str, DimensionResult]:
    return survey_results(start=YEAR_START, end=YEAR_END, **filters)  # type: ignore[arg-type]


def test_a_four_counts_as_positive_and_a_three_does_not() -> None:
    survey = closed_survey()
    add_response(survey, {"awareness": 3}, at=seoul(NOVEMBER))
    add_response(survey, {"awareness": 4}, at=seoul(NOVEMBER))

    awareness = results()["awareness"]

    assert (awareness.answers, awareness.positive, awareness.percent) == (2, 1, Decimal("50.0"))


def test_fives_count_ones_and_twos_do_not() -> None:
    survey = closed_survey()
    for score in (1, 2, 5, 5):
        add_response(survey, {"trust": score}, at=seoul(NOVEMBER))

    assert results()["trust"].percent == Decimal("50.0")


def test_the_percentage_has_one_decimal_rounded_half_up() -> None:
    survey = closed_survey()
    # 1 of 16 is 6.25 %: half up gives 6.3 (banker's rounding would give 6.2).
    add_response(survey, {"benefit": 5}, at=seoul(NOVEMBER))
    for _ in range(15):
        add_response(survey, {"benefit": 2}, at=seoul(NOVEMBER))
    # 2 of 3 is 66.666... %.
    for score in (4, 4, 1):
        add_response(survey, {"convenience": score}, at=seoul(NOVEMBER))

    found = results()

    assert found["benefit"].percent == Decimal("6.3")
    assert found["convenience"].percent == Decimal("66.7")
    assert str(found["convenience"].percent) == "66.7"


def test_an_empty_period_gives_every_dimension_with_no_percentage() -> None:
    found = results()

    assert list(found) == list(DIMENSIONS)
    assert all(r.answers == r.positive == r.respondents == 0 for r in found.values())
    assert all(r.percent is None for r in found.values())


def test_a_dimension_nobody_scored_has_no_percentage_while_the_others_do() -> None:
    survey = closed_survey()
    add_response(survey, {"awareness": 5}, at=seoul(NOVEMBER))

    found = results()

    assert found["awareness"].percent == Decimal("100.0")
    assert found["contribution"].percent is None


def test_the_period_is_counted_in_seoul_days_both_ends_included() -> None:
    survey = survey_with_questions(starts_on=dt.date(2024, 12, 1), ends_on=dt.date(2026, 1, 31))
    # 00:10 on 1 January in Seoul is still 31 December in UTC: it belongs to 2025 ...
    add_response(survey, {"awareness": 5}, at=seoul(YEAR_START, 0, 10))
    add_response(survey, {"awareness": 5}, at=seoul(YEAR_END, 23, 50))
    # ... and 00:10 on 1 January 2026 in Seoul (15:10 UTC on 31 December 2025) does not.
    add_response(survey, {"awareness": 1}, at=seoul(dt.date(2026, 1, 1), 0, 10))
    add_response(survey, {"awareness": 1}, at=seoul(dt.date(2024, 12, 31), 23, 50))

    awareness = results()["awareness"]
    one_day = survey_results(start=YEAR_END, end=YEAR_END)["awareness"]

    assert (awareness.answers, awareness.percent) == (2, Decimal("100.0"))
    assert one_day.answers == 1


def test_respondents_counts_responses_not_answers() -> None:
    survey = closed_survey()
    add_response(survey, [("trust", 5), ("trust", 2)], at=seoul(NOVEMBER))
    add_response(survey, [("trust", 4)], at=seoul(NOVEMBER))

    trust = results()["trust"]

    assert (trust.answers, trust.positive, trust.respondents) == (3, 2, 2)


def test_free_text_answers_do_not_count() -> None:
    survey = closed_survey()
    response = add_response(survey, {"awareness": 4}, at=seoul(NOVEMBER))
    text_question = survey.questions.get(kind=Question.Kind.TEXT)
    response.answers.create(question=text_question, text="좋아요")

    assert sum(r.answers for r in results().values()) == 1


def test_the_filters_keep_a_district_a_neighbourhood_or_an_area() -> None:
    here = NeighbourhoodFactory.create()
    elsewhere = NeighbourhoodFactory.create()
    ours = closed_survey(district=here.district)
    theirs = closed_survey(district=elsewhere.district)
    follow_up = closed_survey(district=here.district, kind=Survey.Kind.FOLLOW_UP)
    add_response(ours, {"benefit": 5}, at=seoul(NOVEMBER), neighbourhood=here)
    add_response(theirs, {"benefit": 1}, at=seoul(NOVEMBER), neighbourhood=elsewhere)
    add_response(follow_up, {"benefit": 2}, at=seoul(NOVEMBER), neighbourhood=here, area="health")
    add_response(ours, {"benefit": 4}, at=seoul(NOVEMBER))  # anonymous: no neighbourhood

    assert results()["benefit"].answers == 4
    assert results(district_id=here.district_id)["benefit"].answers == 3
    assert results(neighbourhood_id=here.pk)["benefit"].percent == Decimal("50.0")
    assert results(area="health")["benefit"].percent == Decimal("0.0")
    assert results(area="education")["benefit"].percent is None


def test_the_results_are_one_query_whatever_the_number_of_answers(
    django_assert_num_queries,
) -> None:
    survey = closed_survey()
    for score in range(1, 6):
        add_response(survey, dict.fromkeys(DIMENSIONS, score), at=seoul(NOVEMBER))

    with django_assert_num_queries(1):
        found = results(district_id=survey.district_id)

    assert all(r.answers == 5 and r.positive == 2 for r in found.values())


def test_every_dimension_has_a_label_and_the_definition_names_four_and_five() -> None:
    assert set(DIMENSION_LABELS) == set(DIMENSIONS)
    assert "4" in str(SURVEY_RESULT_DEFINITION) and "5" in str(SURVEY_RESULT_DEFINITION)


# --- what a resident may answer ------------------------------------------------------------


def test_a_resident_sees_the_open_surveys_of_their_district_and_those_for_everyone() -> None:
    resident = resident_in()
    district = resident.profile.neighbourhood.district
    mine = SurveyFactory.create(district=district)
    for_everyone = SurveyFactory.create(audience=Survey.Audience.EVERYONE)
    SurveyFactory.create()  # another district's residents
    SurveyFactory.create(district=district, is_published=False)
    SurveyFactory.create(
        district=district, ends_on=dt.date(2020, 1, 31), starts_on=dt.date(2020, 1, 1)
    )
    SurveyFactory.create(district=district, kind=Survey.Kind.FOLLOW_UP)  # only by invitation

    page = surveys_for(user=resident, today=timezone.localdate())

    assert {item.survey.pk for item in page.open_surveys} == {mine.pk, for_everyone.pk}
    assert page.waiting == 2


def test_an_answered_survey_is_marked_and_no_longer_waits() -> None:
    resident = resident_in()
    survey = survey_with_questions(district=resident.profile.neighbourhood.district)
    add_response(survey, {"awareness": 4}, at=seoul(timezone.localdate()), respondent=resident)

    page = surveys_for(user=resident, today=timezone.localdate())

    assert [item.answered for item in page.open_surveys] == [True]
    assert page.waiting == 0
    assert (
        surveys_waiting_count(
            user=resident, district_id=survey.district_id, today=timezone.localdate()
        )
        == 0
    )


def test_pending_follow_ups_are_the_residents_own_unanswered_recent_ones() -> None:
    resident = resident_in()
    district = resident.profile.neighbourhood.district
    follow_up = SurveyFactory.create(district=district, kind=Survey.Kind.FOLLOW_UP, ends_on=None)
    waiting = invitation_for(resident, follow_up)
    invitation_for(resident, follow_up, answered_at=seoul(timezone.localdate()))
    invitation_for(resident, follow_up, delivered_on=timezone.localdate() - dt.timedelta(days=200))
    invitation_for(resident_in(district), follow_up)  # a neighbour's

    assert list(pending_follow_ups(user=resident, today=timezone.localdate())) == [waiting]
    assert (
        surveys_waiting_count(user=resident, district_id=district.pk, today=timezone.localdate())
        == 1
    )


def test_the_surveys_page_reads_a_fixed_number_of_queries(django_assert_max_num_queries) -> None:
    resident = resident_in()
    district = resident.profile.neighbourhood.district
    follow_up = SurveyFactory.create(district=district, kind=Survey.Kind.FOLLOW_UP)
    for _ in range(10):
        SurveyFactory.create(district=district)
        invitation_for(resident, follow_up)

    with django_assert_max_num_queries(3):
        page = surveys_for(user=resident, today=timezone.localdate())
        titles = [item.survey.title for item in page.open_surveys]
        kinds = [invitation.survey.kind for invitation in page.follow_ups]

    assert (len(titles), len(kinds)) == (10, 10)


def test_a_district_can_have_no_survey_at_all() -> None:
    district = DistrictFactory.create()

    assert results(district_id=district.pk)["trust"].percent is None
