"""Demo data: the three demo logins, their roles, the district's residents and what they join.

Stages, each idempotent by its own rule:

- demo logins (a resident, a coordinator, a district staff member), the resident's profile and
  consents, the two staff roles and groups: created where missing (get-or-create);
- residents (users whose username starts with ``RESIDENT_PREFIX``, each with a profile and
  consents; about 3,900 signed up in the year before the demo year, the rest in it): skipped
  when any such user exists;
- participations in network, health and education projects, of the demo year and of the year
  before: skipped when any project of the demo district has a participation.

Demo residents cannot log in: their password is unusable. Only the three demo logins can.
"""

from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group

from projects.demo import demo_district
from projects.models import District, HouseholdType, Participation, StaffMember, TargetGroup
from welfare_net.demo import DemoContext

from ..models import Consent, ResidentProfile, User
from .participations import seed_participations, served_neighbourhoods
from .people import (
    RESIDENT_PREFIX,
    DemoResident,
    consent_version,
    demo_residents,
    residents_by_neighbourhood,
    seed_residents,
)

__all__ = [
    "DEMO_RESIDENT_USERNAME",
    "DEMO_USERS",
    "RESIDENT_PREFIX",
    "DemoResident",
    "demo_residents",
    "residents_by_neighbourhood",
    "seed",
    "served_neighbourhoods",
]

# (role shown to the user, username, email, first name, is_staff)
DEMO_USERS = [
    ("resident", "resident", "resident@example.com", "김주민", False),
    ("coordinator", "coordinator", "coordinator@example.com", "이복지", False),
    ("staff", "staff", "staff@example.com", "박구청", True),
]
DEMO_RESIDENT_USERNAME = DEMO_USERS[0][1]
DEMO_RESIDENT_NEIGHBOURHOOD = "myeonmok-bon"
COORDINATOR_NEIGHBOURHOODS = ("myeonmok-bon", "myeonmok-2", "myeonmok-3-8")
# The auth group each staff login joins; the groups are created by another app's migration,
# and the step is skipped while they do not exist.
GROUP_OF_LOGIN = {"coordinator": "coordinator", "staff": "district staff"}


def seed(ctx: DemoContext) -> None:
    users = _seed_demo_logins(ctx)
    district = demo_district()
    if district is None:
        return
    _seed_demo_roles(district, users)
    _seed_demo_resident_profile(ctx, district, users["resident"])
    if User.objects.filter(username__startswith=RESIDENT_PREFIX).exists():
        ctx.log("  residents: the demo residents exist, skipped")
    else:
        seed_residents(ctx, district)
    if Participation.objects.filter(project__district=district).exists():
        ctx.log("  participations: the demo district has participations, skipped")
    else:
        seed_participations(ctx, district, users["resident"])


def _seed_demo_logins(ctx: DemoContext) -> dict[str, User]:
    users = {}
    for role, username, email, first_name, is_staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "first_name": first_name, "is_staff": is_staff},
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        elif is_staff and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        # allauth requires a verified address before an email login.
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        ctx.logins.append((role, email, settings.DEMO_PASSWORD))
        users[role] = user
    return users


def _seed_demo_roles(district: District, users: dict[str, User]) -> None:
    coordinator, created = StaffMember.objects.get_or_create(
        user=users["coordinator"],
        defaults={"district": district, "role": StaffMember.Role.COORDINATOR},
    )
    if created:
        coordinator.neighbourhoods.set(
            district.neighbourhoods.filter(code__in=COORDINATOR_NEIGHBOURHOODS)
        )
    StaffMember.objects.get_or_create(
        user=users["staff"], defaults={"district": district, "role": StaffMember.Role.STAFF}
    )
    for login, group_name in GROUP_OF_LOGIN.items():
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            users[login].groups.add(group)


def _seed_demo_resident_profile(ctx: DemoContext, district: District, user: User) -> None:
    """The demo resident: an older neighbour living alone in 면목본동, consents given."""
    neighbourhood = district.neighbourhoods.filter(code=DEMO_RESIDENT_NEIGHBOURHOOD).first()
    if neighbourhood is None or ResidentProfile.objects.filter(user=user).exists():
        return
    profile = ResidentProfile.objects.create(
        user=user,
        neighbourhood=neighbourhood,
        birth_year=ctx.demo_year - 68,
        household_type=HouseholdType.SINGLE_PERSON,
        phone="010-1234-5678",
        notification_channel=ResidentProfile.Channel.EMAIL,
    )
    profile.target_groups.set(TargetGroup.objects.filter(code="older-alone"))
    given_at = ctx.moment(date(ctx.demo_year, 3, 4))
    for kind in (Consent.Kind.PERSONAL, Consent.Kind.NOTIFICATIONS):
        Consent.objects.create(
            user=user, kind=kind, text_version=consent_version(ctx), given_at=given_at
        )
