"""Small factories for the matching tests: residents with a profile and consent, projects,
and the rows My page lists."""

import datetime
import uuid
from typing import Any

import factory
from django.utils import timezone

from donations.models import DonationPledge, DonationReceipt
from matching import services
from matching.models import Referral, SupportApplication
from projects.models import Area, District, Neighbourhood, Organisation, Participation, Project
from residents.models import Consent, ResidentProfile, User
from talents.models import TalentOffer


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"중랑구{n}")
    code = factory.Sequence(lambda n: f"district-{n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory[Neighbourhood]):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"면목{n}동")
    code = factory.Sequence(lambda n: f"myeonmok-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"복지관 {n}")
    kind = Organisation.Kind.WELFARE_CENTRE


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    district = factory.SubFactory(DistrictFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, district=factory.SelfAttribute("..district")
    )
    title = factory.Sequence(lambda n: f"반찬 나눔 {n}")
    area = Area.DONATION
    support_type = "goods"
    whole_district = True
    capacity = 10
    starts_on = datetime.date(2026, 1, 1)
    status = Project.Status.OPEN


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

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
    ResidentProfile.objects.create(
        user=user,
        neighbourhood=neighbourhood or NeighbourhoodFactory.create(),
        birth_year=1950,
        household_type="single_person",
        phone=phone,
    )
    if consent:
        Consent.objects.create(
            user=user,
            kind=Consent.Kind.PERSONAL,
            text_version="2026-01",
            given_at=timezone.now(),
        )
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
    return Participation.objects.create(
        resident=user,
        project=project,
        role=Participation.Role.VOLUNTEER,
        started_on=datetime.date(2026, 2, 1),
    )
