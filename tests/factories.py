"""factory-boy factories shared by the whole suite. Simple and deterministic: sequences and
fixed dates, no randomness, so a failing test fails the same way every time.

Call ``XFactory.create(...)`` (typed: returns the model) rather than ``XFactory(...)``.
"""

import datetime
import uuid
from typing import Any

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from matching.models import MatchRun, Notification, SupportApplication
from projects.models import (
    Area,
    District,
    Neighbourhood,
    Organisation,
    Participation,
    Project,
    StaffMember,
    SupportType,
    TargetGroup,
)
from residents.models import Consent, ResidentProfile, User

START = datetime.date(2026, 3, 1)


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code: Any = factory.Sequence(lambda n: f"district-{n}")
    name: Any = factory.Sequence(lambda n: f"자치구{n}")
    name_en: Any = factory.Sequence(lambda n: f"District {n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory[Neighbourhood]):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"dong-{n}")
    name = factory.Sequence(lambda n: f"{n}동")
    name_en: Any = factory.Sequence(lambda n: f"Dong {n}")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"복지관 {n}")
    kind = Organisation.Kind.WELFARE_CENTRE


class TargetGroupFactory(factory.django.DjangoModelFactory[TargetGroup]):
    class Meta:
        model = TargetGroup

    code = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"대상{n}")
    name_en: Any = factory.Sequence(lambda n: f"Group {n}")


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    """A draft project (``open_ended=True``: open, no end); pass ``neighbourhoods=[...]`` or
    ``target_groups=[...]`` to serve them."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    class Params:
        # ``open_ended=True``: open, with no end, no deadline and no description.
        open_ended = factory.Trait(
            status=Project.Status.OPEN, description="", ends_on=None, apply_by=None
        )

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
    starts_on: Any = START
    ends_on: Any = START + datetime.timedelta(days=90)
    apply_by: Any = START + datetime.timedelta(days=30)
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


class ResidentProfileFactory(factory.django.DjangoModelFactory[ResidentProfile]):
    class Meta:
        model = ResidentProfile

    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    birth_year = 1950


class ConsentFactory(factory.django.DjangoModelFactory[Consent]):
    """The personal-information consent, given on 5 January 2026."""

    class Meta:
        model = Consent

    user = factory.SubFactory(UserFactory)
    kind = Consent.Kind.PERSONAL
    text_version = "2026-01"
    given_at = factory.LazyFunction(
        lambda: datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    )


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


class SupportApplicationFactory(factory.django.DjangoModelFactory[SupportApplication]):
    """A pending application for health support, submitted now, in its own neighbourhood."""

    class Meta:
        model = SupportApplication
        skip_postgeneration_save = True

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    district = factory.SelfAttribute("neighbourhood.district")
    areas = factory.LazyFunction(lambda: [Area.HEALTH.value])
    urgency = 2
    description = "Help, please."
    applicant_name = factory.Sequence(lambda n: f"Applicant {n}")
    birth_year = 1950
    household_type = "single_person"
    submitted_at = factory.LazyFunction(timezone.now)
    submission_key = factory.LazyFunction(uuid.uuid4)

    @factory.post_generation
    def target_groups(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.target_groups.set(extracted)


class MatchRunFactory(factory.django.DjangoModelFactory[MatchRun]):
    class Meta:
        model = MatchRun

    district = factory.SubFactory(DistrictFactory)
    started_at = factory.LazyFunction(timezone.now)
    status = MatchRun.Status.SUCCEEDED


class NotificationFactory(factory.django.DjangoModelFactory[Notification]):
    """A text message sent to a neighbour without an account, about an application."""

    class Meta:
        model = Notification

    district = factory.SubFactory(DistrictFactory)
    kind = Notification.Kind.REFERRAL_CONVERTED
    channel = Notification.Channel.SMS
    object_key = factory.Sequence(str)
    recipient = factory.Sequence(lambda n: f"phone:010-1234-{n:04d}")
    subject = ""
    body = factory.Sequence(lambda n: f"Neighbour {n}, the community centre applied for you.")
    sent_at = factory.LazyFunction(timezone.now)
