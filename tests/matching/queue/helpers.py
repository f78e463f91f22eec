"""Staff members and cases for the queue's tests (on top of the engine's factories)."""

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from rest_framework.test import APIClient

from matching.models import MatchProposal, Referral, SupportApplication
from projects.models import District, Neighbourhood, StaffMember
from residents.models import User
from residents.services import auth_token_issue
from tests.matching.engine_factories import (
    ApplicationFactory,
    NeighbourhoodFactory,
    ProposalFactory,
    UserFactory,
)


def coordinator_of(*neighbourhoods: Neighbourhood, areas: list[str] | None = None) -> User:
    user = UserFactory.create(first_name="담당", last_name="김")
    member = StaffMember.objects.create(
        user=user,
        district=neighbourhoods[0].district,
        role=StaffMember.Role.COORDINATOR,
        areas=areas or [],
    )
    member.neighbourhoods.set(neighbourhoods)
    return user


def staff_of(district: District) -> User:
    user = UserFactory.create(is_staff=True)
    StaffMember.objects.create(user=user, district=district, role=StaffMember.Role.STAFF)
    return user


def proposal_in(neighbourhood: Neighbourhood, *, days_ago: int = 0, **fields: Any) -> MatchProposal:
    return ProposalFactory.create(
        application__neighbourhood=neighbourhood,
        application__submitted_at=timezone.now() - dt.timedelta(days=days_ago),
        project__district=neighbourhood.district,
        **fields,
    )


def application_in(
    neighbourhood: Neighbourhood, *, days_ago: int = 0, **fields: Any
) -> SupportApplication:
    return ApplicationFactory.create(
        neighbourhood=neighbourhood,
        submitted_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )


def referral_in(neighbourhood: Neighbourhood, **fields: Any) -> Referral:
    return Referral.objects.create(
        referrer=UserFactory.create(),
        district=neighbourhood.district,
        neighbourhood=neighbourhood,
        situation="혼자 지내세요",
        how_to_reach="010-0000-0000",
        neighbour_knows=True,
        submission_key=uuid.uuid4(),
        **fields,
    )


def token_client(user: User | None) -> APIClient:
    """An API client as an app sends requests: with the user's token (none: anonymous)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {auth_token_issue(user=user)}")
    return client


__all__ = [
    "NeighbourhoodFactory",
    "application_in",
    "coordinator_of",
    "proposal_in",
    "referral_in",
    "staff_of",
    "token_client",
]
