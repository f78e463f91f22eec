"""The resident's surveys in the API: the ones open to them, answering and changing the
answers while a survey is open, the follow-ups offered after delivered support, and their
own responses; nobody else's."""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from residents.models import User
from surveys.models import Dimension, Question, Response, Survey
from tests.api.clients import error_fields, token_client
from tests.surveys.factories import invitation_for, resident_in, survey_with_questions

pytestmark = pytest.mark.django_db

SURVEYS = "/api/me/surveys/"
FOLLOW_UPS = "/api/me/follow-ups/"
RESPONSES = "/api/me/survey-responses/"


@pytest.fixture
def survey() -> Survey:
    return survey_with_questions([Dimension.AWARENESS, Dimension.TRUST])


@pytest.fixture
def resident(survey: Survey) -> User:
    return resident_in(survey.district)


@pytest.fixture
def client(resident: User) -> APIClient:
    return token_client(resident)


def answers_to(survey: Survey, score: int = 4, text: str = "좋아요") -> dict[str, Any]:
    return {
        "answers": [
            {"question": q.pk, "score": score}
            if q.kind == Question.Kind.SCALE
            else {"question": q.pk, "text": text}
            for q in survey.questions.all()
        ]
    }


def follow_up_survey(district: Any) -> Survey:
    return survey_with_questions(
        [Dimension.BENEFIT], district=district, kind=Survey.Kind.FOLLOW_UP, text=False
    )


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", SURVEYS),
        ("get", f"{SURVEYS}1/"),
        ("post", f"{SURVEYS}1/answer/"),
        ("get", FOLLOW_UPS),
        ("get", f"{FOLLOW_UPS}1/"),
        ("post", f"{FOLLOW_UPS}1/answer/"),
        ("get", RESPONSES),
    ],
)
def test_every_door_asks_an_anonymous_caller_to_log_in(
    api_client: APIClient, method: str, url: str
) -> None:
    assert getattr(api_client, method)(url, {}, format="json").status_code == 401


def test_the_list_shows_the_surveys_open_to_the_resident_and_whether_they_answered(
    client: APIClient, survey: Survey
) -> None:
    survey_with_questions(district=survey.district, is_published=False)
    survey_with_questions()  # another district's
    everyone = survey_with_questions(audience=Survey.Audience.EVERYONE)

    rows = client.get(SURVEYS).json()["results"]

    assert {row["id"] for row in rows} == {survey.pk, everyone.pk}
    assert all(row["answered"] is False for row in rows)


def test_a_survey_shows_its_questions_in_order(client: APIClient, survey: Survey) -> None:
    body = client.get(f"{SURVEYS}{survey.pk}/").json()

    assert body["is_open"] is True
    assert [q["kind"] for q in body["questions"]] == ["scale", "scale", "text"]
    assert [q["dimension"] for q in body["questions"]] == ["awareness", "trust", ""]
    assert body["answers"] == []


def test_answering_records_the_response_and_answering_again_changes_it(
    client: APIClient, resident: User, survey: Survey
) -> None:
    first = client.post(f"{SURVEYS}{survey.pk}/answer/", answers_to(survey, 2), format="json")
    again = client.post(f"{SURVEYS}{survey.pk}/answer/", answers_to(survey, 5), format="json")

    assert first.status_code == again.status_code == 200, first.json()
    assert first.json()["id"] == again.json()["id"]
    response = Response.objects.get(respondent=resident)
    assert sorted(a.score for a in response.answers.all() if a.score) == [5, 5]
    shown = client.get(f"{SURVEYS}{survey.pk}/").json()["answers"]
    assert [a["score"] for a in shown if a["score"]] == [5, 5]
    assert client.get(SURVEYS).json()["results"][0]["answered"] is True


def test_a_resent_answer_with_its_key_is_recorded_once(
    client: APIClient, resident: User, survey: Survey
) -> None:
    data = {**answers_to(survey), "submission_key": str(uuid.uuid4())}

    client.post(f"{SURVEYS}{survey.pk}/answer/", data, format="json")
    client.post(f"{SURVEYS}{survey.pk}/answer/", data, format="json")

    assert Response.objects.filter(respondent=resident).count() == 1


def test_a_missing_score_is_named_by_its_question(client: APIClient, survey: Survey) -> None:
    first = survey.questions.order_by("order").first()
    assert first is not None
    data = answers_to(survey)
    data["answers"] = [a for a in data["answers"] if a["question"] != first.pk]

    response = client.post(f"{SURVEYS}{survey.pk}/answer/", data, format="json")

    assert response.status_code == 422
    assert error_fields(response.json()) == {f"question_{first.pk}"}


def test_answers_out_of_range_or_twice_are_refused(client: APIClient, survey: Survey) -> None:
    question = survey.questions.first()
    assert question is not None

    out_of_range = client.post(
        f"{SURVEYS}{survey.pk}/answer/",
        {"answers": [{"question": question.pk, "score": 6}]},
        format="json",
    )
    twice = client.post(
        f"{SURVEYS}{survey.pk}/answer/",
        {"answers": [{"question": question.pk, "score": 3}] * 2},
        format="json",
    )

    assert (out_of_range.status_code, twice.status_code) == (400, 422)
    assert error_fields(out_of_range.json()) == {"answers.0.score"}
    assert error_fields(twice.json()) == {"answers"}


def test_a_closed_survey_can_be_read_but_not_answered(client: APIClient, survey: Survey) -> None:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Survey.objects.filter(pk=survey.pk).update(ends_on=yesterday)

    page = client.get(f"{SURVEYS}{survey.pk}/")
    answer = client.post(f"{SURVEYS}{survey.pk}/answer/", answers_to(survey), format="json")

    assert page.json()["is_open"] is False
    assert answer.status_code == 400
    assert answer.json()["code"] == "closed"


@pytest.mark.parametrize("which", ["another district", "unpublished", "follow-up", "unknown"])
def test_a_survey_not_for_the_resident_is_not_found(
    client: APIClient, survey: Survey, which: str
) -> None:
    other = {
        "another district": lambda: survey_with_questions(),
        "unpublished": lambda: survey_with_questions(district=survey.district, is_published=False),
        "follow-up": lambda: follow_up_survey(survey.district),
        "unknown": lambda: None,
    }[which]()
    pk = other.pk if other else 999_999

    assert client.get(f"{SURVEYS}{pk}/").status_code == 404
    posted = client.post(f"{SURVEYS}{pk}/answer/", {"answers": []}, format="json")
    assert posted.status_code == 404
    assert not Response.objects.exists()


def test_a_follow_up_is_listed_answered_and_then_no_longer_waiting(
    client: APIClient, resident: User, survey: Survey
) -> None:
    follow_up = follow_up_survey(survey.district)
    invitation = invitation_for(resident, follow_up)

    listed = client.get(FOLLOW_UPS).json()["results"]
    questions = client.get(f"{FOLLOW_UPS}{invitation.pk}/").json()["questions"]
    answered = client.post(
        f"{FOLLOW_UPS}{invitation.pk}/answer/",
        {"answers": [{"question": questions[0]["id"], "score": 5}]},
        format="json",
    )

    assert [row["id"] for row in listed] == [invitation.pk]
    assert listed[0]["survey"]["kind"] == "follow_up"
    assert answered.status_code == 200, answered.json()
    response = Response.objects.get(respondent=resident)
    assert response.subject_key == invitation.subject_key
    assert response.area == "health"
    assert client.get(FOLLOW_UPS).json()["results"] == []


def test_another_residents_follow_up_is_not_found(client: APIClient, survey: Survey) -> None:
    theirs = invitation_for(resident_in(survey.district), follow_up_survey(survey.district))

    assert client.get(f"{FOLLOW_UPS}{theirs.pk}/").status_code == 404
    assert client.post(f"{FOLLOW_UPS}{theirs.pk}/answer/", {}, format="json").status_code == 404


def test_my_responses_are_mine_only(client: APIClient, resident: User, survey: Survey) -> None:
    client.post(f"{SURVEYS}{survey.pk}/answer/", answers_to(survey), format="json")
    token_client(resident_in(survey.district)).post(
        f"{SURVEYS}{survey.pk}/answer/", answers_to(survey), format="json"
    )

    rows = client.get(RESPONSES).json()["results"]

    assert len(rows) == 1
    assert rows[0]["survey"] == {"id": survey.pk, "title": survey.title, "kind": "yearly"}
    assert {a["text"] for a in rows[0]["answers"]} == {"", "좋아요"}


def test_the_survey_lists_cost_the_same_few_queries_however_long_they_are(
    client: APIClient,
    resident: User,
    survey: Survey,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(12):
        more = survey_with_questions([Dimension.BENEFIT], district=survey.district)
        client.post(f"{SURVEYS}{more.pk}/answer/", answers_to(more), format="json")
        invitation_for(resident, follow_up_survey(survey.district))

    # The token, where the resident lives, the count, the page.
    with django_assert_max_num_queries(4):
        surveys = client.get(SURVEYS, {"page_size": 10})
    with django_assert_max_num_queries(3):
        follow_ups = client.get(FOLLOW_UPS, {"page_size": 10})
    # The token, the count, the page, its answers.
    with django_assert_max_num_queries(4):
        responses = client.get(RESPONSES, {"page_size": "10", "ordering": "submitted_at"})

    assert surveys.json()["count"] == 13
    assert follow_ups.json()["count"] == 12
    assert responses.json()["count"] == 12
