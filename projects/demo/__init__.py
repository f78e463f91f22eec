"""Demo data: the model district, Jungnang-gu, its neighbourhoods, providers and projects.

Dates. The demo year is the calendar year before today's (``ctx.demo_year``): the data reads as
the district's first full year on the platform, the year domain.md's figures describe. Closed
projects ran inside the demo year; open and paused ones started in it and run on to the end of
this year (or have no end), so every open project is in its period today and matching can use
it. Every one of them was registered (``created_at``) during the demo year, so "projects
registered" that year counts them all. A few drafts, entered in the last weeks and not yet
published, are being prepared to start in the coming weeks.

The year before (``ctx.previous_year``), the platform's first, registered fewer projects: 181
against the demo year's 347 (domain.md: +91.7%). They ran and closed in that year. Providers
were registered in the weeks before it began.

Idempotence. The district and its neighbourhoods are created where missing. Organisations and
projects are one stage, run only while the demo district has no project (organisations already
there by name are reused), so a second run, with any scale and seed, changes nothing. To load
another scale, start from an empty database.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from welfare_net.demo import DemoContext, keep_timestamps

from ..models import District, Neighbourhood, Organisation, Project, TargetGroup
from .catalogue import (
    COMMUNITY_CENTRE_SUFFIX,
    FAMILY_NAMES,
    GIVEN_NAMES,
    ORGANISATIONS,
    POPULATION_THOUSANDS,
    PROJECTS_PER_AREA,
    ROADS,
    TEMPLATES,
    ProjectTemplate,
)

__all__ = [
    "DEMO_DISTRICT",
    "FAMILY_NAMES",
    "GIVEN_NAMES",
    "JUNGNANG_NEIGHBOURHOODS",
    "POPULATION_THOUSANDS",
    "TEMPLATES",
    "demo_district",
    "seed",
]

DEMO_DISTRICT = {"code": "jungnang", "name": "중랑구", "name_en": "Jungnang-gu"}

# (code, Korean name, English name): the administrative dongs of domain.md, in the order they
# lie on the map, so neighbours in this list are neighbours on the ground.
JUNGNANG_NEIGHBOURHOODS = [
    ("myeonmok-bon", "면목본동", "Myeonmok-bon-dong"),
    ("myeonmok-2", "면목2동", "Myeonmok 2-dong"),
    ("myeonmok-3-8", "면목3·8동", "Myeonmok 3/8-dong"),
    ("myeonmok-4", "면목4동", "Myeonmok 4-dong"),
    ("myeonmok-5", "면목5동", "Myeonmok 5-dong"),
    ("myeonmok-7", "면목7동", "Myeonmok 7-dong"),
    ("sangbong-1", "상봉1동", "Sangbong 1-dong"),
    ("sangbong-2", "상봉2동", "Sangbong 2-dong"),
    ("junghwa-1", "중화1동", "Junghwa 1-dong"),
    ("junghwa-2", "중화2동", "Junghwa 2-dong"),
    ("muk-1", "묵1동", "Muk 1-dong"),
    ("muk-2", "묵2동", "Muk 2-dong"),
    ("mangu-bon", "망우본동", "Mangu-bon-dong"),
    ("mangu-3", "망우3동", "Mangu 3-dong"),
    ("sinnae-1", "신내1동", "Sinnae 1-dong"),
    ("sinnae-2", "신내2동", "Sinnae 2-dong"),
]

# Organisations of each kind at the small scale (community centres: the first three dongs).
SMALL_ORGANISATIONS_PER_KIND = 2
SMALL_COMMUNITY_CENTRES = 3
# The chance that a project of a district-wide provider serves every neighbourhood; about
# 15% of all projects end up whole-district.
WHOLE_DISTRICT_CHANCE = 0.16
# Status shares of the demo year's projects: most are open, some closed or paused.
STATUS_WEIGHTS = [
    (Project.Status.OPEN, 80),
    (Project.Status.CLOSED, 15),
    (Project.Status.PAUSED, 5),
]
# Drafts: entered by staff in the last weeks, not yet published, so registered this year and
# not among the demo year's 347 (a draft is not yet a registered project for the public).
DRAFTS_NOW = {"district-year": 24, "small": 2}
# Projects registered in the year before the demo year: 347 / 1.917 (domain.md's +91.7%).
PREVIOUS_YEAR_PROJECTS = {"district-year": 181, "small": 10}
BATCH = 1000


def demo_district() -> District | None:
    return District.objects.filter(code=DEMO_DISTRICT["code"]).first()


def seed(ctx: DemoContext) -> None:
    district, _ = District.objects.get_or_create(
        code=DEMO_DISTRICT["code"],
        defaults={"name": DEMO_DISTRICT["name"], "name_en": DEMO_DISTRICT["name_en"]},
    )
    for code, name, name_en in JUNGNANG_NEIGHBOURHOODS:
        Neighbourhood.objects.get_or_create(
            district=district, code=code, defaults={"name": name, "name_en": name_en}
        )
    if Project.objects.filter(district=district).exists():
        ctx.log("  organisations and projects: the demo district has projects, skipped")
        return
    neighbourhoods = list(district.neighbourhoods.order_by("pk"))
    providers = _seed_organisations(ctx, district, neighbourhoods)
    _seed_projects(ctx, district, neighbourhoods, providers)


@dataclass
class _Provider:
    organisation: Organisation
    home: Neighbourhood


def _organisation_rows(
    ctx: DemoContext, neighbourhoods: Sequence[Neighbourhood]
) -> list[tuple[str, str, Neighbourhood, str]]:
    by_code = {n.code: n for n in neighbourhoods}
    fallback = neighbourhoods[0]
    rows: list[tuple[str, str, Neighbourhood, str]] = [
        (f"{n.name}{COMMUNITY_CENTRE_SUFFIX}", Organisation.Kind.COMMUNITY_CENTRE, n, "")
        for n in neighbourhoods
    ]
    rows += [
        (name, kind, by_code.get(code, fallback), description)
        for name, kind, code, description in ORGANISATIONS
    ]
    if not ctx.is_small:
        return rows
    small: list[tuple[str, str, Neighbourhood, str]] = []
    for kind in Organisation.Kind.values:
        limit = (
            SMALL_COMMUNITY_CENTRES
            if kind == Organisation.Kind.COMMUNITY_CENTRE
            else SMALL_ORGANISATIONS_PER_KIND
        )
        small += [row for row in rows if row[1] == kind][:limit]
    return small


def _seed_organisations(
    ctx: DemoContext, district: District, neighbourhoods: Sequence[Neighbourhood]
) -> list[_Provider]:
    """The providers of the chosen scale, created where their name is missing."""
    rows = _organisation_rows(ctx, neighbourhoods)
    existing = {o.name: o for o in Organisation.objects.filter(district=district)}
    new = []
    for index, (name, kind, home, description) in enumerate(rows):
        if name in existing:
            continue
        road = ROADS.get(home.code, "동일로")
        # Providers were registered in the weeks before the platform opened (its first year).
        opening = date(ctx.previous_year, 1, 1)
        registered = ctx.moment(
            ctx.day_between(opening - timedelta(days=30), opening - timedelta(days=1))
        )
        organisation = Organisation(
            public_id=ctx.uuid(),
            district=district,
            name=name,
            kind=kind,
            description=description or f"{home.name} 주민의 복지 상담과 나눔 사업 창구입니다.",
            phone=f"02-{2094 if kind != Organisation.Kind.SHOP else 430 + index}-"
            f"{ctx.rng.randint(1000, 9999)}",
            email=f"contact{index + 1:02d}@jungnang-gu.example",
            address=f"서울특별시 중랑구 {road} {ctx.rng.randint(2, 480)}",
            created_at=registered,
            updated_at=registered,
        )
        organisation._history_date = registered  # type: ignore[attr-defined]
        new.append(organisation)
    with keep_timestamps(Organisation):
        bulk_create_with_history(new, Organisation, batch_size=BATCH)
    existing.update({o.name: o for o in new})
    return [_Provider(existing[name], home) for name, _, home, _ in rows]


def _seed_projects(
    ctx: DemoContext,
    district: District,
    neighbourhoods: Sequence[Neighbourhood],
    providers: Sequence[_Provider],
) -> None:
    groups = {g.code: g for g in TargetGroup.objects.all()}
    position = {n.pk: i for i, n in enumerate(neighbourhoods)}
    projects: list[Project] = []
    served: list[list[Neighbourhood]] = []
    eligible: list[list[TargetGroup]] = []
    used_titles: dict[str, int] = {}
    for area, count in PROJECTS_PER_AREA[ctx.scale].items():
        templates = TEMPLATES[area]
        for index in range(count):
            # Every template once before any twice, so the year covers the whole catalogue.
            template = templates[index % len(templates)]
            provider, whole = _pick_provider(ctx, template, providers)
            places = [] if whole else _served_by(ctx, provider, neighbourhoods, position)
            status = Project.Status.OPEN if index == 0 else ctx.weighted(STATUS_WEIGHTS)
            project = _project(ctx, district, area, template, provider, whole, places, status)
            project.title = _unique(used_titles, project.title)
            project._history_date = project.created_at  # type: ignore[attr-defined]
            projects.append(project)
            served.append(places)
            eligible.append([groups[c] for c in template.target_groups if c in groups])
    for area, count in _previous_year_counts(ctx).items():
        for index in range(count):
            template = TEMPLATES[area][index % len(TEMPLATES[area])]
            provider, whole = _pick_provider(ctx, template, providers)
            places = [] if whole else _served_by(ctx, provider, neighbourhoods, position)
            project = _project(
                ctx,
                district,
                area,
                template,
                provider,
                whole,
                places,
                Project.Status.CLOSED,
                year=ctx.previous_year,
            )
            project.title = _unique(used_titles, f"{ctx.previous_year}년 {project.title}")
            project._history_date = project.created_at  # type: ignore[attr-defined]
            projects.append(project)
            served.append(places)
            eligible.append([groups[c] for c in template.target_groups if c in groups])
    # The drafts draw from a generator of their own: the stages after this one see the same
    # random numbers as without them.
    main_rng, ctx.rng = ctx.rng, random.Random(f"drafts-{ctx.seed}")  # noqa: S311  # nosec  # demo data, not secrets
    for index in range(DRAFTS_NOW[ctx.scale]):
        area = list(PROJECTS_PER_AREA[ctx.scale])[index % len(PROJECTS_PER_AREA[ctx.scale])]
        template = TEMPLATES[area][index % len(TEMPLATES[area])]
        provider, whole = _pick_provider(ctx, template, providers)
        places = [] if whole else _served_by(ctx, provider, neighbourhoods, position)
        project = _project(
            ctx, district, area, template, provider, whole, places, Project.Status.DRAFT
        )
        project.title = _unique(used_titles, project.title)
        project._history_date = project.created_at  # type: ignore[attr-defined]
        projects.append(project)
        served.append(places)
        eligible.append([groups[c] for c in template.target_groups if c in groups])
    ctx.rng = main_rng
    with keep_timestamps(Project):
        bulk_create_with_history(projects, Project, batch_size=BATCH)
    Project.neighbourhoods.through.objects.bulk_create(
        [
            Project.neighbourhoods.through(project_id=p.pk, neighbourhood_id=n.pk)
            for p, places in zip(projects, served, strict=True)
            for n in places
        ],
        batch_size=BATCH,
    )
    Project.target_groups.through.objects.bulk_create(
        [
            Project.target_groups.through(project_id=p.pk, targetgroup_id=g.pk)
            for p, targets in zip(projects, eligible, strict=True)
            for g in targets
        ],
        batch_size=BATCH,
    )
    ctx.log(f"  projects: {len(projects)} projects of {len(providers)} providers")


def _previous_year_counts(ctx: DemoContext) -> dict[str, int]:
    """The previous year's projects per area, in the demo year's proportions."""
    per_area = PROJECTS_PER_AREA[ctx.scale]
    total, wanted = sum(per_area.values()), PREVIOUS_YEAR_PROJECTS[ctx.scale]
    exact = {area: wanted * count / total for area, count in per_area.items()}
    counts = {area: int(share) for area, share in exact.items()}
    by_remainder = sorted(exact, key=lambda area: counts[area] - exact[area])
    for area in by_remainder[: wanted - sum(counts.values())]:
        counts[area] += 1
    return counts


def _pick_provider(
    ctx: DemoContext, template: ProjectTemplate, providers: Sequence[_Provider]
) -> tuple[_Provider, bool]:
    """Who runs the project, and whether it serves the whole district."""
    rng = ctx.rng

    def runs_it(p: _Provider) -> bool:
        kind = p.organisation.kind
        if kind not in template.providers:
            return False
        return kind != Organisation.Kind.SHOP or template.shop_word in p.organisation.name

    candidates = [p for p in providers if runs_it(p)] or [
        p for p in providers if p.organisation.kind == Organisation.Kind.COMMUNITY_CENTRE
    ]
    district_wide = [p for p in candidates if p.organisation.kind in _DISTRICT_WIDE_KINDS]
    if district_wide and rng.random() < WHOLE_DISTRICT_CHANCE:
        return rng.choice(district_wide), True
    return rng.choice(candidates), False


_DISTRICT_WIDE_KINDS = {
    Organisation.Kind.DISTRICT,
    Organisation.Kind.OTHER,
    Organisation.Kind.NGO,
    Organisation.Kind.WELFARE_CENTRE,
}


def _served_by(
    ctx: DemoContext,
    provider: _Provider,
    neighbourhoods: Sequence[Neighbourhood],
    position: dict[int, int],
) -> list[Neighbourhood]:
    """The provider's own neighbourhood, and for the larger ones a few next to it."""
    kind = provider.organisation.kind
    if kind == Organisation.Kind.COMMUNITY_CENTRE:
        extra = 0
    elif kind == Organisation.Kind.SHOP:
        extra = ctx.rng.choice([0, 0, 1])
    else:
        extra = ctx.rng.choice([0, 1, 1, 2, 3])
    home = position[provider.home.pk]
    first = max(0, min(home - ctx.rng.randint(0, extra), len(neighbourhoods) - extra - 1))
    return list(neighbourhoods[first : first + extra + 1])


def _project(
    ctx: DemoContext,
    district: District,
    area: str,
    template: ProjectTemplate,
    provider: _Provider,
    whole: bool,
    places: Sequence[Neighbourhood],
    status: str,
    *,
    year: int | None = None,
) -> Project:
    """A project registered in ``year`` (the demo year unless given); a closed one ran in it."""
    rng = ctx.rng
    year = year or ctx.demo_year
    today = ctx.today
    first_day, last_day = date(year, 1, 1), date(year, 12, 31)
    # Annual programmes run to the end of this year; always past today, so they are current.
    this_year_end = max(date(today.year, 12, 31), today + timedelta(days=30))
    apply_by: date | None = None
    if status == Project.Status.CLOSED:
        starts_on = ctx.day_between(first_day, date(year, 9, 30))
        ends_on: date | None = min(last_day, starts_on + timedelta(days=rng.randint(30, 120)))
        apply_by = starts_on + timedelta(days=rng.randint(7, 21))
    elif status == Project.Status.DRAFT:
        starts_on = today + timedelta(days=rng.randint(14, 60))
        ends_on = max(this_year_end, starts_on + timedelta(days=180))
    else:
        starts_on = ctx.day_between(first_day, date(year, 11, 30))
        ends_on = None if rng.random() < 0.2 else this_year_end
        if ends_on and rng.random() < 0.5:
            apply_by = ends_on - timedelta(days=rng.randint(0, 14))
    if status == Project.Status.DRAFT:
        registered = ctx.day_between(max(date(today.year, 1, 1), today - timedelta(days=45)), today)
    else:
        registered = max(first_day, starts_on - timedelta(days=rng.randint(7, 30)))
    created_at = ctx.moment(registered)
    low, high = template.capacity
    capacity = max(5, min(200, round(rng.randint(low, high) / 5) * 5))
    place = "중랑구" if whole or len(places) != 1 else places[0].name
    family = ctx.weighted(FAMILY_NAMES)
    return Project(
        public_id=ctx.uuid(),
        district=district,
        organisation=provider.organisation,
        title=f"{place} {template.title}",
        description=_description(template, provider, whole, places),
        area=area,
        support_type=rng.choice(template.support_types),
        whole_district=whole,
        min_age=template.min_age,
        max_age=template.max_age,
        household_types=list(template.household_types),
        eligibility_note=_eligibility_note(template),
        capacity=capacity,
        places_taken=0,
        starts_on=starts_on,
        ends_on=ends_on,
        apply_by=apply_by,
        status=status,
        contact_name=f"{family}{rng.choice(GIVEN_NAMES[rng.choice([1970, 1980, 1990])])}",
        contact_phone=provider.organisation.phone,
        contact_email=provider.organisation.email,
        created_at=created_at,
        updated_at=created_at,
    )


def _description(
    template: ProjectTemplate, provider: _Provider, whole: bool, places: Sequence[Neighbourhood]
) -> str:
    where = "중랑구 전역" if whole else ", ".join(n.name for n in places)
    return (
        f"{template.description}\n\n"
        f"운영: {provider.organisation.name}\n"
        f"대상 지역: {where}\n"
        "신청은 이 누리집이나 가까운 동 주민센터에서 하실 수 있습니다."
    )


_GROUP_NAMES = {
    "older-alone": "홀몸 어르신",
    "basic-livelihood": "기초생활수급자",
    "near-poor": "차상위계층",
    "single-parent": "한부모가족",
    "disability": "장애인",
    "multicultural": "다문화가족",
    "children-youth": "아동·청소년",
    "isolated-young-adult": "고립·은둔 청년",
    "single-person": "1인 가구",
    "crisis": "위기가구",
}


def _eligibility_note(template: ProjectTemplate) -> str:
    parts = []
    if template.min_age is not None and template.max_age is not None:
        parts.append(f"만 {template.min_age}~{template.max_age}세")
    elif template.min_age is not None:
        parts.append(f"만 {template.min_age}세 이상")
    elif template.max_age is not None:
        parts.append(f"만 {template.max_age}세 이하")
    groups = [_GROUP_NAMES.get(code, code) for code in template.target_groups]
    if groups:
        parts.append(", ".join(groups))
    if not parts:
        return ""
    return f"대상: {' · '.join(parts)}. 자격은 동 주민센터에서 확인해 드립니다."


def _unique(used: dict[str, int], title: str) -> str:
    """The same project in the same place twice in a year is its second round (2기)."""
    used[title] = used.get(title, 0) + 1
    return title if used[title] == 1 else f"{title} {used[title]}기"
