"""Demo data: residents' donation pledges to the district's donation projects, in the demo
year and, fewer, in the year before (to that year's projects, by residents signed up by then).

Pledges are ``pledged`` or ``cancelled`` only: receiving a pledge issues a receipt, which is
the donations service's job, never the demo's. The stage is skipped when any project of the
demo district has a pledge, so a second run, with any scale and seed, changes nothing.
"""

from datetime import date

from projects.demo import demo_district
from projects.models import Area, Project, SupportType
from residents.demo import DEMO_RESIDENT_USERNAME, DemoResident, demo_residents
from residents.models import ResidentProfile
from welfare_net.demo import DemoContext, keep_timestamps

from .models import DonationPledge

PLEDGES = {"district-year": 3_000, "small": 30}
# (pledges, donors) in the previous year's projects.
PREVIOUS_YEAR_PLEDGES = {"district-year": (1_750, 1_400), "small": (6, 4)}
BATCH = 2000
# Money pledges in won: small gifts most often, a few large ones.
AMOUNTS = [
    (10_000, 24),
    (20_000, 14),
    (30_000, 18),
    (50_000, 20),
    (100_000, 12),
    (150_000, 2),
    (200_000, 5),
    (300_000, 3),
    (500_000, 2),
]
# Goods a project asks for, found by a word of its title; (description, largest quantity).
GOODS_BY_TITLE_WORD = {
    "김장": [("김장김치 10kg", 3), ("절임배추 20kg", 5), ("고춧가루 1kg", 5)],
    "쌀": [("쌀 10kg", 5), ("쌀 20kg", 3)],
    "이불": [("겨울 이불", 5), ("내복 세트", 10), ("전기장판", 3)],
    "명절": [("명절 선물 세트", 5), ("식용유 세트", 10), ("사과 한 상자", 3)],
    "반찬": [("밑반찬 세트", 10), ("김 선물 세트", 10)],
    "생리용품": [("생리대 한 상자", 10)],
    "선풍기": [("선풍기", 2), ("쿨매트", 5)],
    "빵": [("식빵", 20), ("빵 꾸러미", 10)],
}
GENERAL_GOODS = [
    ("라면 한 상자", 10),
    ("즉석밥 한 상자", 5),
    ("생수 2L 6병 묶음", 10),
    ("화장지 30롤", 5),
    ("참치 통조림 세트", 10),
    ("아동 학용품 세트", 10),
]


def seed(ctx: DemoContext) -> None:
    district = demo_district()
    if district is None:
        return
    if DonationPledge.objects.filter(project__district=district).exists():
        ctx.log("  pledges: the demo district has pledges, skipped")
        return
    rng = ctx.rng
    every_project = list(
        Project.objects.filter(district=district, area=Area.DONATION)
        .exclude(status=Project.Status.DRAFT)
        .order_by("pk")
    )
    demo_year_start = date(ctx.demo_year, 1, 1)
    projects = [p for p in every_project if p.ends_on is None or p.ends_on >= demo_year_start]
    # Donors are grown-ups.
    residents = [r for r in demo_residents(ctx, district) if r.age >= 25]
    if not projects or not residents:
        return
    donors = ctx.newcomers_first(
        ctx.demo_year,
        [r.user_id for r in residents],
        round(PLEDGES[ctx.scale] * 0.75),
        lambda user_id: user_id,
    )
    # Every donor gives once, some again.
    givers = donors + rng.choices(donors, k=max(0, PLEDGES[ctx.scale] - len(donors)))
    weights = [p.capacity * rng.uniform(0.3, 1.7) for p in projects]
    pledges = [
        _pledge(ctx, project, donor_id)
        for project, donor_id in zip(
            rng.choices(projects, weights, k=len(givers)), givers, strict=True
        )
    ]
    demo_pledge = _demo_resident_pledge(ctx, projects)
    if demo_pledge is not None:
        pledges.append(demo_pledge)
    earlier = [p for p in every_project if p.ends_on is not None and p.ends_on < demo_year_start]
    pledges += _previous_year_pledges(ctx, earlier, residents)
    for pledge in pledges:
        ctx.note_taking_part(pledge.created_at.year, [pledge.donor_id])
    with keep_timestamps(DonationPledge):
        DonationPledge.objects.bulk_create(pledges, batch_size=BATCH)
    ctx.log(f"  pledges: {len(pledges)} to {len(every_project)} donation projects")


def _previous_year_pledges(
    ctx: DemoContext, projects: list[Project], residents: list[DemoResident]
) -> list[DonationPledge]:
    """Each donor of the previous year gives once to a project that ran after they signed up;
    some give again."""
    rng = ctx.rng
    count, donors_wanted = PREVIOUS_YEAR_PLEDGES[ctx.scale]
    joined = {r.user_id: r.joined_on for r in residents if r.joined_on.year == ctx.previous_year}
    if not projects or not joined:
        return []
    donors = ctx.newcomers_first(ctx.previous_year, list(joined), donors_wanted, lambda u: u)
    donors += rng.choices(donors, k=max(0, count - len(donors)))
    weights = [p.capacity * rng.uniform(0.3, 1.7) for p in projects]
    pledges = []
    for donor_id in donors:
        after = [
            (p, w)
            for p, w in zip(projects, weights, strict=True)
            if p.ends_on is not None and p.ends_on >= joined[donor_id]
        ]
        if after:
            project = rng.choices([p for p, _ in after], [w for _, w in after])[0]
            pledges.append(_pledge(ctx, project, donor_id, joined_on=joined[donor_id]))
    return pledges


def _pledge(
    ctx: DemoContext,
    project: Project,
    donor_id: int,
    *,
    kind: str = "",
    amount: int = 0,
    joined_on: date | None = None,
) -> DonationPledge:
    """A pledge to ``project`` while it ran (and, given ``joined_on``, after the donor signed
    up)."""
    rng = ctx.rng
    if not kind:
        goods_share = 0.4 if project.support_type == SupportType.GOODS else 0.02
        kind = DonationPledge.Kind.GOODS if rng.random() < goods_share else "money"
    last = min(project.ends_on or ctx.today, date(ctx.demo_year, 12, 31))
    if project.status == Project.Status.OPEN and rng.random() < 0.1:
        last = ctx.today  # open projects still take pledges this year
    first = max(project.starts_on, min(joined_on or project.starts_on, last))
    pledged_on = ctx.day_between(first, max(first, last))
    stamp = ctx.moment(pledged_on)
    pledge = DonationPledge(
        donor_id=donor_id,
        project=project,
        kind=kind,
        status=(
            DonationPledge.Status.CANCELLED
            if rng.random() < 0.06
            else DonationPledge.Status.PLEDGED
        ),
        anonymous=rng.random() < 0.15,
        created_at=stamp,
        updated_at=stamp,
    )
    if kind == DonationPledge.Kind.GOODS:
        choices = next(
            (goods for word, goods in GOODS_BY_TITLE_WORD.items() if word in project.title),
            GENERAL_GOODS,
        )
        pledge.goods_description, most = rng.choice(choices)
        pledge.goods_quantity = rng.randint(1, most)
    else:
        pledge.amount_won = amount or ctx.weighted(AMOUNTS)
    return pledge


def _demo_resident_pledge(ctx: DemoContext, projects: list[Project]) -> DonationPledge | None:
    """The demo resident gives 30,000 won to an open project of their neighbourhood."""
    profile = ResidentProfile.objects.filter(user__username=DEMO_RESIDENT_USERNAME).first()
    if profile is None:
        return None
    near = Project.objects.filter(pk__in=[p.pk for p in projects], status=Project.Status.OPEN)
    project = (
        near.filter(neighbourhoods=profile.neighbourhood_id).order_by("pk").first()
        or near.filter(whole_district=True).order_by("pk").first()
    )
    if project is None:
        return None
    pledge = _pledge(ctx, project, profile.user_id, kind=DonationPledge.Kind.MONEY, amount=30_000)
    pledge.status = DonationPledge.Status.PLEDGED
    pledge.anonymous = False
    return pledge
