"""The staff admin of surveys: staff see and define their own district's surveys only, read
responses without editing them or seeing who answered, and see the results."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import District, StaffMember
from residents.models import User
from surveys.models import Question, Response, Survey
from tests.factories import StaffMemberFactory
from tests.surveys.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    add_response,
    resident_in,
    seoul,
    survey_with_questions,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

SURVEYS_URL = reverse("admin:surveys_survey_changelist")
RESPONSES_URL = reverse("admin:surveys_response_changelist")


@pytest.fixture
def ours() -> District:
    return DistrictFactory.create(code="ours")


@pytest.fixture
def staff(client: Client, ours: District) -> User:
    """A member of the "district staff" group of our district, logged in."""
    user = StaffMemberFactory.create(district=ours).user
    client.force_login(user)
    return user


def change_url(obj: Any) -> str:
    return reverse(f"admin:surveys_{obj._meta.model_name}_change", args=[obj.pk])


def test_staff_list_their_districts_surveys_only_in_bounded_queries(
    client: Client, ours: District, staff: User, django_assert_max_num_queries
) -> None:
    mine = [survey_with_questions(district=ours) for _ in range(12)]
    theirs = survey_with_questions()
    add_response(mine[0], {"trust": 4}, at=seoul(timezone.localdate()))

    with django_assert_max_num_queries(10):
        response = client.get(SURVEYS_URL)

    assert response.status_code == 200
    listed = {survey.pk for survey in response.context["cl"].result_list}
    assert listed == {survey.pk for survey in mine}
    assert client.get(change_url(theirs)).status_code == 302


def test_staff_make_a_survey_with_questions_in_their_own_district(
    client: Client, ours: District, staff: User
) -> None:
    today = timezone.localdate()
    data = {
        "title": "2026년 주민 만족도 조사",
        "description": "",
        "kind": "yearly",
        "audience": "residents",
        "starts_on": today.isoformat(),
        "ends_on": "",
        "is_published": "on",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-order": "1",
        "questions-0-text": "플랫폼을 알고 있다.",
        "questions-0-kind": "scale",
        "questions-0-dimension": "awareness",
        "questions-1-order": "2",
        "questions-1-text": "하고 싶은 말씀",
        "questions-1-kind": "text",
        "questions-1-dimension": "",
    }

    response = client.post(reverse("admin:surveys_survey_add"), data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    survey = Survey.objects.get()
    assert survey.district == ours
    assert list(survey.questions.values_list("dimension", flat=True).order_by("order")) == [
        "awareness",
        "",
    ]


def test_a_scale_question_without_a_dimension_is_refused_with_a_message(
    client: Client, ours: District, staff: User
) -> None:
    data = {
        "title": "설문",
        "kind": "yearly",
        "audience": "everyone",
        "allow_anonymous": "on",
        "starts_on": timezone.localdate().isoformat(),
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-order": "1",
        "questions-0-text": "편리했다.",
        "questions-0-kind": "scale",
        "questions-0-dimension": "",
    }

    response = client.post(reverse("admin:surveys_survey_add"), data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]
    assert not Survey.objects.exists()


def test_the_survey_page_shows_its_results_and_fixes_questions_once_answered(
    client: Client, ours: District, staff: User
) -> None:
    survey = survey_with_questions(district=ours)
    add_response(survey, {"awareness": 4}, at=seoul(timezone.localdate()))
    add_response(survey, {"awareness": 3}, at=seoul(timezone.localdate()))

    response = client.get(change_url(survey))

    text = response.content.decode()
    assert response.status_code == 200
    assert "50.0%" in text
    assert "1 / 2" in text
    formset = response.context["inline_admin_formsets"][0]
    assert not formset.has_change_permission and not formset.has_add_permission


def test_staff_read_their_districts_responses_without_names_and_cannot_change_them(
    client: Client, ours: District, staff: User, django_assert_max_num_queries
) -> None:
    survey = survey_with_questions(district=ours)
    resident = resident_in(ours, first_name="홍길동")
    neighbourhood = NeighbourhoodFactory.create(district=ours, name="면목본동")
    mine = [
        add_response(
            survey,
            {"trust": 5, "benefit": 2},
            at=seoul(timezone.localdate()),
            respondent=resident if index == 0 else None,
            neighbourhood=neighbourhood,
        )
        for index in range(15)
    ]
    theirs = add_response(survey_with_questions(), {"trust": 1}, at=seoul(timezone.localdate()))

    # +1: the access-log rows of the residents shown, one insert
    with django_assert_max_num_queries(12):
        listing = client.get(RESPONSES_URL)
    detail = client.get(change_url(mine[0]))
    foreign = client.get(change_url(theirs))
    posted = client.post(change_url(mine[0]), {})

    assert {r.pk for r in listing.context["cl"].result_list} == {r.pk for r in mine}
    text = detail.content.decode()
    assert detail.status_code == 200
    assert "홍길동" not in text and resident.username not in text
    assert 'name="_save"' not in text
    assert foreign.status_code == 302
    assert posted.status_code == 403
    assert Response.objects.get(pk=mine[0].pk).answers.filter(score=5).count() == 1


def test_nobody_adds_or_deletes_responses_in_the_admin(
    client: Client, ours: District, staff: User
) -> None:
    response = add_response(
        survey_with_questions(district=ours), {"trust": 4}, at=seoul(timezone.localdate())
    )

    assert client.get(reverse("admin:surveys_response_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:surveys_response_delete", args=[response.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Response.objects.filter(pk=response.pk).exists()


def test_a_coordinator_without_survey_permissions_cannot_open_the_survey_admin(
    client: Client, ours: District
) -> None:
    coordinator = StaffMemberFactory.create(district=ours, role=StaffMember.Role.COORDINATOR).user
    client.force_login(coordinator)

    assert client.get(SURVEYS_URL).status_code == 403


def test_questions_of_an_unanswered_survey_can_still_be_edited(
    client: Client, ours: District, staff: User
) -> None:
    survey = survey_with_questions(["trust"], district=ours, text=False)

    response = client.get(change_url(survey))

    formset = response.context["inline_admin_formsets"][0]
    assert formset.has_change_permission and formset.has_add_permission
    assert Question.objects.filter(survey=survey).count() == 1
