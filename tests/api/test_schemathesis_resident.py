"""schemathesis against the API's own OpenAPI document, as a logged-in resident with a token:
whatever an app sends, no answer is a server error, and every answer is one the document
promises. The resident has a profile, consents and a record of every kind, so the doors
below /api/me/ answer with real rows, not only with 404.

Bounded: a few examples an operation (about forty operations), no deadline per example, so
the whole file stays around a minute on a shared machine.
"""

import uuid
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.utils import timezone
from hypothesis import HealthCheck, settings

from donations.services import pledge_mark_received
from projects.models import Project
from residents.models import Consent, User
from residents.services import auth_token_issue
from surveys.models import Survey
from talents.models import TalentOffer
from tests.api.test_schemathesis import CHECKS
from tests.api.test_schemathesis import public_data as public_data  # the fixture, reused
from tests.donations.factories import MoneyPledgeFactory
from tests.matching.factories import make_resident, submit_application, submit_referral
from tests.surveys.factories import invitation_for, survey_with_questions

MAX_EXAMPLES = 8


@pytest.fixture
def resident(public_data: list[Project]) -> User:
    """A resident of the district of ``public_data``'s open project, with a record of every
    kind the resident's doors show."""
    project = public_data[0]
    user = make_resident(neighbourhood=project.neighbourhoods.first())
    Consent.objects.create(
        user=user, kind=Consent.Kind.NOTIFICATIONS, text_version="2026-01", given_at=timezone.now()
    )
    submit_application(user, areas=["health"], submission_key=uuid.uuid4())
    submit_referral(user)
    TalentOffer.objects.create(resident=user, category="repairs", description="전등 수리")
    pledge_mark_received(pledge=MoneyPledgeFactory.create(donor=user, project=project))
    survey = survey_with_questions(district=project.district)
    follow_up = survey_with_questions(district=project.district, kind=Survey.Kind.FOLLOW_UP)
    invitation_for(user, follow_up)
    assert survey.pk
    return user


def as_resident(user: User) -> dict[str, str]:
    return {"Authorization": f"Token {auth_token_issue(user=user)}"}


@pytest.fixture
def resident_schema(wsgi_app: WSGIHandler, resident: User) -> Any:
    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    loaded.config.generation.update(max_examples=MAX_EXAMPLES)
    return loaded


schema = schemathesis.pytest.from_fixture("resident_schema")


@schema.include(path_regex="^/api/me/").parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_answer_to_a_resident_is_a_server_error_or_outside_the_schema(
    case: Any, resident: User
) -> None:
    case.call_and_validate(checks=CHECKS, headers=as_resident(resident))


def real_ids(user: User) -> dict[str, dict[str, str]]:
    """The path parameters of the resident's own rows, by path (generated ids are almost
    never real ones)."""
    application = user.support_applications.get()
    return {
        "/api/me/applications/{public_id}/": {"public_id": str(application.public_id)},
        "/api/me/referrals/{public_id}/": {"public_id": str(user.referrals.get().public_id)},
        "/api/me/talent-offers/{id}/": {"id": str(user.talent_offers.get().pk)},
        "/api/me/pledges/{id}/": {"id": str(user.donation_pledges.get().pk)},
        "/api/me/receipts/{id}/": {"id": str(user.donation_pledges.get().receipt.pk)},
        "/api/me/surveys/{id}/": {"id": str(Survey.objects.get(kind="yearly").pk)},
        "/api/me/follow-ups/{id}/": {"id": str(user.survey_invitations.get().pk)},
    }


def test_the_answers_about_the_residents_own_rows_match_the_schema_too(
    resident_schema: Any, resident: User
) -> None:
    for path, parameters in real_ids(resident).items():
        case = resident_schema[path]["GET"].Case(path_parameters=parameters)

        response = case.call_and_validate(checks=CHECKS, headers=as_resident(resident))

        assert response.status_code == 200, path


def test_withdrawing_a_real_application_and_offer_matches_the_schema(
    resident_schema: Any, resident: User
) -> None:
    ids = real_ids(resident)
    for path, body in (
        ("/api/me/applications/{public_id}/withdraw/", {"body": {"reason": "이사"}}),
        ("/api/me/talent-offers/{id}/withdraw/", {}),  # it takes no body
    ):
        parameters = ids[path.removesuffix("withdraw/")]
        case = resident_schema[path]["POST"].Case(path_parameters=parameters, **body)

        response = case.call_and_validate(checks=CHECKS, headers=as_resident(resident))

        assert response.status_code == 200, path
