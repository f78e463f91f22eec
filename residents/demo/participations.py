"""Demo residents volunteering in and taking part in network, health and education projects."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from django.db.models import Q

from projects.models import Area, District, Participation, Project
from welfare_net.demo import DemoContext, keep_timestamps

from ..models import ResidentProfile, User
from .people import DemoResident, demo_residents, residents_by_neighbourhood

PARTICIPATIONS = {"district-year": 5_400, "small": 40}
# In the previous year's (closed) projects.
PREVIOUS_YEAR_PARTICIPATIONS = {"district-year": 2_800, "small": 8}
BATCH = 2000


def served_pool(
    project: Project,
    served: dict[int, list[int]],
    everyone: Sequence[DemoResident],
    by_neighbourhood: dict[int, list[DemoResident]],
) -> list[DemoResident]:
    """The demo residents living where the project is offered."""
    if project.whole_district or not served.get(project.pk):
        return list(everyone)
    return [r for n in served[project.pk] for r in by_neighbourhood.get(n, [])]


def served_neighbourhoods(projects: Sequence[Project]) -> dict[int, list[int]]:
    through = Project.neighbourhoods.through
    served: dict[int, list[int]] = defaultdict(list)
    rows = through.objects.filter(project__in=[p.pk for p in projects]).order_by("pk")
    for project_id, neighbourhood_id in rows.values_list("project_id", "neighbourhood_id"):
        served[project_id].append(neighbourhood_id)
    return served


def seed_participations(ctx: DemoContext, district: District, demo_user: User) -> None:
    """Volunteers and participants of the network, health and education projects: those of
    the demo year, and those of the year before, by residents who had signed up by then."""
    projects = list(
        Project.objects.filter(
            Q(district=district),
            Q(area__in=[Area.NETWORK, Area.HEALTH, Area.EDUCATION]),
            ~Q(status=Project.Status.DRAFT),
        ).order_by("pk")
    )
    residents = demo_residents(ctx, district)
    if not projects or not residents:
        return
    demo_year_start = date(ctx.demo_year, 1, 1)
    running = [p for p in projects if p.ends_on is None or p.ends_on >= demo_year_start]
    participations = _participations(
        ctx, running, residents, PARTICIPATIONS[ctx.scale], year=ctx.demo_year
    )
    # The demo resident looks after a neighbour in their own neighbourhood.
    home = ResidentProfile.objects.filter(user=demo_user).values_list("neighbourhood_id").first()
    served = served_neighbourhoods(running)
    own = [
        p
        for p in running
        if home
        and p.area == Area.NETWORK
        and p.status == Project.Status.OPEN
        and (p.whole_district or home[0] in served.get(p.pk, []))
    ]
    if own:
        participations.append(
            _participation(ctx, own[0], demo_user.pk, Participation.Role.VOLUNTEER, active=True)
        )
    earlier = [p for p in projects if p.ends_on is not None and p.ends_on < demo_year_start]
    participations += _participations(
        ctx,
        earlier,
        [r for r in residents if r.joined_on.year == ctx.previous_year],
        PREVIOUS_YEAR_PARTICIPATIONS[ctx.scale],
        year=ctx.previous_year,
    )
    with keep_timestamps(Participation):
        Participation.objects.bulk_create(participations, batch_size=BATCH)
    ctx.log(f"  participations: {len(participations)} in {len(projects)} projects")


def _participations(
    ctx: DemoContext,
    projects: Sequence[Project],
    residents: Sequence[DemoResident],
    total: int,
    *,
    year: int,
) -> list[Participation]:
    """About ``total`` participations shared among ``projects`` by their size, of residents
    living where each is offered and signed up before it ended; those not yet taking part in
    ``year`` are chosen first."""
    rng = ctx.rng
    if not projects or not residents:
        return []
    by_neighbourhood = residents_by_neighbourhood(residents)
    served = served_neighbourhoods(projects)
    shares = [p.capacity * rng.uniform(0.5, 1.5) for p in projects]
    scale = total / sum(shares)
    participations: list[Participation] = []
    for project, share in zip(projects, shares, strict=True):
        pool = served_pool(project, served, residents, by_neighbourhood)
        if project.ends_on is not None:
            pool = [r for r in pool if r.joined_on <= project.ends_on]
        volunteer_share = {Area.NETWORK: 0.85, Area.HEALTH: 0.15, Area.EDUCATION: 0.25}[
            Area(project.area)
        ]
        if project.support_type == "mentoring":
            volunteer_share = max(volunteer_share, 0.5)
        volunteers = [r for r in pool if 19 <= r.age <= 79]
        participants = [r for r in pool if _fits(project, r)]
        wanted = max(2, round(share * scale))
        n_volunteers = min(len(volunteers), round(wanted * volunteer_share))
        n_participants = min(len(participants), project.capacity, wanted - n_volunteers)
        helping = ctx.newcomers_first(year, volunteers, n_volunteers, _user_id)
        taken = {r.user_id for r in helping}
        participants = [r for r in participants if r.user_id not in taken]
        chosen = [(r, Participation.Role.VOLUNTEER) for r in helping]
        chosen += [
            (r, Participation.Role.PARTICIPANT)
            for r in ctx.newcomers_first(year, participants, n_participants, _user_id)
        ]
        for resident, role in chosen:
            participation = _participation(
                ctx, project, resident.user_id, role, joined_on=resident.joined_on
            )
            ctx.note_taking_part(participation.started_on.year, [resident.user_id])
            participations.append(participation)
    return participations


def _user_id(resident: DemoResident) -> int:
    return resident.user_id


def _fits(project: Project, resident: DemoResident) -> bool:
    if project.min_age is not None and resident.age < project.min_age:
        return False
    if project.max_age is not None and resident.age > project.max_age:
        return False
    return not project.household_types or resident.household_type in project.household_types


def _participation(
    ctx: DemoContext,
    project: Project,
    user_id: int,
    role: str,
    *,
    active: bool = False,
    joined_on: date | None = None,
) -> Participation:
    """A participation, starting no earlier than the day the resident signed up on."""
    rng = ctx.rng
    year_end = date(ctx.demo_year, 12, 31)
    last = min(project.ends_on or ctx.today, year_end, ctx.today)
    if project.status == Project.Status.OPEN and rng.random() < 0.1:
        # Some joined this year: open projects still take people.
        last = ctx.today
    first = max(project.starts_on, min(joined_on or project.starts_on, last))
    started_on = ctx.day_between(first, max(first, last))
    ended_on = None
    status = Participation.Status.ACTIVE
    if project.status == Project.Status.CLOSED:
        status, ended_on = Participation.Status.ENDED, project.ends_on
    elif not active and rng.random() < 0.06:
        status = Participation.Status.CANCELLED
        ended_on = ctx.day_between(started_on, min(started_on + timedelta(days=90), ctx.today))
    stamp = ctx.moment(started_on)
    return Participation(
        resident_id=user_id,
        project=project,
        role=role,
        status=status,
        started_on=started_on,
        ended_on=ended_on,
        created_at=stamp,
        updated_at=stamp,
    )
