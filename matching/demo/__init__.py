"""Demo data: the district's support applications, their matches and outcomes, and referrals.

The demo year holds the first year's figures of domain.md: 10,389 applications, 9,180 of them
delivered (89%); the rest closed without support or withdrawn. Delivered applications were
proposed by a weekly match run (one ``MatchRun`` per Monday) to a project that was open, in its
period, of the application's area, serving its neighbourhood (or the whole district) and
eligible by groups, age and household: the proposal's ``reasons`` are the ones the engine
itself writes (``eligibility.evaluate`` on the day of the run). Each project gets no more
delivered applications than it has places, and open projects keep some places for today.

Today's live queue: applications of the last three weeks, pending (some marked unmatched),
proposed (a proposal waiting for the coordinator) or accepted (support being arranged), with
daily match runs; the demo coordinator's neighbourhoods have the longer queue. Referrals:
past ones connected to an application or closed, and today's received or contacted ones.

``places_taken`` of every project given an accepted or delivered application is raised by
their number (never past the capacity). The stage is skipped when the demo district has any
application, so a second run, with any scale and seed, changes nothing.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from projects.demo import FAMILY_NAMES, GIVEN_NAMES, demo_district
from projects.models import Area, District, Project
from residents.demo import COORDINATOR_NEIGHBOURHOODS, DEMO_USERS
from residents.models import User
from welfare_net.demo import SEOUL, DemoContext, keep_timestamps

from .. import eligibility
from ..models import (
    ApplicationEvent,
    MatchProposal,
    MatchRun,
    Referral,
    SupportApplication,
    Urgency,
)
from .facts import DemoProject, Person
from .facts import people as load_people
from .facts import projects as load_projects
from .texts import (
    CLOSED_NOTE,
    CLOSED_REFERRAL,
    DELIVERED_NOTE,
    DESCRIPTIONS,
    HOW_TO_REACH,
    SITUATIONS,
    WITHDRAWN_NOTE,
)

S = SupportApplication.Status
APPLICATIONS = {"district-year": 10_389, "small": 30}
DELIVERED = {"district-year": 9_180, "small": 26}
# Today's queue per neighbourhood: (pending, proposed, accepted).
LIVE_COORDINATOR = {"district-year": (10, 7, 5), "small": (2, 1, 1)}
LIVE_OTHER = {"district-year": (4, 3, 2), "small": (0, 0, 0)}
# Past referrals (connected, closed); today's per neighbourhood (received, contacted).
PAST_REFERRALS = {"district-year": (280, 60), "small": (2, 1)}
LIVE_REFERRALS_COORDINATOR = {"district-year": (3, 2), "small": (1, 1)}
LIVE_REFERRALS_OTHER = {"district-year": (1, 1), "small": (0, 0)}
# Open projects keep this share of their places free of last year's applications.
OPEN_RESERVE = 0.15
# More applications in winter (heating, year-end), fewer in early summer.
MONTH_WEIGHTS = [1.35, 1.2, 1.0, 0.85, 0.8, 0.8, 0.85, 0.9, 0.95, 1.0, 1.2, 1.4]
URGENCY_WEIGHTS = [
    (Urgency.LOW, 15),
    (Urgency.NORMAL, 45),
    (Urgency.HIGH, 30),
    (Urgency.URGENT, 10),
]
AREA_WEIGHTS = [(a, w) for a, w in zip(Area.values, [30, 15, 15, 25, 15], strict=True)]
RUN_HOUR = time(7, 0)
BATCH = 2000


@dataclass
class _Case:
    """One application with what happened to it, before it is written."""

    application: SupportApplication
    person: Person
    events: list[tuple[str, datetime, int | None, str]] = field(default_factory=list)
    proposal: MatchProposal | None = None


def seed(ctx: DemoContext) -> None:
    district = demo_district()
    if district is None:
        return
    if SupportApplication.objects.filter(district=district).exists():
        ctx.log("  applications: the demo district has applications, skipped")
        return
    people = load_people(district)
    if not people:
        return
    _Seeder(ctx, district, people).run()


def _user_id(person: Person) -> int:
    return person.user_id


class _Seeder:
    def __init__(self, ctx: DemoContext, district: District, people: list[Person]) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.district = district
        self.people = people
        self.by_neighbourhood: dict[int, list[Person]] = defaultdict(list)
        for person in people:
            self.by_neighbourhood[person.neighbourhood_id].append(person)
        self.projects = load_projects(district)
        self.coordinator = User.objects.filter(username=DEMO_USERS[1][1]).first()
        self.coordinated = set(
            district.neighbourhoods.filter(code__in=COORDINATOR_NEIGHBOURHOODS).values_list(
                "pk", flat=True
            )
        )
        self.runs: dict[date, MatchRun] = {}
        # A resident's eligibility facts, made once (the area and day are passed separately).
        self._facts: dict[int, eligibility.ApplicationFacts] = {}
        self.cases: list[_Case] = []
        year = ctx.demo_year
        self.year_first, self.year_last = date(year, 1, 1), date(year, 12, 31)
        self.yesterday = ctx.today - timedelta(days=1)

    def run(self) -> None:
        self._delivered()
        self._not_delivered()
        self._live()
        referrals = self._referrals()
        self._write(referrals)

    # --- the demo year --------------------------------------------------------------------

    def _delivered(self) -> None:
        """Delivered applications, shared among the projects by their places and applicants."""
        mondays = [
            d
            for d in (self.year_first + timedelta(days=i) for i in range(1, 366))
            if d.weekday() == 0 and d <= min(self.year_last - timedelta(days=11), self.yesterday)
        ]
        plans: list[tuple[DemoProject, list[date], list[Person]]] = []
        limits: list[int] = []
        for project in self.projects:
            facts = project.facts
            last = min(facts.apply_by or self.year_last, facts.ends_on or self.year_last)
            days = [d for d in mondays if facts.starts_on <= d <= last]
            if not days:
                continue  # not taking applications in the demo year (one of the year before)
            pool = [p for p in self._served(facts) if self._fits(p, facts, self.year_first)]
            room = project.capacity - project.taken
            if project.status == Project.Status.OPEN:
                room = int(room * (1 - OPEN_RESERVE))
            if pool and room > 0:
                plans.append((project, days, pool))
                limits.append(min(room, len(pool)))
        quotas = self._share(DELIVERED[self.ctx.scale], limits)
        # Fewer projects took applications early in the year: weigh each month by how many
        # did, so the year's applications follow MONTH_WEIGHTS rather than the project count.
        taking = Counter(month for _, days, _ in plans for month in {d.month for d in days})
        for (project, days, pool), quota in zip(plans, quotas, strict=True):
            weights = [MONTH_WEIGHTS[d.month - 1] / taking[d.month] for d in days]
            for person in self.ctx.newcomers_first(self.ctx.demo_year, pool, quota, _user_id):
                run_day = self.rng.choices(days, weights)[0]
                submitted_on = max(
                    self.year_first, run_day - timedelta(days=self.rng.randint(1, 7))
                )
                case = self._case(person, project.facts.area, submitted_on, project.facts)
                proposal = self._propose(case, project, run_day)
                accepted = self._accept(
                    case, proposal, run_day + timedelta(days=self.rng.randint(1, 5))
                )
                delivered_on = min(
                    accepted.date() + timedelta(days=self.rng.randint(3, 30)),
                    self.year_last,
                    self.yesterday,
                )
                self._event(case, S.DELIVERED, self._after(accepted, delivered_on), DELIVERED_NOTE)
                project.used += 1
        self.delivered = len(self.cases)

    def _not_delivered(self) -> None:
        """The rest of the year's applications: closed without support, or withdrawn."""
        months = list(range(1, 13))
        count = max(0, APPLICATIONS[self.ctx.scale] - self.delivered)
        applicants = self.ctx.newcomers_first(self.ctx.demo_year, self.people, count, _user_id)
        for person in applicants + self.rng.choices(self.people, k=count - len(applicants)):
            month = self.rng.choices(months, MONTH_WEIGHTS)[0]
            first = date(self.ctx.demo_year, month, 1)
            last = min(
                (first + timedelta(days=31)).replace(day=1) - timedelta(days=1), self.yesterday
            )
            case = self._case(
                person, self.ctx.weighted(AREA_WEIGHTS), self.ctx.day_between(first, last)
            )
            submitted = case.application.submitted_at
            if self.rng.random() < 0.55:
                case.application.unmatched_reason = self.ctx.weighted(
                    [
                        (SupportApplication.UnmatchedReason.NO_ELIGIBLE_PROJECT, 70),
                        (SupportApplication.UnmatchedReason.NO_FREE_PLACE, 30),
                    ]
                )
                day = submitted.date() + timedelta(days=self.rng.randint(14, 45))
                when = self._after(submitted, min(day, self.year_last, self.yesterday))
                self._event(case, S.CLOSED, when, CLOSED_NOTE, by=self._decider(person))
            else:
                day = submitted.date() + timedelta(days=self.rng.randint(1, 20))
                when = self._after(submitted, min(day, self.year_last, self.yesterday))
                self._event(case, S.WITHDRAWN, when, WITHDRAWN_NOTE, by=person.user_id)

    # --- today's queue --------------------------------------------------------------------

    def _live(self) -> None:
        last = self.yesterday
        first = min(max(date(self.ctx.today.year, 1, 1), last - timedelta(days=20)), last)
        today_facts = [
            p
            for p in self.projects
            if p.status == Project.Status.OPEN
            and eligibility.project_in_period(p.facts, self.ctx.today)
        ]
        for neighbourhood_id in sorted(self.by_neighbourhood):
            counts = (LIVE_COORDINATOR if neighbourhood_id in self.coordinated else LIVE_OTHER)[
                self.ctx.scale
            ]
            residents = self.by_neighbourhood[neighbourhood_id]
            pending, proposed, accepted = counts
            for status, count in ((S.ACCEPTED, accepted), (S.PROPOSED, proposed)):
                made = 0
                for person in self.rng.sample(residents, len(residents)):
                    if made == count:
                        break
                    submitted_on = self.ctx.day_between(first, last - timedelta(days=2))
                    run_day = self.ctx.day_between(
                        submitted_on + timedelta(days=1), last - timedelta(days=1)
                    )
                    choices = [
                        p
                        for p in today_facts
                        if p.free > 0
                        and eligibility.project_in_period(p.facts, run_day)
                        and self._fits(person, p.facts, run_day)
                    ]
                    if not choices:
                        continue
                    project = self.rng.choice(choices)
                    case = self._case(person, project.facts.area, submitted_on, project.facts)
                    proposal = self._propose(case, project, run_day)
                    if status == S.ACCEPTED:
                        self._accept(case, proposal, self.ctx.day_between(run_day, last))
                        project.used += 1
                    else:
                        project.live += 1
                    made += 1
            for index in range(pending):
                person = self.rng.choice(residents)
                submitted_on = self.ctx.day_between(last - timedelta(days=6), last)
                case = self._case(person, self.ctx.weighted(AREA_WEIGHTS), max(first, submitted_on))
                if index % 3 == 0 and submitted_on < last:
                    case.application.unmatched_reason = self.ctx.weighted(
                        [
                            (SupportApplication.UnmatchedReason.NO_ELIGIBLE_PROJECT, 60),
                            (SupportApplication.UnmatchedReason.NO_FREE_PLACE, 40),
                        ]
                    )

    # --- referrals ------------------------------------------------------------------------

    def _referrals(self) -> list[Referral]:
        rng = self.rng
        connected, closed = PAST_REFERRALS[self.ctx.scale]
        referrals: list[Referral] = []
        delivered = self.cases[: self.delivered]
        for case in rng.sample(delivered, min(connected, len(delivered))):
            app = case.application
            neighbours = self.by_neighbourhood[case.person.neighbourhood_id]
            referrer = rng.choice(neighbours)
            if app.neighbourhood_id in self.coordinated and self.coordinator is not None:
                app.submitted_by_id = self.coordinator.pk
            at = app.submitted_at - timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 5))
            # Not before the demo year: the referrer may have signed up only in it.
            at = max(at, datetime.combine(self.year_first, time(0, 0), tzinfo=SEOUL))
            referrals.append(
                self._referral(referrer, app.neighbourhood_id, at, Referral.Status.CONNECTED, app)
            )
        for _ in range(closed):
            referrer = rng.choice(self.people)
            at = self.ctx.moment(self.ctx.day_between(self.year_first, self.year_last))
            referrals.append(
                self._referral(referrer, referrer.neighbourhood_id, at, Referral.Status.CLOSED)
            )
        for neighbourhood_id in sorted(self.by_neighbourhood):
            received, contacted = (
                LIVE_REFERRALS_COORDINATOR
                if neighbourhood_id in self.coordinated
                else LIVE_REFERRALS_OTHER
            )[self.ctx.scale]
            for status, count, days in (
                (Referral.Status.RECEIVED, received, 6),
                (Referral.Status.CONTACTED, contacted, 14),
            ):
                for _ in range(count):
                    referrer = rng.choice(self.by_neighbourhood[neighbourhood_id])
                    day = self.ctx.day_between(
                        self.yesterday - timedelta(days=days), self.yesterday
                    )
                    referrals.append(
                        self._referral(referrer, neighbourhood_id, self.ctx.moment(day), status)
                    )
        return referrals

    def _referral(
        self,
        referrer: Person,
        neighbourhood_id: int,
        at: datetime,
        status: str,
        application: SupportApplication | None = None,
    ) -> Referral:
        rng = self.rng
        self.ctx.note_taking_part(at.astimezone(SEOUL).year, [referrer.user_id])
        name = application.applicant_name if application else ""
        if application is None and rng.random() < 0.7:
            name = rng.choice(FAMILY_NAMES)[0] + rng.choice(GIVEN_NAMES[1950])
        return Referral(
            public_id=self.ctx.uuid(),
            referrer_id=referrer.user_id,
            district=self.district,
            neighbourhood_id=neighbourhood_id,
            neighbour_name=name,
            situation=rng.choice(SITUATIONS),
            how_to_reach=rng.choice(HOW_TO_REACH),
            neighbour_knows=rng.random() < 0.6,
            status=status,
            closed_reason=CLOSED_REFERRAL if status == Referral.Status.CLOSED else "",
            application=application,
            submission_key=self.ctx.uuid(),
            created_at=at,
            updated_at=at,
        )

    # --- the pieces of a case -------------------------------------------------------------

    def _case(
        self,
        person: Person,
        area: str,
        submitted_on: date,
        project: eligibility.ProjectFacts | None = None,
    ) -> _Case:
        rng = self.rng
        areas = [area]
        if rng.random() < 0.2:
            areas.append(self.ctx.weighted([(a, w) for a, w in AREA_WEIGHTS if a != area]))
        submitted_at = self.ctx.moment(submitted_on)
        app = SupportApplication(
            public_id=self.ctx.uuid(),
            applicant_id=person.user_id,
            district=self.district,
            neighbourhood_id=person.neighbourhood_id,
            areas=areas,
            support_type=project.support_type if project and rng.random() < 0.5 else "",
            urgency=self.ctx.weighted(URGENCY_WEIGHTS),
            description=rng.choice(DESCRIPTIONS[area]),
            preferred_project_id=project.id if project and rng.random() < 0.1 else None,
            applicant_name=person.name,
            contact_phone=person.phone,
            contact_email=person.email,
            birth_year=person.birth_year,
            household_type=person.household_type,
            status=S.PENDING,
            submitted_at=submitted_at,
            submission_key=self.ctx.uuid(),
            created_at=submitted_at,
            updated_at=submitted_at,
        )
        case = _Case(app, person)
        self.ctx.note_taking_part(submitted_on.year, [person.user_id])
        self._event(case, S.PENDING, submitted_at, "", by=person.user_id)
        self.cases.append(case)
        return case

    def _event(
        self, case: _Case, status: str, at: datetime, note: str, by: int | None = None
    ) -> None:
        case.events.append((status, at, by, note))
        case.application.status = status
        case.application.updated_at = at

    def _propose(self, case: _Case, project: DemoProject, run_day: date) -> MatchProposal:
        app = case.application
        facts = eligibility.ApplicationFacts(
            id=0,
            district_id=self.district.pk,
            neighbourhood_id=app.neighbourhood_id,
            areas=frozenset(app.areas),
            urgency=app.urgency,
            submitted_on=app.submitted_at.astimezone(SEOUL).date(),
            support_type=app.support_type,
            birth_year=app.birth_year,
            household_type=app.household_type,
            target_groups=case.person.groups,
            preferred_project_id=app.preferred_project_id,
        )
        edge = eligibility.evaluate(facts, project.facts, run_day)
        if edge is None:
            raise RuntimeError("The demo proposes only pairs the engine would propose.")
        run = self._run(run_day)
        run.proposed += 1
        run.considered += 1
        proposal = MatchProposal(
            run=run,
            project_id=project.facts.id,
            score=edge.score,
            reasons=edge.reasons,
            status=MatchProposal.Status.PROPOSED,
            created_at=run.started_at,
            updated_at=run.started_at,
        )
        case.proposal = proposal
        self._event(case, S.PROPOSED, run.started_at, "")
        return proposal

    def _accept(self, case: _Case, proposal: MatchProposal, day: date) -> datetime:
        when = self._after(proposal.created_at, day)
        decider = self._decider(case.person)
        proposal.status = MatchProposal.Status.ACCEPTED
        proposal.decided_at = proposal.updated_at = when
        proposal.decided_by_id = decider
        self._event(case, S.ACCEPTED, when, "", by=decider)
        return when

    def _run(self, day: date) -> MatchRun:
        run = self.runs.get(day)
        if run is None:
            started = datetime.combine(day, RUN_HOUR, tzinfo=SEOUL)
            unmatched = self.rng.randint(0, 6)
            run = MatchRun(
                district=self.district,
                started_at=started,
                finished_at=started + timedelta(seconds=self.rng.uniform(2, 9)),
                status=MatchRun.Status.SUCCEEDED,
                considered=unmatched,
                unmatched_no_eligible=unmatched,
                solver_seconds=round(self.rng.uniform(0.05, 0.6), 3),
                total_seconds=round(self.rng.uniform(1.5, 8), 3),
            )
            self.runs[day] = run
        return run

    def _after(self, previous: datetime, day: date) -> datetime:
        """A moment on ``day``, but always after ``previous``."""
        moment = self.ctx.moment(day)
        return (
            moment if moment > previous else previous + timedelta(minutes=self.rng.randint(5, 90))
        )

    def _decider(self, person: Person) -> int | None:
        if self.coordinator is not None and person.neighbourhood_id in self.coordinated:
            return self.coordinator.pk
        return None

    def _served(self, facts: eligibility.ProjectFacts) -> list[Person]:
        if facts.whole_district:
            return self.people
        return [
            p for n in sorted(facts.neighbourhood_ids) for p in self.by_neighbourhood.get(n, [])
        ]

    def _fits(self, person: Person, facts: eligibility.ProjectFacts, day: date) -> bool:
        app = self._facts.get(person.user_id)
        if app is None:
            app = self._facts[person.user_id] = eligibility.ApplicationFacts(
                id=0,
                district_id=self.district.pk,
                neighbourhood_id=person.neighbourhood_id,
                areas=frozenset(),
                urgency=1,
                submitted_on=day,
                birth_year=person.birth_year,
                household_type=person.household_type,
                target_groups=person.groups,
            )
        return (
            eligibility.neighbourhood_served(app, facts)
            and eligibility.target_groups_met(app, facts)
            and eligibility.age_met(app, facts, day)
            and eligibility.household_type_met(app, facts)
        )

    def _share(self, total: int, limits: Sequence[int]) -> list[int]:
        """``total`` split in proportion to ``limits``, none above its limit."""
        room = sum(limits)
        if room <= total:
            return list(limits)
        quotas = [limit * total // room for limit in limits]
        spare = [i for i, limit in enumerate(limits) if quotas[i] < limit]
        while sum(quotas) < total and spare:
            i = self.rng.choice(spare)
            quotas[i] += 1
            if quotas[i] >= limits[i]:
                spare.remove(i)
        return quotas

    # --- writing --------------------------------------------------------------------------

    def _write(self, referrals: list[Referral]) -> None:
        runs = sorted(self.runs.values(), key=lambda run: run.started_at)
        MatchRun.objects.bulk_create(runs, batch_size=BATCH)
        applications = [case.application for case in self.cases]
        with keep_timestamps(SupportApplication, MatchProposal, Referral):
            SupportApplication.objects.bulk_create(applications, batch_size=BATCH)
            proposals = []
            for case in self.cases:
                if case.proposal is not None:
                    case.proposal.application = case.application
                    proposals.append(case.proposal)
            MatchProposal.objects.bulk_create(proposals, batch_size=BATCH)
            Referral.objects.bulk_create(referrals, batch_size=BATCH)
        through = SupportApplication.target_groups.through
        through.objects.bulk_create(
            [
                through(supportapplication_id=case.application.pk, targetgroup_id=group_id)
                for case in self.cases
                for group_id in case.person.group_ids
            ],
            batch_size=BATCH,
        )
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application_id=case.application.pk,
                    from_status=case.events[i - 1][0] if i else "",
                    to_status=status,
                    actor_id=by,
                    note=note,
                    created_at=at,
                )
                for case in self.cases
                for i, (status, at, by, note) in enumerate(case.events)
            ],
            batch_size=BATCH,
        )
        changed = []
        for project in self.projects:
            if project.used:
                row = Project(pk=project.facts.id)
                row.places_taken = min(project.capacity, project.taken + project.used)
                changed.append(row)
        Project.objects.bulk_update(changed, ["places_taken"], batch_size=BATCH)
        self.ctx.log(
            f"  applications: {len(applications)} ({self.delivered} delivered in the demo year), "
            f"{len(proposals)} proposals in {len(runs)} match runs, {len(referrals)} referrals"
        )
