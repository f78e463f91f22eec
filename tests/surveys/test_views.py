"""The resident's survey pages: who may open what, answering and changing answers, closed and
unknown surveys as plain pages, follow-ups only for their resident, bounded queries."""

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from residents.models import User
from surveys.models import Question, Response, Survey
from tests.factories import UserFactory
from tests.surveys.factories import (
    SurveyFactory,
    add_response,
    invitation_for,
    resident_in,
    seoul,
    survey_with_questions,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def page(response: Any) -> str:
    return response.content.decode()


def form_data(survey: Survey, score: int | str = 4, text: str = "") -> dict[str, Any]:
    data: dict[str, Any] = {"submission_key": str(uuid.uuid4())}
    for question in survey.questions.all():
        data[f"question_{question.pk}"] = score if question.kind == Question.Kind.SCALE else text
    return data


def resident_with_survey(client: Client, **fields: Any) -> tuple[User, Survey]:
    resident = resident_in()
    survey = survey_with_questions(district=resident.profile.neighbourhood.district, **fields)
    client.force_login(resident)
    return resident, survey


def answer_url(survey: Survey) -> str:
    return reverse("surveys:answer", args=[survey.pk])


def test_the_answer_page_shows_every_question_with_five_labelled_choices(client: Client) -> None:
    _, survey = resident_with_survey(client)

    response = client.get(answer_url(survey))

    text = page(response)
    assert response.status_code == 200
    for question in survey.questions.filter(kind=Question.Kind.SCALE):
        assert text.count(f'name="question_{question.pk}"') == 5
        assert f'for="id_question_{question.pk}_4"' in text
    assert "<textarea" in text
    assert 'name="submission_key"' in text
    assert not INLINE_SCRIPT.search(text)


def test_answering_saves_one_response_and_thanks_the_resident(client: Client) -> None:
    resident, survey = resident_with_survey(client)

    response = client.post(answer_url(survey), form_data(survey, 5, "좋아요"))

    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[survey.pk])
    saved = Response.objects.get(survey=survey, respondent=resident)
    assert saved.answers.filter(score=5).count() == 5
    assert client.get(response["Location"]).status_code == 200


def test_a_second_visit_shows_the_answers_given_and_saving_changes_them(client: Client) -> None:
    resident, survey = resident_with_survey(client)
    client.post(answer_url(survey), form_data(survey, 2, "처음 생각"))

    shown = page(client.get(answer_url(survey)))
    client.post(answer_url(survey), form_data(survey, 5, ""))

    assert re.search(r'value="2"[^>]*checked', shown)
    assert "처음 생각" in shown
    saved = Response.objects.get(survey=survey, respondent=resident)
    assert set(saved.answers.values_list("score", flat=True)) == {5}


def test_missing_or_made_up_answers_show_the_form_again_with_errors(client: Client) -> None:
    _, survey = resident_with_survey(client)
    question = survey.questions.filter(kind=Question.Kind.SCALE).first()
    assert question is not None
    data = form_data(survey, 4)
    data[f"question_{question.pk}"] = "9"
    del data["submission_key"]

    response = client.post(answer_url(survey), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {f"question_{question.pk}", "submission_key"}
    assert 'class="error-summary"' in page(response)
    assert not Response.objects.exists()


def test_a_closed_survey_says_so_and_takes_no_answers(client: Client) -> None:
    _, survey = resident_with_survey(
        client, starts_on=dt.date(2025, 11, 1), ends_on=dt.date(2025, 12, 31)
    )

    shown = client.get(answer_url(survey))
    sent = client.post(answer_url(survey), form_data(survey))

    assert (shown.status_code, sent.status_code) == (200, 200)
    assert shown.context["reason"] == "closed"
    assert 'data-reason="closed"' in page(sent)
    assert not Response.objects.exists()


@pytest.mark.parametrize("fields", [{"is_published": False}, {"kind": Survey.Kind.FOLLOW_UP}])
def test_an_unpublished_survey_or_a_follow_up_is_not_found_here(
    client: Client, fields: dict[str, Any]
) -> None:
    _, survey = resident_with_survey(client, **fields)

    response = client.get(answer_url(survey))

    assert response.status_code == 404
    assert response.context["reason"] == "unknown"
    assert survey.title not in page(response)


def test_an_unknown_survey_is_a_plain_not_found_page(client: Client) -> None:
    response = client.get(reverse("surveys:answer", args=[999_999]))

    assert response.status_code == 404
    assert 'data-reason="unknown"' in page(response)


def test_a_survey_for_another_districts_residents_is_refused_politely(client: Client) -> None:
    client.force_login(resident_in())
    survey = survey_with_questions()

    response = client.get(answer_url(survey))
    sent = client.post(answer_url(survey), form_data(survey))

    assert (response.status_code, sent.status_code) == (403, 403)
    assert response.context["reason"] == "not_for_you"
    assert not Response.objects.exists()


def test_a_visitor_answers_anonymously_where_the_survey_allows_it(client: Client) -> None:
    survey = survey_with_questions(audience=Survey.Audience.EVERYONE, allow_anonymous=True)

    shown = client.get(answer_url(survey))
    sent = client.post(answer_url(survey), form_data(survey))

    assert shown.status_code == 200
    assert sent.status_code == 302
    assert Response.objects.get().respondent is None


@pytest.mark.parametrize("audience", [Survey.Audience.EVERYONE, Survey.Audience.RESIDENTS])
def test_a_visitor_is_asked_to_log_in_where_anonymous_answers_are_not_allowed(
    client: Client, audience: str
) -> None:
    survey = survey_with_questions(audience=audience)

    shown = client.get(answer_url(survey))
    sent = client.post(answer_url(survey), form_data(survey))

    assert shown.status_code == sent.status_code == 302
    assert shown["Location"].startswith(reverse("account_login"))
    assert not Response.objects.exists()


def test_another_residents_answers_are_never_shown(client: Client) -> None:
    _, survey = resident_with_survey(client)
    neighbour = resident_in(survey.district)
    response = add_response(
        survey, {"awareness": 1}, at=seoul(timezone.localdate()), respondent=neighbour
    )
    text_question = survey.questions.get(kind=Question.Kind.TEXT)
    response.answers.create(question=text_question, text="이웃의 비밀 이야기")

    shown = page(client.get(answer_url(survey)))

    assert "이웃의 비밀 이야기" not in shown
    assert not re.search(r'value="1"[^>]*checked', shown)


def test_the_follow_up_page_is_only_for_the_invited_resident(client: Client) -> None:
    resident = resident_in()
    survey = survey_with_questions(
        ["benefit"], district=resident.profile.neighbourhood.district, kind=Survey.Kind.FOLLOW_UP
    )
    invitation = invitation_for(resident, survey)
    url = reverse("surveys:follow_up", args=[invitation.pk])

    client.force_login(resident_in(survey.district))
    foreign = (client.get(url).status_code, client.post(url, form_data(survey)).status_code)
    client.force_login(resident)
    own = client.get(url)
    sent = client.post(url, form_data(survey, 5))

    assert foreign == (404, 404)
    assert own.status_code == 200
    assert sent.status_code == 302
    saved = Response.objects.get()
    assert (saved.respondent, saved.subject_key) == (resident, invitation.subject_key)


def test_the_follow_up_page_needs_a_login(client: Client) -> None:
    resident = resident_in()
    survey = survey_with_questions(["benefit"], kind=Survey.Kind.FOLLOW_UP)
    invitation = invitation_for(resident, survey)

    response = client.get(reverse("surveys:follow_up", args=[invitation.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_surveys_page_lists_my_open_surveys_and_follow_ups_in_bounded_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    resident, survey = resident_with_survey(client)
    follow_up = SurveyFactory.create(district=survey.district, kind=Survey.Kind.FOLLOW_UP)
    for _ in range(15):
        SurveyFactory.create(district=survey.district)
        invitation_for(resident, follow_up)
    add_response(survey, {"trust": 4}, at=seoul(timezone.localdate()), respondent=resident)

    with django_assert_max_num_queries(6):
        response = client.get(reverse("surveys:list"))

    text = page(response)
    assert response.status_code == 200
    assert text.count(reverse("surveys:answer", args=[survey.pk])) == 1
    assert text.count('href="/surveys/follow-up/') == 15
    assert len(response.context["page"].open_surveys) == 16


def test_a_visitor_sees_only_the_surveys_open_to_anonymous_answers(client: Client) -> None:
    open_to_all = survey_with_questions(audience=Survey.Audience.EVERYONE, allow_anonymous=True)
    survey_with_questions()

    response = client.get(reverse("surveys:list"))

    assert [item.survey for item in response.context["page"].open_surveys] == [open_to_all]


def test_my_page_links_to_my_surveys_and_counts_those_waiting(
    client: Client, django_assert_max_num_queries
) -> None:
    resident_with_survey(client)

    # My page's own budget (tests/matching/test_views.py): the count is one query of it.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("matching:my_page"))

    assert response.status_code == 200
    assert f'href="{reverse("surveys:list")}"' in page(response)
    assert response.context["surveys_waiting"] == 1


def test_the_thanks_page_offers_to_change_the_answers_while_open(client: Client) -> None:
    _, survey = resident_with_survey(client)

    response = client.get(reverse("surveys:thanks", args=[survey.pk]))

    assert response.context["can_change"] is True
    assert f'href="{answer_url(survey)}"' in page(response)


def test_a_user_without_a_profile_is_asked_where_they_live_before_a_residents_survey(
    client: Client,
) -> None:
    survey = survey_with_questions()
    client.force_login(UserFactory.create())

    response = client.get(answer_url(survey))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("residents:profile"))
    assert "next=" in response["Location"]
