"""The resident's applications and referrals in the API: made with the website's rules, sent
twice and made once, listed and shown to their owner only, withdrawn while still possible."""

import uuid
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from matching.models import ApplicationEvent, Referral, SupportApplication
from matching.services import application_transition
from projects.models import Area, Project
from residents.models import User
from tests.api.clients import error_fields, token_client
from tests.matching.factories import (
    NeighbourhoodFactory,
    ProjectFactory,
    UserFactory,
    make_resident,
    submit_application,
    submit_referral,
)

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/me/applications/"
CREATE = "/api/me/applications/create/"
REFERRALS = "/api/me/referrals/"
REFER = "/api/me/referrals/create/"
Status = SupportApplication.Status


def application_url(application: SupportApplication, suffix: str = "") -> str:
    return f"{APPLICATIONS}{application.public_id}/{suffix}"


def referral_url(referral: Referral) -> str:
    return f"{REFERRALS}{referral.public_id}/"


def a_need(**fields: Any) -> dict[str, Any]:
    return {"areas": ["donation"], "description": "반찬이 필요합니다", **fields}


@pytest.fixture
def resident() -> User:
    return make_resident()


@pytest.fixture
def client(resident: User) -> APIClient:
    return token_client(resident)


# --- Who may ask --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", APPLICATIONS),
        ("post", CREATE),
        ("get", f"{APPLICATIONS}{uuid.uuid4()}/"),
        ("post", f"{APPLICATIONS}{uuid.uuid4()}/withdraw/"),
        ("get", REFERRALS),
        ("post", REFER),
        ("get", f"{REFERRALS}{uuid.uuid4()}/"),
    ],
)
def test_every_door_asks_an_anonymous_caller_to_log_in(
    api_client: APIClient, method: str, url: str
) -> None:
    response = getattr(api_client, method)(url, {}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_another_residents_application_is_not_found_anywhere(client: APIClient) -> None:
    theirs = submit_application(make_resident())

    detail = client.get(application_url(theirs))
    withdraw = client.post(application_url(theirs, "withdraw/"), {}, format="json")

    assert detail.status_code == 404
    assert detail.json()["code"] == "not_found"
    assert withdraw.status_code == 404
    assert client.get(APPLICATIONS).json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.status == Status.PENDING


def test_another_residents_referral_is_not_found(client: APIClient) -> None:
    theirs = submit_referral(make_resident())

    response = client.get(referral_url(theirs))

    assert response.status_code == 404
    assert client.get(REFERRALS).json()["results"] == []


def test_the_websites_own_session_opens_the_same_doors(resident: User) -> None:
    application = submit_application(resident)
    session = APIClient()
    session.force_login(resident)

    response = session.get(application_url(application))

    assert response.status_code == 200
    assert response.json()["id"] == str(application.public_id)


# --- Applying -----------------------------------------------------------------------------


def test_a_resident_applies_and_gets_the_applications_page_back(
    client: APIClient, resident: User
) -> None:
    project = ProjectFactory.create(district=resident.profile.neighbourhood.district)

    response = client.post(
        CREATE,
        a_need(
            areas=["donation", "health"],
            urgency=3,
            support_type="goods",
            preferred_project=str(project.public_id),
            contact_phone="010-2222-3333",
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    application = SupportApplication.objects.get(applicant=resident)
    assert body["id"] == str(application.public_id)
    assert body["status"] == "pending"
    assert body["areas"] == ["donation", "health"]
    assert body["urgency"] == 3
    assert body["preferred_project"] == {"id": str(project.public_id), "title": project.title}
    assert body["contact_phone"] == "010-2222-3333"
    assert body["can_withdraw"] is True
    assert [entry["status"] for entry in body["timeline"]] == ["pending"]
    assert [step["current"] for step in body["progress"]] == [True, False, False, False]


def test_the_same_submission_key_twice_makes_one_application(
    client: APIClient, resident: User
) -> None:
    key = str(uuid.uuid4())

    first = client.post(CREATE, a_need(submission_key=key), format="json")
    again = client.post(CREATE, a_need(submission_key=key), format="json")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert SupportApplication.objects.filter(applicant=resident).count() == 1


def test_without_a_submission_key_each_request_is_a_new_application(
    client: APIClient, resident: User
) -> None:
    client.post(CREATE, a_need(), format="json")
    client.post(CREATE, a_need(), format="json")

    assert SupportApplication.objects.filter(applicant=resident).count() == 2


def test_another_residents_submission_key_is_refused(client: APIClient) -> None:
    theirs = submit_application(make_resident())

    response = client.post(CREATE, a_need(submission_key=str(theirs.submission_key)), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "used_form"


def test_what_is_missing_is_named_field_by_field(client: APIClient) -> None:
    response = client.post(CREATE, {"urgency": 9, "contact_phone": "12"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert error_fields(body) == {"areas", "description", "urgency", "contact_phone"}
    assert not SupportApplication.objects.exists()


def test_a_description_too_long_says_how_long_it_may_be(client: APIClient) -> None:
    response = client.post(
        CREATE, a_need(description="가" * 3001), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["description"] == [
        "Tell us what you need: please keep it under 3000 characters."
    ]


def test_an_area_that_does_not_exist_is_named_by_its_place(client: APIClient) -> None:
    response = client.post(CREATE, a_need(areas=["donation", "moon"]), format="json")

    assert response.status_code == 400
    assert error_fields(response.json()) == {"areas.1"}


@pytest.mark.parametrize("where", ["another district", "not open", "unknown"])
def test_a_preferred_project_that_is_not_taking_applications_is_refused(
    client: APIClient, resident: User, where: str
) -> None:
    project = {
        "another district": lambda: ProjectFactory.create(),
        "not open": lambda: ProjectFactory.create(
            district=resident.profile.neighbourhood.district, status=Project.Status.PAUSED
        ),
        "unknown": lambda: None,
    }[where]()
    wanted = str(project.public_id) if project else str(uuid.uuid4())

    response = client.post(CREATE, a_need(preferred_project=wanted), format="json")

    assert response.status_code == 422
    assert error_fields(response.json()) == {"preferred_project"}


def test_a_resident_without_a_profile_is_asked_for_it_first(api_client: APIClient) -> None:
    response = token_client(UserFactory.create()).post(CREATE, a_need(), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "profile_missing"


def test_a_resident_without_the_personal_consent_is_asked_for_it_first() -> None:
    response = token_client(make_resident(consent=False)).post(CREATE, a_need(), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "consent_needed"
    assert not SupportApplication.objects.exists()


# --- Following and withdrawing ------------------------------------------------------------


def test_the_list_shows_the_residents_applications_newest_first_with_their_latest_event(
    client: APIClient, resident: User
) -> None:
    older = submit_application(resident)
    newer = submit_application(resident)
    application_transition(
        application=newer, to_status=Status.PROPOSED, allowed_from=[Status.PENDING]
    )

    rows = client.get(APPLICATIONS, HTTP_ACCEPT_LANGUAGE="en").json()["results"]

    assert [row["id"] for row in rows] == [str(newer.public_id), str(older.public_id)]
    assert rows[0]["status"] == "proposed"
    assert rows[0]["latest_event_words"] == (
        "A sharing project was found. The community centre is reviewing it."
    )
    assert rows[1]["latest_event_words"] == "We received your application."


def test_the_list_keeps_the_statuses_asked_for(client: APIClient, resident: User) -> None:
    pending = submit_application(resident)
    withdrawn = submit_application(resident)
    application_transition(
        application=withdrawn, to_status=Status.WITHDRAWN, allowed_from=[Status.PENDING]
    )

    rows = client.get(APPLICATIONS, {"status": "pending"}).json()["results"]
    bad = client.get(APPLICATIONS, {"status": "lost"})

    assert [row["id"] for row in rows] == [str(pending.public_id)]
    assert bad.status_code == 400
    assert error_fields(bad.json()) == {"status"}


def test_the_application_list_costs_the_same_few_queries_however_long_it_is(
    client: APIClient,
    resident: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    project = ProjectFactory.create(district=resident.profile.neighbourhood.district)
    for _ in range(25):
        submit_application(resident, preferred_project=project)

    # The token, the count, the page.
    with django_assert_max_num_queries(3):
        response = client.get(APPLICATIONS, {"page_size": 20})

    assert len(response.json()["results"]) == 20


def test_withdrawing_shows_the_reason_on_the_timeline(client: APIClient, resident: User) -> None:
    application = submit_application(resident)

    response = client.post(
        application_url(application, "withdraw/"), {"reason": "이사 갑니다"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "withdrawn"
    assert body["can_withdraw"] is False
    assert body["timeline"][-1]["status"] == "withdrawn"
    assert body["timeline"][-1]["note"] == "이사 갑니다"


def test_an_application_no_longer_withdrawable_is_refused_with_its_own_code(
    client: APIClient, resident: User
) -> None:
    application = submit_application(resident)
    application_transition(
        application=application, to_status=Status.PROPOSED, allowed_from=[Status.PENDING]
    )
    application_transition(
        application=application, to_status=Status.ACCEPTED, allowed_from=[Status.PROPOSED]
    )

    response = client.post(application_url(application, "withdraw/"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "not_withdrawable"
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_a_withdrawal_reason_that_is_too_long_is_refused(client: APIClient, resident: User) -> None:
    application = submit_application(resident)

    response = client.post(
        application_url(application, "withdraw/"), {"reason": "가" * 501}, format="json"
    )

    assert response.status_code == 400
    assert error_fields(response.json()) == {"reason"}


def test_the_timeline_shows_staff_notes_to_nobody_but_staff(
    client: APIClient, resident: User
) -> None:
    application = submit_application(resident)
    application_transition(
        application=application,
        to_status=Status.ON_HOLD,
        allowed_from=[Status.PENDING],
        actor=UserFactory.create(),
        note="내부 메모",
    )

    timeline = client.get(application_url(application)).json()["timeline"]

    assert [entry["note"] for entry in timeline] == ["", ""]
    assert ApplicationEvent.objects.filter(note="내부 메모").exists()


# --- Referrals ----------------------------------------------------------------------------


def a_referral(neighbourhood_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "neighbourhood": neighbourhood_id,
        "situation": "옆집 어르신이 며칠째 안 보이세요.",
        "how_to_reach": "101동 202호",
        "neighbour_knows": False,
        **fields,
    }


def test_a_resident_refers_a_neighbour_of_their_district(client: APIClient, resident: User) -> None:
    next_door = NeighbourhoodFactory.create(district=resident.profile.neighbourhood.district)

    response = client.post(REFER, a_referral(next_door.pk, neighbour_name="김이웃"), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    referral = Referral.objects.get(referrer=resident)
    assert body["id"] == str(referral.public_id)
    assert body["neighbourhood"]["id"] == next_door.pk
    assert body["neighbour_name"] == "김이웃"
    assert body["status"] == "received"


def test_a_neighbourhood_of_another_district_is_refused(client: APIClient) -> None:
    elsewhere = NeighbourhoodFactory.create()

    response = client.post(REFER, a_referral(elsewhere.pk), format="json")

    assert response.status_code == 422
    assert error_fields(response.json()) == {"neighbourhood"}
    assert not Referral.objects.exists()


def test_a_referral_sent_twice_with_its_key_is_made_once(client: APIClient, resident: User) -> None:
    data = a_referral(resident.profile.neighbourhood_id, submission_key=str(uuid.uuid4()))

    first = client.post(REFER, data, format="json")
    again = client.post(REFER, data, format="json")

    assert first.json()["id"] == again.json()["id"]
    assert Referral.objects.count() == 1


def test_an_empty_referral_names_every_missing_answer(client: APIClient) -> None:
    response = client.post(REFER, {}, format="json")

    assert response.status_code == 400
    assert error_fields(response.json()) == {
        "neighbourhood",
        "situation",
        "how_to_reach",
        "neighbour_knows",
    }


def test_referring_needs_a_profile_first() -> None:
    neighbourhood = NeighbourhoodFactory.create()

    response = token_client(UserFactory.create()).post(
        REFER, a_referral(neighbourhood.pk), format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "profile_missing"


def test_the_referrer_sees_what_they_entered_and_the_status_but_not_the_centres_notes(
    client: APIClient, resident: User
) -> None:
    referral = submit_referral(resident, neighbour_name="박이웃")
    Referral.objects.filter(pk=referral.pk).update(
        status=Referral.Status.CONTACTED, contact_note="통화함: 010-9999-0000"
    )

    body = client.get(referral_url(referral), HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["status"] == "contacted"
    assert body["status_words"] == "The community centre has contacted your neighbour."
    assert body["neighbour_name"] == "박이웃"
    assert "010-9999-0000" not in str(body)
    assert "contact_note" not in body
    assert "application" not in body


def test_the_referral_list_costs_the_same_few_queries_however_long_it_is(
    client: APIClient,
    resident: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    for _ in range(25):
        submit_referral(resident)
    submit_referral(make_resident())

    with django_assert_max_num_queries(3):
        response = client.get(REFERRALS, {"page_size": "20", "ordering": "created_at"})

    body = response.json()
    assert body["count"] == 25
    assert len(body["results"]) == 20


def test_a_referral_list_keeps_the_statuses_asked_for(client: APIClient, resident: User) -> None:
    received = submit_referral(resident)
    closed = submit_referral(resident)
    Referral.objects.filter(pk=closed.pk).update(status=Referral.Status.CLOSED)

    rows = client.get(REFERRALS, {"status": "received"}).json()["results"]

    assert [row["id"] for row in rows] == [str(received.public_id)]


def test_areas_are_labelled_in_the_requesters_language(client: APIClient, resident: User) -> None:
    application = submit_application(resident, areas=[Area.HEALTH])

    english = client.get(application_url(application), HTTP_ACCEPT_LANGUAGE="en").json()
    korean = client.get(application_url(application), HTTP_ACCEPT_LANGUAGE="ko").json()

    assert english["area_labels"] == ["Health"]
    assert korean["area_labels"] != english["area_labels"]
