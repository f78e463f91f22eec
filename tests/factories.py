"""factory-boy factories shared by the whole suite. Simple and deterministic: sequences and
fixed dates, no randomness, so a failing test fails the same way every time.

Call ``XFactory.create(...)`` (typed: returns the model) rather than ``XFactory(...)``.
"""

import datetime
from typing import Any

import factory
from django.contrib.auth.models import Group

from projects.models import (
    Area,
    District,
    Neighbourhood,
    Organisation,
    Participation,
    Project,
    StaffMember,
    SupportType,
)
from residents.models import User

START = datetime.date(2026, 3, 1)


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"자치구{n}")
    name_en = factory.Sequence(lambda n: f"District {n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory[Neighbourhood]):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"dong-{n}")
    name = factory.Sequence(lambda n: f"{n}동")
    name_en = factory.Sequence(lambda n: f"Dong {n}")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"복지관 {n}")
    kind = Organisation.Kind.WELFARE_CENTRE


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    """A draft project; pass ``neighbourhoods=[...]`` or ``target_groups=[...]`` to serve them."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, district=factory.SelfAttribute("..district")
    )
    title = factory.Sequence(lambda n: f"나눔사업 {n}")
    description = "이웃과 함께하는 나눔사업입니다."
    area = Area.DONATION
    support_type = SupportType.GOODS
    capacity = 10
    places_taken = 0
    starts_on = START
    ends_on = START + datetime.timedelta(days=90)
    apply_by = START + datetime.timedelta(days=30)
    status = Project.Status.DRAFT

    @factory.post_generation
    def neighbourhoods(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.neighbourhoods.set(extracted)

    @factory.post_generation
    def target_groups(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.target_groups.set(extracted)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("welfare-test-password")


class StaffMemberFactory(factory.django.DjangoModelFactory[StaffMember]):
    """District staff by default: an ``is_staff`` user in the "district staff" group (the
    group comes from the roles migration). ``role=StaffMember.Role.COORDINATOR`` puts the
    user in "coordinator" instead."""

    class Meta:
        model = StaffMember
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, is_staff=True)
    district = factory.SubFactory(DistrictFactory)
    role = StaffMember.Role.STAFF

    @factory.post_generation
    def groups(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        name = "coordinator" if obj.role == StaffMember.Role.COORDINATOR else "district staff"
        obj.user.groups.add(*(extracted or [Group.objects.get(name=name)]))

    @factory.post_generation
    def neighbourhoods(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.neighbourhoods.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory[Participation]):
    class Meta:
        model = Participation

    resident = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = Participation.Role.PARTICIPANT
    status = Participation.Status.ACTIVE
    started_on = START
