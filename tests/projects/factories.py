"""Factories for the public project pages' tests (districts, projects, residents)."""

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from projects.models import (
    Area,
    District,
    Neighbourhood,
    Organisation,
    Participation,
    Project,
    SupportType,
    TargetGroup,
)
from residents.models import ResidentProfile, User


class DistrictFactory(DjangoModelFactory[District]):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = "jungnang"
    name = "중랑구"
    name_en = "Jungnang-gu"


class NeighbourhoodFactory(DjangoModelFactory[Neighbourhood]):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"dong-{n}")
    name = factory.Sequence(lambda n: f"테스트{n}동")
    name_en = factory.Sequence(lambda n: f"Test {n}-dong")


class TargetGroupFactory(DjangoModelFactory[TargetGroup]):
    class Meta:
        model = TargetGroup

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"대상{n}")
    name_en = factory.Sequence(lambda n: f"Group {n}")


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"나눔복지관 {n}")
    kind = Organisation.Kind.WELFARE_CENTRE
    phone = "02-123-4567"


class ProjectFactory(DjangoModelFactory[Project]):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, district=factory.SelfAttribute("..district")
    )
    title = factory.Sequence(lambda n: f"나눔사업 {n}")
    description = "이웃과 함께하는 사업입니다."
    area = Area.NETWORK
    support_type = SupportType.SERVICE
    capacity = 20
    starts_on = dt.date(2026, 3, 1)
    ends_on = dt.date(2026, 12, 31)
    apply_by = dt.date(2026, 11, 30)
    status = Project.Status.OPEN

    @factory.post_generation
    def neighbourhoods(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.neighbourhoods.set(extracted)

    @factory.post_generation
    def target_groups(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.target_groups.set(extracted)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"resident{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("welfare-test-pass")


class ResidentProfileFactory(DjangoModelFactory[ResidentProfile]):
    class Meta:
        model = ResidentProfile

    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    birth_year = 1950


class ParticipationFactory(DjangoModelFactory[Participation]):
    class Meta:
        model = Participation

    resident = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = Participation.Role.VOLUNTEER
    started_on = dt.date(2026, 3, 2)
