"""Writing responses: one per resident, changed while the survey is open and never after,
anonymous only where allowed, a form sent twice makes one; follow-ups offered once."""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects.models import District
from surveys.models import Answer, FollowUpInvitation, Question, Response, Survey
from surveys.services import followup_invite, followup_survey_ensure, response_submit
from tests.factories import UserFactory
from tests.surveys.factories import (
    DistrictFactory,
    SurveyFactory,
    add_response,
    invitation_for,
    resident_in,
    seoul,
    survey_with_questions,
)

pytestmark = pytest.mark.django_db


def answers_for(survey: Survey, score: int = 4, text: str = "") -> dict[int, int | str | None]:
    """A score for every scale question and ``text`` for the free ones."""
    return {q.pk: score if q.kind == Question.Kind.SCALE else text for q in survey.questions.all()}


def scores_of(response: Response) -> list[int | None]:
    return list(
        Answer.objects.filter(response=response, score__isnull=False)
        .order_by("question__order")
        .values_list("score", flat=True)
    )


def test_a_resident_answers_and_their_neighbourhood_is_copied_onto_the_response() -> None:
    resident = resident_in()
    survey = survey_with_questions(district=resident.profile.neighbourhood.district)

    response = response_submit(
        survey=survey, respondent=resident, answers=answers_for(survey, 5, "고맙습니다")
    )

    assert response.respondent == resident
    assert response.neighbourhood_id == resident.profile.neighbourhood_id
    assert scores_of(response) == [5, 5, 5, 5, 5]
    assert response.answers.get(score__isnull=True).text == "고맙습니다"


def test_answering_again_while_open_changes_the_one_response() -> None:
    resident = resident_in()
    survey = survey_with_questions(district=resident.profile.neighbourhood.district)
    first = response_submit(survey=survey, respondent=resident, answers=answers_for(survey, 2))

    second = response_submit(survey=survey, respondent=resident, answers=answers_for(survey, 5, ""))

    assert second.pk == first.pk
    assert Response.objects.filter(survey=survey).count() == 1
    assert scores_of(second) == [5, 5, 5, 5, 5]
    assert second.submitted_at == first.submitted_at  # the period counts the first answer
    assert not second.answers.filter(score__isnull=True).exists()  # an emptied text is gone


def test_after_the_survey_closes_answers_cannot_change() -> None:
    resident = resident_in()
    survey = survey_with_questions(district=resident.profile.neighbourhood.district)
    response = response_submit(survey=survey, respondent=resident, answers=answers_for(survey, 2))
    Survey.objects.filter(pk=survey.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    survey.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        response_submit(survey=survey, respondent=resident, answers=answers_for(survey, 5))

    assert error.value.code == "closed"
    assert scores_of(response) == [2, 2, 2, 2, 2]


@pytest.mark.parametrize(
    "fields",
    [
        {"is_published": False},
        {"starts_on": dt.date(2099, 1, 1), "ends_on": dt.date(2099, 12, 31)},
    ],
    ids=["unpublished", "not-started"],
)
def test_an_unpublished_or_future_survey_takes_no_answers(fields: dict[str, Any]) -> None:
    resident = resident_in()
    survey = survey_with_questions(district=resident.profile.neighbourhood.district, **fields)

    with pytest.raises(ValidationError) as error:
        response_submit(survey=survey, respondent=resident, answers=answers_for(survey))

    assert error.value.code == "closed"
    assert not Response.objects.exists()


def test_anonymous_answers_are_taken_where_the_survey_allows_them() -> None:
    survey = survey_with_questions(audience=Survey.Audience.EVERYONE, allow_anonymous=True)

    first = response_submit(survey=survey, respondent=None, answers=answers_for(survey))
    second = response_submit(survey=survey, respondent=None, answers=answers_for(survey))

    assert first.pk != second.pk
    assert (first.respondent, first.neighbourhood) == (None, None)


@pytest.mark.parametrize("audience", [Survey.Audience.EVERYONE, Survey.Audience.RESIDENTS])
def test_anonymous_answers_are_refused_where_the_survey_does_not_allow_them(
    audience: str,
) -> None:
    survey = survey_with_questions(audience=audience, allow_anonymous=False)

    with pytest.raises(ValidationError) as error:
        response_submit(survey=survey, respondent=None, answers=answers_for(survey))

    assert error.value.code == "login_required"
    assert not Response.objects.exists()


def test_a_survey_for_residents_refuses_a_resident_of_another_district() -> None:
    survey = survey_with_questions()
    stranger = resident_in()

    with pytest.raises(ValidationError) as error:
        response_submit(survey=survey, respondent=stranger, answers=answers_for(survey))

    assert error.value.code == "not_in_audience"


def test_a_survey_for_everyone_takes_a_logged_in_user_without_a_profile() -> None:
    survey = survey_with_questions(audience=Survey.Audience.EVERYONE)
    user = UserFactory.create()

    response = response_submit(survey=survey, respondent=user, answers=answers_for(survey))

    assert (response.respondent, response.neighbourhood) == (user, None)


def test_the_same_form_sent_twice_makes_one_response() -> None:
    survey = survey_with_questions(audience=Survey.Audience.EVERYONE, allow_anonymous=True)
    key = uuid.uuid4()

    first = response_submit(
        survey=survey, respondent=None, answers=answers_for(survey, 3), submission_key=key
    )
    again = response_submit(
        survey=survey, respondent=None, answers=answers_for(survey, 5), submission_key=key
    )

    assert again.pk == first.pk
    assert Response.objects.count() == 1
    assert scores_of(first) == [3, 3, 3, 3, 3]


def test_another_persons_form_key_is_refused() -> None:
    resident = resident_in()
    survey = survey_with_questions(district=resident.profile.neighbourhood.district)
    neighbour = resident_in(survey.district)
    key = uuid.uuid4()
    response_submit(
        survey=survey, respondent=resident, answers=answers_for(survey), submission_key=key
    )

    with pytest.raises(ValidationError) as error:
        response_submit(
            survey=survey, respondent=neighbour, answers=answers_for(survey), submission_key=key
        )

    assert error.value.code == "used_form"


@pytest.mark.parametrize("bad", [None, 0, 6, True, "4"], ids=repr)
def test_every_scale_question_needs_a_score_from_one_to_five(bad: object) -> None:
    resident = resident_in()
    survey = survey_with_questions(["trust"], district=resident.profile.neighbourhood.district)
    question = survey.questions.get(kind=Question.Kind.SCALE)
    answers = answers_for(survey)
    answers[question.pk] = bad  # type: ignore[assignment]

    with pytest.raises(ValidationError) as error:
        response_submit(survey=survey, respondent=resident, answers=answers)

    assert list(error.value.message_dict) == [f"question_{question.pk}"]
    assert not Response.objects.exists()


def test_a_free_text_answer_may_be_left_empty_but_not_too_long() -> None:
    resident = resident_in()
    survey = survey_with_questions(["trust"], district=resident.profile.neighbourhood.district)
    text_question = survey.questions.get(kind=Question.Kind.TEXT)

    with pytest.raises(ValidationError) as error:
        response_submit(
            survey=survey, respondent=resident, answers=answers_for(survey, 4, "가" * 2001)
        )
    response = response_submit(survey=survey, respondent=resident, answers=answers_for(survey))

    assert list(error.value.message_dict) == [f"question_{text_question.pk}"]
    assert response.answers.count() == 1


def test_answers_to_another_surveys_questions_are_refused() -> None:
    resident = resident_in()
    survey = survey_with_questions(district=resident.profile.neighbourhood.district)
    other = survey_with_questions()
    answers = {**answers_for(survey), **answers_for(other)}

    with pytest.raises(ValidationError) as error:
        response_submit(survey=survey, respondent=resident, answers=answers)

    assert error.value.code == "does_not_exist"  # the API's 422


# --- follow-ups ----------------------------------------------------------------------------


def follow_up_survey(district: District | None = None) -> Survey:
    fields: dict[str, Any] = {"district": district} if district is not None else {}
    return survey_with_questions(
        ["benefit", "convenience", "trust"], kind=Survey.Kind.FOLLOW_UP, ends_on=None, **fields
    )


def test_a_follow_up_is_offered_once_per_delivered_connection() -> None:
    resident = resident_in()
    district = resident.profile.neighbourhood.district
    survey = follow_up_survey(district)
    key = uuid.uuid4()
    delivered = timezone.localdate()

    first = followup_invite(
        resident=resident, district=district, subject_key=key, area="health", delivered_on=delivered
    )
    again = followup_invite(
        resident=resident, district=district, subject_key=key, area="health", delivered_on=delivered
    )

    assert first is not None and again == first
    assert (first.survey, first.area, first.delivered_on) == (survey, "health", delivered)
    assert FollowUpInvitation.objects.count() == 1


def test_no_follow_up_is_offered_where_the_district_has_no_published_one() -> None:
    resident = resident_in()
    district = resident.profile.neighbourhood.district
    SurveyFactory.create(district=district, kind=Survey.Kind.FOLLOW_UP, is_published=False)
    follow_up_survey()  # another district's

    offered = followup_invite(
        resident=resident,
        district=district,
        subject_key=uuid.uuid4(),
        area="health",
        delivered_on=timezone.localdate(),
    )

    assert offered is None
    assert not FollowUpInvitation.objects.exists()
    assert not Survey.objects.filter(district=district, is_published=True).exists()


def test_answering_a_follow_up_copies_the_area_and_marks_the_invitation_answered() -> None:
    resident = resident_in()
    survey = follow_up_survey(resident.profile.neighbourhood.district)
    invitation = invitation_for(resident, survey, area="education")

    response = response_submit(
        survey=survey,
        respondent=resident,
        answers=answers_for(survey),
        subject_key=invitation.subject_key,
    )
    again = response_submit(
        survey=survey,
        respondent=resident,
        answers=answers_for(survey, 2),
        subject_key=invitation.subject_key,
    )

    invitation.refresh_from_db()
    assert again.pk == response.pk
    assert (response.area, response.subject_key) == ("education", invitation.subject_key)
    assert invitation.answered_at is not None


def test_two_connections_of_one_resident_get_two_follow_up_responses() -> None:
    resident = resident_in()
    survey = follow_up_survey(resident.profile.neighbourhood.district)
    keys = [invitation_for(resident, survey).subject_key for _ in range(2)]

    for key in keys:
        response_submit(
            survey=survey, respondent=resident, answers=answers_for(survey), subject_key=key
        )

    assert Response.objects.filter(survey=survey, respondent=resident).count() == 2


def test_a_follow_up_is_refused_without_the_residents_invitation() -> None:
    resident = resident_in()
    survey = follow_up_survey(resident.profile.neighbourhood.district)
    neighbours = invitation_for(resident_in(survey.district), survey)

    for respondent, key in [(resident, neighbours.subject_key), (resident, None), (None, None)]:
        with pytest.raises(ValidationError) as error:
            response_submit(
                survey=survey, respondent=respondent, answers=answers_for(survey), subject_key=key
            )
        assert error.value.code == "not_invited"
    assert not Response.objects.exists()


def test_the_standard_follow_up_survey_is_made_once_with_valid_questions() -> None:
    district = DistrictFactory.create()

    made = followup_survey_ensure(district=district, starts_on=dt.date(2025, 1, 1))
    again = followup_survey_ensure(district=district, starts_on=dt.date(2026, 1, 1))

    assert again == made
    assert (made.kind, made.is_published, made.ends_on) == (Survey.Kind.FOLLOW_UP, True, None)
    questions = list(made.questions.order_by("order"))
    assert [q.dimension for q in questions] == ["benefit", "convenience", "trust", ""]
    for question in questions:
        question.full_clean()


def test_a_paused_follow_up_survey_is_left_as_staff_left_it() -> None:
    paused = SurveyFactory.create(kind=Survey.Kind.FOLLOW_UP, is_published=False)

    found = followup_survey_ensure(district=paused.district, starts_on=dt.date(2025, 1, 1))

    assert found == paused
    assert not found.is_published


def test_deleting_an_account_blanks_free_texts_and_open_follow_ups_and_keeps_scores() -> None:
    from matching.services import account_delete

    resident = resident_in()
    survey = survey_with_questions(["awareness"])
    response = add_response(
        survey, {"awareness": 5}, at=seoul(dt.date(2025, 11, 3)), respondent=resident
    )
    Answer.objects.create(
        response=response,
        question=survey.questions.get(kind=Question.Kind.TEXT),
        text="옆집 김철수 할머니가 도와주셨어요",
    )
    follow_up = survey_with_questions(["benefit"], kind="follow_up")
    invitation_for(resident, follow_up)

    account_delete(user=resident)

    assert list(Answer.objects.filter(response=response).values_list("score", "text")) == [
        (5, ""),
        (None, ""),
    ]
    assert not FollowUpInvitation.objects.filter(resident=resident).exists()
