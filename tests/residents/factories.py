"""Factories for the residents tests, and minimal stand-ins for the district, project and
staff factories that ``tests/factories.py`` (built on another branch) will provide; the
donations and talents tests use these too until then."""

import datetime
from typing import Any

import factory
from django.contrib.auth.models import Permission

from projects.models import (
    Area,
    District,
    Neighbourhood,
    Organisation,
    Project,
    StaffMember,
    SupportType,
    TargetGroup,
)
from residents.models import Consent, ResidentProfile, User


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"resident{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = factory.Sequence(lambda n: f"주민{n}")
    password = factory.django.Password("secret-password")


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"구{n}")
    code = factory.Sequence(lambda n: f"gu{n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory[Neighbourhood]):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"동{n}")
    code = factory.Sequence(lambda n: f"dong{n}")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"복지관{n}")
    kind = Organisation.Kind.WELFARE_CENTRE


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    class Meta:
        model = Project

    district = factory.SubFactory(DistrictFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, district=factory.SelfAttribute("..district")
    )
    title = factory.Sequence(lambda n: f"나눔 사업 {n}")
    area = Area.DONATION
    support_type = SupportType.GOODS
    capacity = 100
    starts_on = datetime.date(2026, 1, 1)
    status = Project.Status.OPEN


class TargetGroupFactory(factory.django.DjangoModelFactory[TargetGroup]):
    class Meta:
        model = TargetGroup

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"대상 {n}")


class ResidentProfileFactory(factory.django.DjangoModelFactory[ResidentProfile]):
    class Meta:
        model = ResidentProfile

    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    birth_year = 1950


class ConsentFactory(factory.django.DjangoModelFactory[Consent]):
    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    kind = Consent.Kind.PERSONAL
    text_version = "2026-01"
    given_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    )


def district_staff_user(district: District, *permissions: str, **user_fields: Any) -> User:
    """A district staff member (is_staff, StaffMember role staff) holding the given model
    permissions, named ``app_label.codename``."""
    user = UserFactory.create(is_staff=True, **user_fields)
    StaffMember.objects.create(user=user, district=district, role=StaffMember.Role.STAFF)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user
