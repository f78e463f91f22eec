"""Small factories for the matching tests: residents with a profile and consent, projects,
and the rows My page lists. The model factories live in ``tests/factories.py``; these
subclasses keep the matching tests' own defaults where they differ."""

import datetime
import uuid
from typing import Any

import factory
from django.utils import timezone

from donations.models import DonationPledge, DonationReceipt
from matching import services
from matching.models import Referral, SupportApplication
from projects.models import Area, Neighbourhood, Participation, Project
from residents.models import User
from talents.models import TalentOffer
from tests import factories as base

NeighbourhoodFactory = base.NeighbourhoodFactory


class ProjectFactory(base.ProjectFactory):
    """An open whole-district donation project for ten, from 1 January 2026, no end."""

    open_ended = True
    title = factory.Sequence(lambda n: f"반찬 나눔 {n}")
    whole_district = True
    starts_on = datetime.date(2026, 1, 1)


class UserFactory(base.UserFactory):
    username = factory.Sequence(lambda n: f"resident{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "길동"
    last_name = "홍"


def make_resident(
    *,
    neighbourhood: Neighbourhood | None = None,
    consent: bool = True,
    phone: str = "010-1234-5678",
    **user_fields: Any,
) -> User:
    """A user with a resident profile and, unless told otherwise, the personal consent."""
    user = UserFactory.create(**user_fields)
    base.ResidentProfileFactory.create(
        user=user,
        neighbourhood=neighbourhood or NeighbourhoodFactory.create(),
        household_type="single_person",
        phone=phone,
    )
    if consent:
        base.ConsentFactory.create(user=user, given_at=timezone.now())
    return user


def submit_application(user: User, **fields: Any) -> SupportApplication:
    data: dict[str, Any] = {
        "areas": [Area.DONATION],
        "description": "반찬이 필요합니다",
        "submission_key": uuid.uuid4(),
    }
    data.update(fields)
    return services.application_submit(applicant=user, **data)


def submit_referral(user: User, **fields: Any) -> Referral:
    data: dict[str, Any] = {
        "neighbourhood_id": user.profile.neighbourhood_id,
        "situation": "혼자 사시는 어르신이 며칠째 보이지 않습니다",
        "how_to_reach": "101동 202호",
        "neighbour_knows": False,
        "submission_key": uuid.uuid4(),
    }
    data.update(fields)
    return services.referral_submit(referrer=user, **data)


def make_pledge_with_receipt(
    user: User, *, project: Project, amount: int = 50_000
) -> DonationPledge:
    pledge = DonationPledge.objects.create(
        donor=user,
        project=project,
        kind=DonationPledge.Kind.MONEY,
        amount_won=amount,
        status=DonationPledge.Status.RECEIVED,
        received_at=timezone.now(),
    )
    serial = DonationReceipt.objects.count() + 1
    DonationReceipt.objects.create(
        pledge=pledge,
        district=project.district,
        year=2026,
        serial=serial,
        number=f"2026-{project.district.code}-{serial:06d}",
        issued_on=datetime.date(2026, 3, 4),
        amount_won=amount,
        donor_name=user.get_full_name(),
        organisation_name=project.organisation.name,
        organisation=project.organisation,
    )
    return pledge


def make_talent_offer(user: User, **fields: Any) -> TalentOffer:
    data: dict[str, Any] = {
        "category": TalentOffer.Category.REPAIRS,
        "description": "전등, 수도꼭지 고쳐 드립니다",
    }
    data.update(fields)
    return TalentOffer.objects.create(resident=user, **data)


def make_participation(user: User, *, project: Project) -> Participation:
    return base.ParticipationFactory.create(
        resident=user,
        project=project,
        role=Participation.Role.VOLUNTEER,
        started_on=datetime.date(2026, 2, 1),
    )
