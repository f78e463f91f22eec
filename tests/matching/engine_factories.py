"""Factories for the matching engine's tests: districts, projects, pending applications.

The model factories live in ``tests/factories.py``; this module re-exports them, with an
open whole-district health project as the engine tests' project."""

import datetime as dt

import factory
from django.utils import timezone

from matching.models import MatchProposal, SupportApplication
from projects.models import Area, SupportType, TargetGroup
from tests import factories as base

__all__ = [
    "ApplicationFactory",
    "DistrictFactory",
    "MatchRunFactory",
    "NeighbourhoodFactory",
    "OrganisationFactory",
    "ProjectFactory",
    "ProposalFactory",
    "UserFactory",
    "target_group",
]

ApplicationFactory = base.SupportApplicationFactory
DistrictFactory = base.DistrictFactory
MatchRunFactory = base.MatchRunFactory
NeighbourhoodFactory = base.NeighbourhoodFactory
OrganisationFactory = base.OrganisationFactory
UserFactory = base.UserFactory


class ProjectFactory(base.ProjectFactory):
    """An open whole-district health project with ten free places, started a month ago."""

    open_ended = True
    title = factory.Sequence(lambda n: f"Project {n}")
    area = Area.HEALTH
    support_type = SupportType.HEALTH_CARE
    whole_district = True
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


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
