"""Factories for the public project pages' tests (districts, projects, residents).

The factories themselves live in ``tests/factories.py``; this module re-exports them, with
these tests' own defaults where they differ: everything happens in one district, 중랑구."""

import datetime as dt

import factory

from projects.models import Area, Participation, Project, SupportType
from tests import factories as base

__all__ = [
    "DistrictFactory",
    "NeighbourhoodFactory",
    "OrganisationFactory",
    "ParticipationFactory",
    "ProjectFactory",
    "ResidentProfileFactory",
    "TargetGroupFactory",
    "UserFactory",
]

TargetGroupFactory = base.TargetGroupFactory


class DistrictFactory(base.DistrictFactory):
    code = "jungnang"
    name = "중랑구"
    name_en = "Jungnang-gu"


class NeighbourhoodFactory(base.NeighbourhoodFactory):
    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"테스트{n}동")
    name_en = factory.Sequence(lambda n: f"Test {n}-dong")


class OrganisationFactory(base.OrganisationFactory):
    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"나눔복지관 {n}")
    phone = "02-123-4567"


class ProjectFactory(base.ProjectFactory):
    """An open network service project for twenty, March to December 2026."""

    district = factory.SubFactory(DistrictFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, district=factory.SelfAttribute("..district")
    )
    description = "이웃과 함께하는 사업입니다."
    area = Area.NETWORK
    support_type = SupportType.SERVICE
    capacity = 20
    ends_on = dt.date(2026, 12, 31)
    apply_by = dt.date(2026, 11, 30)
    status = Project.Status.OPEN


class UserFactory(base.UserFactory):
    username = factory.Sequence(lambda n: f"resident{n}")


class ResidentProfileFactory(base.ResidentProfileFactory):
    user = factory.SubFactory(UserFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class ParticipationFactory(base.ParticipationFactory):
    resident = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = Participation.Role.VOLUNTEER
    started_on = dt.date(2026, 3, 2)
