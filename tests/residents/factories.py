"""Factories for the residents tests (the donations, talents and end-to-end tests use them too).

The factories themselves live in ``tests/factories.py``; this module re-exports them, with
the residents tests' own defaults where they differ."""

import datetime
from typing import Any

import factory
from django.contrib.auth.models import Permission

from projects.models import District, StaffMember
from residents.models import User
from tests import factories as base

DistrictFactory = base.DistrictFactory
NeighbourhoodFactory = base.NeighbourhoodFactory
OrganisationFactory = base.OrganisationFactory

__all__ = [
    "ConsentFactory",
    "DistrictFactory",
    "NeighbourhoodFactory",
    "OrganisationFactory",
    "ProjectFactory",
    "ResidentProfileFactory",
    "TargetGroupFactory",
    "UserFactory",
    "district_staff_user",
]


class UserFactory(base.UserFactory):
    username = factory.Sequence(lambda n: f"resident{n}")
    first_name = factory.Sequence(lambda n: f"주민{n}")


class ProjectFactory(base.ProjectFactory):
    """An open donation project with a hundred places, from 1 January 2026, no end."""

    open_ended = True
    title = factory.Sequence(lambda n: f"나눔 사업 {n}")
    capacity = 100
    starts_on = datetime.date(2026, 1, 1)


class TargetGroupFactory(base.TargetGroupFactory):
    name = factory.Sequence(lambda n: f"대상 {n}")
    name_en = ""


class ResidentProfileFactory(base.ResidentProfileFactory):
    user = factory.SubFactory(UserFactory)


class ConsentFactory(base.ConsentFactory):
    user = factory.SubFactory(UserFactory)


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
