"""Two districts, each with neighbourhoods and an organisation, and a logged-in staff client
for the first: what the admin tests of projects start from."""

from dataclasses import dataclass

import pytest
from django.test import Client

from projects.models import District, Neighbourhood, Organisation, StaffMember
from residents.models import User
from tests.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    StaffMemberFactory,
    UserFactory,
)


@dataclass
class Place:
    district: District
    neighbourhoods: list[Neighbourhood]
    organisation: Organisation


def _place(code: str, name: str, dongs: list[tuple[str, str]], organisation: str) -> Place:
    district = DistrictFactory.create(code=code, name=name)
    return Place(
        district=district,
        neighbourhoods=[
            NeighbourhoodFactory.create(district=district, code=dong_code, name=dong_name)
            for dong_code, dong_name in dongs
        ],
        organisation=OrganisationFactory.create(district=district, name=organisation),
    )


@pytest.fixture
def jungnang(db: None) -> Place:
    return _place(
        "jungnang",
        "중랑구",
        [("myeonmok-bon", "면목본동"), ("sangbong-1", "상봉1동"), ("mangu-bon", "망우본동")],
        "중랑구립 복지관",
    )


@pytest.fixture
def nowon(db: None) -> Place:
    return _place(
        "nowon",
        "노원구",
        [("sanggye-1", "상계1동"), ("junggye-1", "중계1동")],
        "노원 나눔센터",
    )


@pytest.fixture
def staff_member(jungnang: Place) -> StaffMember:
    return StaffMemberFactory.create(district=jungnang.district, user__username="jungnang-staff")


@pytest.fixture
def staff_client(client: Client, staff_member: StaffMember) -> Client:
    client.force_login(staff_member.user)
    return client


@pytest.fixture
def superuser_client(client: Client, db: None) -> Client:
    user: User = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client
