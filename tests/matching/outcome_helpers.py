"""Helpers for the outcome, referral and notification tests: accepted connections, residents
who want (or do not want) notifications, coordinators of some neighbourhoods."""

import datetime as dt
from typing import Any

from django.utils import timezone

from matching.models import MatchProposal
from matching.services import proposal_accept
from projects.models import Neighbourhood, StaffMember
from residents.models import Consent, ResidentProfile, User
from tests.matching.engine_factories import ProposalFactory, UserFactory


def make_resident(
    *,
    neighbourhood: Neighbourhood | None = None,
    language: str = "ko",
    channel: str = "email",
    notifications_consent: bool = True,
    phone: str = "010-1234-5678",
    **user_fields: Any,
) -> User:
    """A resident with a profile, the personal consent and (by default) the notifications one."""
    user = UserFactory.create(**user_fields)
    if neighbourhood is None:
        from tests.matching.engine_factories import NeighbourhoodFactory

        neighbourhood = NeighbourhoodFactory.create()
    ResidentProfile.objects.create(
        user=user,
        neighbourhood=neighbourhood,
        birth_year=1950,
        phone=phone,
        preferred_language=language,
        notification_channel=channel,
    )
    kinds = [Consent.Kind.PERSONAL]
    if notifications_consent:
        kinds.append(Consent.Kind.NOTIFICATIONS)
    for kind in kinds:
        Consent.objects.create(
            user=user, kind=kind, text_version="2026-01", given_at=timezone.now()
        )
    return user


def make_coordinator(*neighbourhoods: Neighbourhood, **user_fields: Any) -> User:
    user = UserFactory.create(**user_fields)
    member = StaffMember.objects.create(
        user=user, district=neighbourhoods[0].district, role=StaffMember.Role.COORDINATOR
    )
    member.neighbourhoods.set(neighbourhoods)
    return user


def accepted_proposal(*, by: User | None = None, **application_fields: Any) -> MatchProposal:
    """A proposal a coordinator accepted: its application is ``accepted``, one place taken."""
    fields = {f"application__{name}": value for name, value in application_fields.items()}
    proposal = ProposalFactory.create(**fields)
    coordinator = by or make_coordinator(proposal.application.neighbourhood)
    return proposal_accept(proposal=proposal, by=coordinator)


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)
