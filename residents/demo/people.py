"""The demo residents: users with a profile and consents, spread like the district's people."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from projects.demo import FAMILY_NAMES, GIVEN_NAMES, POPULATION_THOUSANDS
from projects.models import District, HouseholdType, TargetGroup
from welfare_net.demo import SEOUL, DemoContext, keep_timestamps

from ..models import Consent, ResidentProfile, User

RESIDENT_PREFIX = "demo-resident-"
RESIDENT_EMAIL_DOMAIN = "residents.jungnang-gu.example"
RESIDENTS = {"district-year": 14_200, "small": 60}
# Of them, those who signed up in the platform's first year, the year before the demo year.
PREVIOUS_YEAR_RESIDENTS = {"district-year": 3_920, "small": 16}
BATCH = 2000

H = HouseholdType
# Age bands of the residents who sign up: older than the district as a whole.
AGE_BANDS = [
    ((14, 18), 3),
    ((19, 29), 10),
    ((30, 39), 11),
    ((40, 49), 14),
    ((50, 59), 18),
    ((60, 69), 20),
    ((70, 79), 16),
    ((80, 94), 8),
]
# Household types by the lower bound of the age band.
HOUSEHOLDS_BY_AGE: dict[int, list[tuple[str, float]]] = {
    14: [(H.WITH_CHILDREN, 60), (H.SINGLE_PARENT, 25), (H.MULTI_GENERATION, 15)],
    19: [(H.SINGLE_PERSON, 45), (H.OTHER, 25), (H.COUPLE, 10), (H.WITH_CHILDREN, 10),
         (H.MULTI_GENERATION, 10)],
    30: [(H.SINGLE_PERSON, 30), (H.COUPLE, 20), (H.WITH_CHILDREN, 40), (H.SINGLE_PARENT, 7),
         (H.OTHER, 3)],
    40: [(H.SINGLE_PERSON, 18), (H.COUPLE, 12), (H.WITH_CHILDREN, 55), (H.SINGLE_PARENT, 10),
         (H.MULTI_GENERATION, 5)],
    50: [(H.SINGLE_PERSON, 20), (H.COUPLE, 35), (H.WITH_CHILDREN, 30), (H.SINGLE_PARENT, 6),
         (H.MULTI_GENERATION, 9)],
    60: [(H.SINGLE_PERSON, 28), (H.COUPLE, 50), (H.WITH_CHILDREN, 7), (H.MULTI_GENERATION, 12),
         (H.OTHER, 3)],
    70: [(H.SINGLE_PERSON, 40), (H.COUPLE, 45), (H.MULTI_GENERATION, 15)],
    80: [(H.SINGLE_PERSON, 50), (H.COUPLE, 30), (H.MULTI_GENERATION, 20)],
}  # fmt: skip
PHONE = "010-{:04d}-{:04d}"


@dataclass(frozen=True)
class DemoResident:
    """What the later stages need to know of a demo resident, without loading the models."""

    user_id: int
    neighbourhood_id: int
    age: int
    household_type: str
    joined_on: date  # in Seoul


def consent_version(ctx: DemoContext, year: int | None = None) -> str:
    return f"{year or ctx.demo_year}-01"


def seed_residents(ctx: DemoContext, district: District) -> None:
    rng = ctx.rng
    neighbourhoods = list(district.neighbourhoods.order_by("pk"))
    weights = [POPULATION_THOUSANDS.get(n.code, 20) for n in neighbourhoods]
    groups = {g.code: g.pk for g in TargetGroup.objects.all()}
    # An unusable password (Django's "!" prefix), drawn from the seeded generator.
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    # Sign-ups grew through the year (participants grew 3.7 times): later months weigh more.
    months = [(month, 1 + 2.7 * (month - 1) / 11) for month in range(1, 13)]
    numbers = range(1, RESIDENTS[ctx.scale] + 1)
    earlier = set(rng.sample(numbers, PREVIOUS_YEAR_RESIDENTS[ctx.scale]))
    users: list[User] = []
    profiles: list[ResidentProfile] = []
    declared: list[list[str]] = []
    for number in range(1, RESIDENTS[ctx.scale] + 1):
        (low, high) = ctx.weighted(AGE_BANDS)
        age = rng.randint(low, high)
        birth_year = ctx.demo_year - age
        household = "" if rng.random() < 0.03 else ctx.weighted(HOUSEHOLDS_BY_AGE[low])
        family = ctx.weighted(FAMILY_NAMES)
        decade = min(max((birth_year // 10) * 10, 1930), 2000)
        if decade == 1940:
            decade = rng.choice([1930, 1950])
        month = ctx.weighted(months)
        year = ctx.previous_year if number in earlier else ctx.demo_year
        joined_on = ctx.day_between(date(year, month, 1), _month_end(year, month))
        joined = ctx.moment(joined_on)
        users.append(
            User(
                username=f"{RESIDENT_PREFIX}{number:05d}",
                email=f"resident{number:05d}@{RESIDENT_EMAIL_DOMAIN}",
                first_name=rng.choice(GIVEN_NAMES[decade]),
                last_name=family,
                password="!" + "".join(rng.choices(alphabet, k=40)),
                date_joined=joined,
            )
        )
        codes = _declared_groups(ctx, age, household)
        declared.append(codes)
        channel = ctx.weighted(
            [("sms", 70), ("email", 15), ("none", 15)]
            if age >= 70
            else [("email", 60), ("sms", 35), ("none", 5)]
        )
        profiles.append(
            ResidentProfile(
                neighbourhood=rng.choices(neighbourhoods, weights)[0],
                birth_year=birth_year,
                household_type=household,
                phone=PHONE.format(rng.randint(2000, 9999), rng.randint(0, 9999)),
                preferred_language=(
                    "en" if "multicultural" in codes and rng.random() < 0.3 else "ko"
                ),
                notification_channel=channel,
                created_at=joined,
                updated_at=joined,
            )
        )
    User.objects.bulk_create(users, batch_size=BATCH)
    consents: list[Consent] = []
    for user, profile, codes in zip(users, profiles, declared, strict=True):
        profile.user_id = user.pk
        given = user.date_joined
        # The consent text of the year they signed up in.
        version = consent_version(ctx, given.year)
        # Disability is sensitive: declaring it needs the separate consent.
        kinds = [Consent.Kind.PERSONAL]
        if "disability" in codes:
            kinds.append(Consent.Kind.SENSITIVE)
        consents += [
            Consent(
                user_id=user.pk,
                kind=kind,
                text_version=version,
                given_at=given,
                created_at=given,
                updated_at=given,
            )
            for kind in kinds
        ]
    with keep_timestamps(ResidentProfile, Consent):
        ResidentProfile.objects.bulk_create(profiles, batch_size=BATCH)
        Consent.objects.bulk_create(consents, batch_size=BATCH)
    through = ResidentProfile.target_groups.through
    through.objects.bulk_create(
        [
            through(residentprofile_id=profile.pk, targetgroup_id=groups[code])
            for profile, codes in zip(profiles, declared, strict=True)
            for code in codes
            if code in groups
        ],
        batch_size=BATCH,
    )
    ctx.log(f"  residents: {len(users)} residents, {len(consents)} consents")


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _declared_groups(ctx: DemoContext, age: int, household: str) -> list[str]:
    """The target groups a resident of this age and household says they belong to."""
    chance = ctx.rng.random
    codes = []
    if age >= 65 and household == H.SINGLE_PERSON and chance() < 0.7:
        codes.append("older-alone")
    if household == H.SINGLE_PERSON and chance() < 0.35:
        codes.append("single-person")
    if household == H.SINGLE_PARENT and chance() < 0.7:
        codes.append("single-parent")
    poverty = chance()
    basic = 0.06 + 0.06 * (age >= 65) + 0.1 * (household == H.SINGLE_PARENT)
    if poverty < basic:
        codes.append("basic-livelihood")
    elif poverty < basic + 0.05:
        codes.append("near-poor")
    if chance() < (0.09 if age >= 65 else 0.04):
        codes.append("disability")
    if 25 <= age <= 55 and chance() < 0.05:
        codes.append("multicultural")
    if age < 19 and chance() < 0.8:
        codes.append("children-youth")
    if 19 <= age <= 39 and household == H.SINGLE_PERSON and chance() < 0.12:
        codes.append("isolated-young-adult")
    if chance() < 0.03:
        codes.append("crisis")
    return codes


def demo_residents(ctx: DemoContext, district: District) -> list[DemoResident]:
    """The demo residents of the district, in a stable order (by user id); ages in the demo
    year."""
    rows = (
        ResidentProfile.objects.filter(
            neighbourhood__district=district, user__username__startswith=RESIDENT_PREFIX
        )
        .order_by("user_id")
        .values_list(
            "user_id", "neighbourhood_id", "birth_year", "household_type", "user__date_joined"
        )
    )
    return [
        DemoResident(u, n, ctx.demo_year - b, h, j.astimezone(SEOUL).date())
        for u, n, b, h, j in rows
    ]


def residents_by_neighbourhood(
    residents: Sequence[DemoResident],
) -> dict[int, list[DemoResident]]:
    by_neighbourhood: dict[int, list[DemoResident]] = defaultdict(list)
    for resident in residents:
        by_neighbourhood[resident.neighbourhood_id].append(resident)
    return by_neighbourhood
