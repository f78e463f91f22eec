"""Factories for the matching engine's tests: districts, projects, pending applications."""

import datetime as dt
import uuid
from typing import Any

import factory
from django.utils import timezone

from matching.models import MatchProposal, MatchRun, SupportApplication
from projects.models import District, Neighbourhood, Organisation, Project, TargetGroup
from residents.models import User


class DistrictFactory(factory.django.DjangoModelFactory[District]):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"구{n}")
    code = factory.Sequence(lambda n: f"district-{n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory[Neighbourhood]):
    class Meta:
        model = Neighbourhood

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"동{n}")
    code = factory.Sequence(lambda n: f"dong-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.WELFARE_CENTRE


class ProjectFactory(factory.django.DjangoModelFactory[Project]):
    """An open whole-district health project with ten free places, started a month ago."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, district=factory.SelfAttribute("..district")
    )
    title = factory.Sequence(lambda n: f"Project {n}")
    area = "health"
    support_type = "health_care"
    whole_district = True
    capacity = 10
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    status = Project.Status.OPEN

    @factory.post_generation
    def neighbourhoods(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.neighbourhoods.set(extracted)

    @factory.post_generation
    def target_groups(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.target_groups.set(extracted)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")


class ApplicationFactory(factory.django.DjangoModelFactory[SupportApplication]):
    """A pending application for health support, submitted today, in its own neighbourhood."""

    class Meta:
        model = SupportApplication
        skip_postgeneration_save = True

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    district = factory.SelfAttribute("neighbourhood.district")
    areas = factory.LazyFunction(lambda: ["health"])
    urgency = 2
    description = "Help, please."
    applicant_name = factory.Sequence(lambda n: f"Applicant {n}")
    birth_year = 1950
    household_type = "single_person"
    submitted_at = factory.LazyFunction(timezone.now)
    submission_key = factory.LazyFunction(uuid.uuid4)

    @factory.post_generation
    def target_groups(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.target_groups.set(extracted)


class MatchRunFactory(factory.django.DjangoModelFactory[MatchRun]):
    class Meta:
        model = MatchRun

    district = factory.SubFactory(DistrictFactory)
    started_at = factory.LazyFunction(timezone.now)
    status = MatchRun.Status.SUCCEEDED


class ProposalFactory(factory.django.DjangoModelFactory[MatchProposal]):
    """A proposal waiting for a coordinator; its application is in the proposed state."""

    class Meta:
        model = MatchProposal

    application = factory.SubFactory(ApplicationFactory, status=SupportApplication.Status.PROPOSED)
    project = factory.SubFactory(
        ProjectFactory, district=factory.SelfAttribute("..application.district")
    )
    run = factory.SubFactory(MatchRunFactory, district=factory.SelfAttribute("..project.district"))
    score = 200
    reasons = factory.LazyFunction(dict)


def target_group(code: str) -> TargetGroup:
    """A target group by code (the data migration's rows are gone after a transactional test)."""
    group, _ = TargetGroup.objects.get_or_create(code=code, defaults={"name": code})
    return group
