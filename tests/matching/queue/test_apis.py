"""The coordinator queue's API: who may read and decide which cases, the tabs and filters, the
decisions and their refusals, the access log, and the cost of a page."""

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from matching.models import MatchProposal, Referral, SupportApplication
from matching.services import proposal_accept, referral_record_contact
from projects.models import Neighbourhood, Project
from residents.models import PersonalDataAccess, User
from tests.matching.engine_factories import ProjectFactory, UserFactory

from .helpers import (
    NeighbourhoodFactory,
    application_in,
    coordinator_of,
    proposal_in,
    referral_in,
    staff_of,
    token_client,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
Status = SupportApplication.Status


@dataclass
class World:
    place: Neighbourhood
    proposal: MatchProposal
    referral: Referral
    coordinator: User
    staff: User

    @property
    def application(self) -> SupportApplication:
        return self.proposal.application


@pytest.fixture
def world() -> World:
    place = NeighbourhoodFactory.create()
    return World(
        place=place,
        proposal=proposal_in(place, days_ago=1),
        referral=referral_in(place),
        coordinator=coordinator_of(place),
        staff=staff_of(place.district),
    )


def url(name: str, *args: Any) -> str:
    return reverse(f"api:{name}", args=args)


def case_url(world: World) -> str:
    return url("queue-application-detail", world.application.public_id)


def decide_url(action: str, proposal: MatchProposal) -> str:
    return url(f"proposal-{action}", proposal.pk)


def outcome_url(proposal: MatchProposal) -> str:
    return url("outcome-record", proposal.application.public_id)


def referral_url(action: str, referral: Referral) -> str:
    return url(f"referral-{action}", referral.public_id)


def today() -> str:
    return timezone.localdate().isoformat()


def case_doors(world: World) -> list[tuple[str, str, dict[str, Any]]]:
    """Every door that reads or acts on one case, with a body it would accept."""
    p, r = world.proposal, world.referral
    return [
        ("get", case_url(world), {}),
        ("get", url("queue-referral-detail", r.public_id), {}),
        ("post", decide_url("accept", p), {}),
        ("post", decide_url("reject", p), {"note": "x"}),
        ("post", decide_url("hold", p), {"note": "x"}),
        ("post", decide_url("reassign", p), {"project": str(p.project.public_id)}),
        ("post", outcome_url(p), {"outcome": "delivered", "on": today()}),
        ("post", referral_url("contact", r), {"note": "x"}),
        ("post", referral_url("close", r), {"reason": "x"}),
        ("post", referral_url("convert", r), {"consent": True}),
    ]


# --- Who may read and act -------------------------------------------------------------------

OUTSIDERS = {
    "anonymous": (401, "not_authenticated"),
    "resident": (403, "permission_denied"),
    "coordinator of another neighbourhood": (404, "not_found"),
    "staff of another district": (404, "not_found"),
}


def outsider(who: str, world: World) -> User | None:
    return {
        "anonymous": lambda: None,
        "resident": lambda: UserFactory.create(),
        "coordinator of another neighbourhood": lambda: coordinator_of(
            NeighbourhoodFactory.create(district=world.place.district)
        ),
        "staff of another district": lambda: staff_of(NeighbourhoodFactory.create().district),
    }[who]()


@pytest.mark.parametrize("who", list(OUTSIDERS))
def test_no_one_outside_a_case_reads_or_decides_it_through_any_door(world: World, who: str) -> None:
    client = token_client(outsider(who, world))
    status, code = OUTSIDERS[who]

    for method, address, body in case_doors(world):
        response = getattr(client, method)(address, body, format="json")
        assert (response.status_code, response.json()["code"]) == (status, code), address

    world.proposal.refresh_from_db()
    world.referral.refresh_from_db()
    assert (world.proposal.status, world.referral.status) == ("proposed", "received")
    assert world.application.events.count() == 0
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "resident"])
def test_the_queue_itself_is_closed_to_anonymous_users_and_residents(
    world: World, who: str
) -> None:
    client = token_client(outsider(who, world))

    for address in (url("queue-list"), url("queue-counts")):
        assert client.get(address).status_code == OUTSIDERS[who][0]


@pytest.mark.parametrize(
    "who", ["coordinator of another neighbourhood", "staff of another district"]
)
def test_staff_members_outside_the_case_see_a_queue_without_it(world: World, who: str) -> None:
    client = token_client(outsider(who, world))

    listing = client.get(url("queue-list"))
    counts = client.get(url("queue-counts"))

    assert listing.status_code == counts.status_code == 200
    assert listing.json()["count"] == 0
    assert set(counts.json().values()) == {0}


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_the_coordinator_of_the_neighbourhood_and_the_district_staff_read_every_door(
    world: World, role: str
) -> None:
    client = token_client(getattr(world, role))

    for address in (
        url("queue-list"),
        url("queue-counts"),
        case_url(world),
        url("queue-referral-detail", world.referral.public_id),
    ):
        assert client.get(address).status_code == 200, address


def test_district_staff_decide_too(world: World) -> None:
    response = token_client(world.staff).post(decide_url("accept", world.proposal))

    assert response.status_code == 200
    assert response.json()["status"] == "accepted"


def test_a_coordinator_with_areas_reaches_only_cases_of_those_areas() -> None:
    place = NeighbourhoodFactory.create()
    health = proposal_in(place)
    education = proposal_in(place, application__areas=["education"])
    client = token_client(coordinator_of(place, areas=["education"]))

    rows = client.get(url("queue-list")).json()["results"]

    assert [row["proposal"] for row in rows] == [education.pk]
    detail = url("queue-application-detail", health.application.public_id)
    assert client.get(detail).status_code == 404
    assert client.post(decide_url("accept", health)).status_code == 404


def test_a_session_opens_the_queue_as_well_as_a_token(world: World) -> None:
    client = APIClient()
    client.force_login(world.coordinator)

    assert client.get(url("queue-list")).status_code == 200


def test_a_superuser_without_a_district_has_no_queue(world: World) -> None:
    root = UserFactory.create(is_superuser=True, is_staff=True)

    assert token_client(root).get(url("queue-list")).status_code == 403


# --- The list -------------------------------------------------------------------------------


def test_a_row_shows_who_what_how_urgent_how_long_and_why_the_match(world: World) -> None:
    MatchProposal.objects.filter(pk=world.proposal.pk).update(
        reasons={"rules": ["area", "open"], "score": {"urgency": 40, "waited": 0}}, score=140
    )

    body = token_client(world.coordinator).get(url("queue-list"), HTTP_ACCEPT_LANGUAGE="en")

    [row] = body.json()["results"]
    application, project = world.application, world.proposal.project
    assert row["kind"] == "proposal"
    assert row["id"] == str(application.public_id)
    assert row["proposal"] == world.proposal.pk
    assert row["who"] == application.applicant_name
    assert row["neighbourhood"] == world.place.name
    assert row["areas"] == ["health"]
    assert row["urgency"] == 2
    assert row["waiting_days"] == 1
    assert row["project"] == {
        "id": str(project.public_id),
        "title": project.title,
        "places_left": 10,
    }
    assert row["score"] == 140
    assert row["reasons"]["rules"] == ["the project is in an area of need", "the project is open"]
    assert row["reasons"]["score_parts"] == [{"label": "urgency", "points": 40}]


def test_each_tab_lists_its_own_kind_of_case(world: World) -> None:
    application_in(world.place, unmatched_reason="no_free_place", applicant_name="미매칭")
    application_in(world.place, status=Status.ON_HOLD, applicant_name="보류중")
    application_in(world.place, status=Status.ACCEPTED, applicant_name="연결중")
    client = token_client(world.coordinator)

    def who(tab: str) -> list[str]:
        return [row["who"] for row in client.get(url("queue-list"), {"tab": tab}).json()["results"]]

    assert who("proposals") == [world.application.applicant_name]
    assert who("unmatched") == ["미매칭"]
    assert who("on_hold") == ["보류중"]
    assert who("connections") == ["연결중"]
    referrals = client.get(url("queue-list"), {"tab": "referrals"}).json()["results"]
    assert [(r["kind"], r["id"]) for r in referrals] == [
        ("referral", str(world.referral.public_id))
    ]
    unmatched = client.get(url("queue-list"), {"tab": "unmatched"}).json()["results"][0]
    assert unmatched["unmatched_reason"] == "no_free_place"
    assert client.get(url("queue-counts")).json() == {
        "proposals": 1,
        "unmatched": 1,
        "referrals": 1,
        "connections": 1,
        "on_hold": 1,
    }


def test_the_orders_are_urgency_then_waiting_or_waiting_alone() -> None:
    place = NeighbourhoodFactory.create()
    old_calm = proposal_in(place, days_ago=9, application__urgency=1)
    new_urgent = proposal_in(place, days_ago=0, application__urgency=4)
    mid_urgent = proposal_in(place, days_ago=2, application__urgency=4)
    client = token_client(coordinator_of(place))

    def order(**params: str) -> list[int]:
        return [row["proposal"] for row in client.get(url("queue-list"), params).json()["results"]]

    assert order() == order(ordering="urgency") == [mid_urgent.pk, new_urgent.pk, old_calm.pk]
    assert order(ordering="waiting") == [old_calm.pk, mid_urgent.pk, new_urgent.pk]


def test_the_filters_narrow_the_tab() -> None:
    place = NeighbourhoodFactory.create()
    second = NeighbourhoodFactory.create(district=place.district)
    old = proposal_in(place, days_ago=8)
    mid = proposal_in(place, days_ago=4, application__urgency=4)
    there = proposal_in(second, application__areas=["education"])
    client = token_client(coordinator_of(place, second))

    def shown(**params: Any) -> set[int]:
        response = client.get(url("queue-list"), params)
        assert response.status_code == 200, response.content
        return {row["proposal"] for row in response.json()["results"]}

    assert shown() == {old.pk, mid.pk, there.pk}
    assert shown(neighbourhood=second.pk) == {there.pk}
    assert shown(area="education") == {there.pk}
    assert shown(urgency=4) == {mid.pk}
    assert shown(age="3") == {old.pk, mid.pk}
    assert shown(age="7") == {old.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tab": "everything"}, "tab"),
        ({"neighbourhood": "abc"}, "neighbourhood"),
        ({"urgency": "9"}, "urgency"),
        ({"age": "30"}, "age"),
        ({"ordering": "-urgency"}, "ordering"),
    ],
)
def test_a_wrong_condition_is_a_400_naming_it(
    world: World, params: dict[str, str], field: str
) -> None:
    response = token_client(world.coordinator).get(url("queue-list"), params)

    assert response.status_code == 400
    assert (response.json()["code"], list(response.json()["errors"])) == ("invalid", [field])


def test_a_neighbourhood_outside_the_coordinators_is_not_a_choice(world: World) -> None:
    foreign = NeighbourhoodFactory.create(district=world.place.district)

    response = token_client(world.coordinator).get(url("queue-list"), {"neighbourhood": foreign.pk})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["neighbourhood"]


def test_a_page_of_the_list_logs_one_access_per_person_it_shows(world: World) -> None:
    for index in range(4):
        proposal_in(world.place, days_ago=index)
    client = token_client(world.coordinator)

    client.get(url("queue-list"), {"page_size": 3})
    client.get(url("queue-list"), {"tab": "referrals"})
    client.get(url("queue-list"), {"tab": "on_hold"})  # nobody shown, nothing logged

    rows = PersonalDataAccess.objects.all()
    assert rows.count() == 4
    assert {(r.viewer_id, r.view_name, r.reason) for r in rows} == {
        (world.coordinator.pk, "api:queue-list", PersonalDataAccess.Reason.CASE_REVIEW)
    }
    assert rows.filter(subject_referral_id=world.referral.pk).count() == 1


# --- A case ---------------------------------------------------------------------------------


def test_a_case_shows_the_person_the_proposals_with_reasons_the_timeline_and_options(
    world: World,
) -> None:
    other = ProjectFactory.create(district=world.place.district, title="다른 사업")
    ProjectFactory.create(district=world.place.district, area="education")  # not eligible
    token_client(world.coordinator).post(
        decide_url("hold", world.proposal), {"note": "연락 중"}, format="json"
    )

    body = token_client(world.coordinator).get(case_url(world), HTTP_ACCEPT_LANGUAGE="en").json()

    application = body["application"]
    assert application["id"] == str(world.application.public_id)
    assert application["applicant_name"] == world.application.applicant_name
    assert application["status"] == "on_hold"
    assert application["household_type"] == "single_person"
    assert application["neighbourhood"]["id"] == world.place.pk
    assert body["waiting_proposal"] == world.proposal.pk
    assert body["accepted_proposal"] is None
    [proposal] = body["proposals"]
    assert (proposal["id"], proposal["status"], proposal["score"]) == (
        world.proposal.pk,
        "proposed",
        200,
    )
    assert set(proposal["reasons"]) == {"rules", "score_parts"}
    [event] = body["timeline"]
    assert (event["from_status"], event["to_status"], event["note"]) == (
        "proposed",
        "on_hold",
        "연락 중",
    )
    assert event["by"] == world.coordinator.get_full_name()
    assert [option["project"]["id"] for option in body["reassign_options"]] == [
        str(other.public_id)
    ]


def test_opening_a_case_writes_one_row_in_the_personal_data_access_log(world: World) -> None:
    token_client(world.coordinator).get(case_url(world))

    row = PersonalDataAccess.objects.get()
    assert (row.viewer, row.subject_application_id, row.view_name, row.reason) == (
        world.coordinator,
        world.application.pk,
        "api:queue-application-detail",
        PersonalDataAccess.Reason.CASE_REVIEW,
    )


def test_opening_a_referral_writes_one_row_in_the_personal_data_access_log(world: World) -> None:
    body = token_client(world.coordinator).get(
        url("queue-referral-detail", world.referral.public_id)
    )

    assert body.json()["how_to_reach"] == "010-0000-0000"
    row = PersonalDataAccess.objects.get()
    assert (row.subject_referral_id, row.view_name, row.reason) == (
        world.referral.pk,
        "api:queue-referral-detail",
        PersonalDataAccess.Reason.REFERRAL_CONTACT,
    )


def test_an_unknown_case_or_proposal_is_not_found(world: World) -> None:
    client = token_client(world.coordinator)

    assert client.get(url("queue-application-detail", world.referral.public_id)).status_code == 404
    assert client.post(decide_url("accept", MatchProposal(pk=10**12))).status_code == 404
    assert client.post(f"/api/queue/proposals/{10**30}/accept/").status_code == 404


# --- Decisions ------------------------------------------------------------------------------


def test_accepting_takes_a_place_and_answers_with_the_decision(world: World) -> None:
    response = token_client(world.coordinator).post(
        decide_url("accept", world.proposal), {"note": "좋아요"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["decision_note"]) == (
        world.proposal.pk,
        "accepted",
        "좋아요",
    )
    assert body["application"]["status"] == "accepted"
    assert body["project"]["places_left"] == 9


def test_accepting_an_already_decided_proposal_is_a_409_and_changes_nothing(
    world: World,
) -> None:
    client = token_client(world.coordinator)
    client.post(decide_url("accept", world.proposal))

    again = client.post(decide_url("accept", world.proposal))

    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"
    assert again.json()["errors"] == {}
    world.proposal.project.refresh_from_db()
    assert world.proposal.project.places_taken == 1


def test_accepting_when_the_project_is_full_is_a_409_and_the_case_goes_back_to_matching() -> None:
    proposal = proposal_in(NeighbourhoodFactory.create(), project__capacity=1)
    Project.objects.filter(pk=proposal.project_id).update(places_taken=1)
    client = token_client(coordinator_of(proposal.application.neighbourhood))

    response = client.post(decide_url("accept", proposal))

    assert response.status_code == 409
    # Korean expected: "남은 자리가 없어 제안이 만료되었습니다. ..." (the website's message)
    assert response.json()["code"] == "no_free_place"
    proposal.refresh_from_db()
    proposal.application.refresh_from_db()
    assert (proposal.status, proposal.application.status) == ("expired", Status.PENDING)


def test_rejecting_needs_a_reason_and_sends_the_case_back_to_matching(world: World) -> None:
    client = token_client(world.coordinator)

    without = client.post(decide_url("reject", world.proposal), {"note": " "}, format="json")
    missing = client.post(decide_url("reject", world.proposal), {}, format="json")
    world.proposal.refresh_from_db()
    assert world.proposal.status == "proposed"
    with_reason = client.post(
        decide_url("reject", world.proposal), {"note": "이미 지원 받음"}, format="json"
    )

    for refused in (without, missing):
        assert refused.status_code == 400
        assert list(refused.json()["errors"]) == ["note"]
    assert with_reason.status_code == 200
    assert with_reason.json()["status"] == "rejected"
    assert with_reason.json()["application"]["status"] == "pending"


def test_holding_moves_the_case_on_hold_and_it_can_still_be_accepted(world: World) -> None:
    client = token_client(world.coordinator)

    held = client.post(decide_url("hold", world.proposal), {"note": "연락 기다림"}, format="json")
    counts = client.get(url("queue-counts")).json()
    accepted = client.post(decide_url("accept", world.proposal))

    assert (held.status_code, held.json()["application"]["status"]) == (200, "on_hold")
    assert (counts["proposals"], counts["on_hold"]) == (0, 1)
    assert (accepted.status_code, accepted.json()["status"]) == (200, "accepted")


def test_reassigning_connects_the_case_to_another_eligible_project(world: World) -> None:
    other = ProjectFactory.create(district=world.place.district, title="다른 사업")
    ineligible = ProjectFactory.create(district=world.place.district, area="education")
    client = token_client(world.coordinator)

    refused = client.post(
        decide_url("reassign", world.proposal),
        {"project": str(ineligible.public_id)},
        format="json",
    )
    unknown = client.post(
        decide_url("reassign", world.proposal), {"project": "not-a-uuid"}, format="json"
    )
    done = client.post(
        decide_url("reassign", world.proposal),
        {"project": str(other.public_id), "note": "가까운 곳"},
        format="json",
    )

    for response in (refused, unknown):
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["project"]
    assert done.status_code == 200
    new = MatchProposal.objects.get(application=world.application, project=other)
    assert (done.json()["id"], done.json()["status"]) == (new.pk, "accepted")
    world.proposal.refresh_from_db()
    assert world.proposal.status == "expired"


# --- Outcomes -------------------------------------------------------------------------------


def test_recording_delivery_counts_the_connection_once(world: World) -> None:
    proposal_accept(proposal=world.proposal, by=world.coordinator)
    client = token_client(world.coordinator)
    answers = {"outcome": "delivered", "on": today(), "note": "전달 완료"}

    first = client.post(outcome_url(world.proposal), answers, format="json")
    again = client.post(
        outcome_url(world.proposal), {**answers, "outcome": "declined"}, format="json"
    )

    assert first.status_code == 200
    assert (first.json()["status"], first.json()["outcome"]) == ("delivered", "delivered")
    assert again.status_code == 409
    assert again.json()["code"] == "outcome_recorded"
    world.application.refresh_from_db()
    assert world.application.outcome == "delivered"
    assert world.application.events.filter(to_status="delivered").count() == 1


def test_the_outcome_of_a_case_not_yet_accepted_is_a_409(world: World) -> None:
    response = token_client(world.coordinator).post(
        outcome_url(world.proposal), {"outcome": "delivered", "on": today()}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_accepted"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"outcome": "delivered"}, "on"),
        ({"outcome": "delivered", "on": "yesterday"}, "on"),
        ({"outcome": "delivered", "on": "2999-01-01"}, "on"),
        ({"outcome": "teleported", "on": "2026-01-01"}, "outcome"),
    ],
)
def test_an_outcome_without_a_good_date_or_kind_is_a_400_naming_it(
    world: World, answers: dict[str, str], field: str
) -> None:
    proposal_accept(proposal=world.proposal, by=world.coordinator)

    response = token_client(world.coordinator).post(
        outcome_url(world.proposal), answers, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    world.application.refresh_from_db()
    assert world.application.status == Status.ACCEPTED


# --- Referrals ------------------------------------------------------------------------------

CONVERT = {
    "consent": True,
    "applicant_name": "김이웃",
    "contact_phone": "010-1111-2222",
    "areas": ["network"],
    "description": "안부 확인이 필요합니다",
    "urgency": 3,
}


def test_a_referral_is_contacted_then_made_an_application_with_the_neighbours_consent(
    world: World,
) -> None:
    client = token_client(world.coordinator)
    referral = world.referral

    early = client.post(referral_url("convert", referral), CONVERT, format="json")
    contact = client.post(referral_url("contact", referral), {"note": "통화함"}, format="json")
    no_consent = client.post(
        referral_url("convert", referral), {**CONVERT, "consent": False}, format="json"
    )
    made = client.post(referral_url("convert", referral), CONVERT, format="json")
    twice = client.post(referral_url("convert", referral), CONVERT, format="json")

    assert (early.status_code, early.json()["code"]) == (409, "not_contacted")
    assert (contact.status_code, contact.json()["status"]) == (200, "contacted")
    assert (no_consent.status_code, list(no_consent.json()["errors"])) == (400, ["consent"])
    assert made.status_code == 201
    application = SupportApplication.objects.get(referral=referral)
    assert made.json()["application"]["id"] == str(application.public_id)
    assert (application.applicant, application.applicant_name, application.urgency) == (
        None,
        "김이웃",
        3,
    )
    assert application.consent_text_version == "2026-01"
    assert (twice.status_code, twice.json()["code"]) == (409, "already_converted")


def test_closing_a_referral_needs_a_reason_and_then_it_cannot_change(world: World) -> None:
    client = token_client(world.coordinator)
    referral = world.referral

    without = client.post(referral_url("close", referral), {"reason": ""}, format="json")
    closed = client.post(referral_url("close", referral), {"reason": "이사 감"}, format="json")
    contact = client.post(referral_url("contact", referral), {"note": "x"}, format="json")

    assert (without.status_code, list(without.json()["errors"])) == (400, ["reason"])
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert (contact.status_code, contact.json()["code"]) == (409, "already_decided")


def test_a_referral_whose_application_is_open_cannot_be_closed(world: World) -> None:
    client = token_client(world.coordinator)
    referral_record_contact(referral=world.referral, by=world.coordinator, note="")
    client.post(referral_url("convert", world.referral), CONVERT, format="json")

    response = client.post(referral_url("close", world.referral), {"reason": "x"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "application_open")


# --- Costs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", ["proposals", "unmatched", "referrals", "connections", "on_hold"])
def test_every_tab_costs_the_same_few_queries_with_500_cases(
    django_assert_max_num_queries: DjangoAssertNumQueries, tab: str
) -> None:
    place = NeighbourhoodFactory.create()
    project = ProjectFactory.create(district=place.district, capacity=1000)
    user = coordinator_of(place)
    for index in range(100):
        proposal_in(place, project=project, days_ago=index % 10)
        application_in(place, unmatched_reason="no_eligible_project")
        application_in(place, status=Status.ON_HOLD)
        accepted = proposal_in(place, project=project)
        MatchProposal.objects.filter(pk=accepted.pk).update(status="accepted")
        SupportApplication.objects.filter(pk=accepted.application_id).update(status="accepted")
        referral_in(place)
    client = token_client(user)

    # Token, staff member, neighbourhoods, count, the page (+ its live proposals), access log.
    with django_assert_max_num_queries(7):
        response = client.get(url("queue-list"), {"tab": tab, "page_size": "50"})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 50


def test_the_counts_and_a_case_cost_a_fixed_number_of_queries(
    django_assert_max_num_queries: DjangoAssertNumQueries, world: World
) -> None:
    for _ in range(30):
        ProjectFactory.create(district=world.place.district)
    client = token_client(world.coordinator)

    # Token, staff member, neighbourhoods, three counts.
    with django_assert_max_num_queries(6):
        assert client.get(url("queue-counts")).status_code == 200
    # As the website's case page, whatever the number of projects it could go to.
    with django_assert_max_num_queries(15):
        case = client.get(case_url(world))
    assert len(case.json()["reassign_options"]) == 30


# --- Two coordinators at once ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_of_two_coordinators_accepting_the_last_place_at_once_the_loser_gets_a_409() -> None:
    place = NeighbourhoodFactory.create()
    project = ProjectFactory.create(district=place.district, capacity=1)
    proposals = [proposal_in(place, project=project) for _ in range(2)]
    clients = [token_client(coordinator_of(place)) for _ in range(2)]
    barrier = threading.Barrier(2)
    answers: list[tuple[int, str]] = []

    def accept(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            response = clients[index].post(decide_url("accept", proposals[index]))
            answers.append((response.status_code, response.json().get("code", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(answers) == [(200, ""), (409, "no_free_place")]
    project.refresh_from_db()
    assert project.places_taken == 1


def test_dates_in_the_answers_are_iso_and_aware(world: World) -> None:
    body = token_client(world.coordinator).post(decide_url("accept", world.proposal)).json()

    decided = dt.datetime.fromisoformat(body["decided_at"])
    assert decided.tzinfo is not None
