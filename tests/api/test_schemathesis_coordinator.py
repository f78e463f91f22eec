"""schemathesis against the queue's and the staff's doors, as a coordinator with a token:
whatever it sends, no answer is a server error and every answer is one the document promises.

The coordinator has cases in their neighbourhood (a proposal, an accepted connection, a
referral); generated ids almost never hit them, so the real ids are tried below as well.
Bounded: a few examples an operation, about a minute on a shared machine.
"""

from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone
from hypothesis import HealthCheck, settings

from matching.models import MatchProposal, Referral
from matching.services import proposal_accept
from projects.models import Project
from residents.models import User
from residents.services import auth_token_issue
from tests.factories import MatchRunFactory, StaffMemberFactory
from tests.matching.engine_factories import ProjectFactory
from tests.matching.queue.helpers import (
    NeighbourhoodFactory,
    coordinator_of,
    proposal_in,
    referral_in,
)

from .test_schemathesis import CHECKS

MAX_EXAMPLES = 12
# The doors a coordinator uses, and the staff's (which answer them 403).
PATHS = r"^/api/(queue|staff)/"


@dataclass
class Desk:
    coordinator: User
    headers: dict[str, str]
    waiting: MatchProposal
    accepted: MatchProposal
    referral: Referral
    other: Project


@pytest.fixture
def desk(db: None) -> Desk:
    place = NeighbourhoodFactory.create()
    coordinator = coordinator_of(place)
    accepted = proposal_in(place, days_ago=5)
    proposal_accept(proposal=accepted, by=coordinator)
    token = auth_token_issue(user=coordinator)
    return Desk(
        coordinator=coordinator,
        headers={"Authorization": f"Token {token}"},
        waiting=proposal_in(place, days_ago=2, application__urgency=4),
        accepted=accepted,
        referral=referral_in(place, neighbour_name="이웃분"),
        other=ProjectFactory.create(district=place.district, title="다른 사업"),
    )


@pytest.fixture
def api_schema(wsgi_app: WSGIHandler, desk: Desk) -> Any:
    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    loaded.config.generation.update(max_examples=MAX_EXAMPLES)
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=PATHS)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_answer_to_a_coordinator_is_a_server_error_or_outside_the_schema(
    case: Any, desk: Desk
) -> None:
    case.call_and_validate(headers=desk.headers, checks=CHECKS)


def test_the_answers_about_real_cases_match_the_schema(api_schema: Any, desk: Desk) -> None:
    application = str(desk.accepted.application.public_id)
    reads: list[tuple[str, dict[str, str], dict[str, str]]] = [
        ("/api/queue/", {}, {"tab": tab})
        for tab in ("proposals", "unmatched", "referrals", "connections", "on_hold")
    ] + [
        ("/api/queue/counts/", {}, {}),
        ("/api/queue/applications/{public_id}/", {"public_id": application}, {}),
        (
            "/api/queue/applications/{public_id}/",
            {"public_id": str(desk.waiting.application.public_id)},
            {},
        ),
        ("/api/queue/referrals/{public_id}/", {"public_id": str(desk.referral.public_id)}, {}),
    ]
    for path, path_parameters, query in reads:
        case = api_schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
        response = case.call_and_validate(headers=desk.headers, checks=CHECKS)
        assert response.status_code == 200, (path, query)


TODAY = "today"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/queue/proposals/{id}/hold/", {"note": "연락 기다림"}, 200),
        ("/api/queue/proposals/{id}/accept/", {}, 200),
        ("/api/queue/proposals/{id}/accept/", {}, 409),  # accepted just before
        ("/api/queue/proposals/{id}/reject/", {"note": ""}, 400),
        ("/api/queue/proposals/{id}/reassign/", {"project": "other"}, 200),
        (
            "/api/queue/applications/{public_id}/outcome/",
            {"outcome": "delivered", "on": TODAY},
            200,
        ),
        ("/api/queue/applications/{public_id}/outcome/", {"outcome": "delivered"}, 400),
        ("/api/queue/referrals/{public_id}/contact/", {"note": "통화함"}, 200),
        ("/api/queue/referrals/{public_id}/close/", {"reason": ""}, 400),
        ("/api/queue/referrals/{public_id}/convert/", {"consent": True}, 400),
    ],
)
def test_the_answers_to_real_decisions_match_the_schema(
    api_schema: Any, desk: Desk, path: str, body: dict[str, Any], status: int
) -> None:
    case_id = (
        desk.referral.public_id if "referrals" in path else desk.accepted.application.public_id
    )
    parameters: dict[str, Any] = {"id": desk.waiting.pk} if "{id}" in path else {}
    if "{public_id}" in path:
        parameters["public_id"] = str(case_id)
    body = {
        name: str(desk.other.public_id)
        if value == "other"
        else timezone.localdate().isoformat()
        if value == TODAY
        else value
        for name, value in body.items()
    }
    operation = api_schema[path]["POST"]
    if status == 409:
        proposal_accept(proposal=desk.waiting, by=desk.coordinator)

    case = operation.Case(path_parameters=parameters, body=body, media_type="application/json")
    response = case.call_and_validate(headers=desk.headers, checks=CHECKS)

    assert response.status_code == status, response.text


def test_the_staffs_answers_match_the_schema_too(api_schema: Any, desk: Desk) -> None:
    district = desk.other.district
    staff = StaffMemberFactory.create(district=district).user
    headers = {"Authorization": f"Token {auth_token_issue(user=staff)}"}
    MatchRunFactory.create(district=district)
    draft = ProjectFactory.create(district=district, status=Project.Status.DRAFT, ends_on=None)
    new = {
        "organisation": str(draft.organisation.public_id),
        "title": "새 사업",
        "area": "health",
        "support_type": "service",
        "capacity": 5,
        "starts_on": "2026-04-01",
        "contact_email": "",
    }
    at = {"public_id": draft.public_id}
    calls = [
        ("/api/staff/projects/", "POST", {}, new, 201),
        ("/api/staff/projects/", "POST", {}, {**new, "capacity": -1}, 400),
        ("/api/staff/projects/{public_id}/", "PATCH", at, new, 200),
        ("/api/staff/projects/{public_id}/open/", "POST", at, None, 200),
        ("/api/staff/projects/{public_id}/open/", "POST", at, None, 400),  # already open
        ("/api/staff/projects/{public_id}/close/", "POST", at, None, 200),
        ("/api/staff/match-runs/", "GET", {}, None, 200),
        ("/api/staff/match-runs/start/", "POST", {}, {}, 202),
    ]
    for path, method, parameters, body, status in calls:
        extra = {"body": body, "media_type": "application/json"} if body is not None else {}
        case = api_schema[path][method].Case(
            path_parameters={k: str(v) for k, v in parameters.items()}, **extra
        )
        with mock.patch("matching.tasks.match_district.apply_async"):
            response = case.call_and_validate(headers=headers, checks=CHECKS)
        assert response.status_code == status, (path, response.text)
