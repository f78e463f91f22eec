"""Demo data: the district's support applications, their matches and outcomes, and referrals.

The demo year holds the first year's figures of domain.md: 10,389 applications, 9,180 of them
delivered (89%). The impact page's steps to support between the two read like a Korean
district's year: 9,900 applications were proposed a project and 9,450 accepted by a
coordinator. Every case goes through the steps the real services take, with their rows
(matching/demo/steps.py):

- proposed, accepted, delivered: most of them; some only after the coordinator rejected a
  first proposal (another project came at the next run) or put it on hold for a while;
- accepted, then ended without support, with the coordinator's outcome and note: the resident
  declined (moved away, family helps), could not be reached, was ineligible on review, or
  withdrew; the project got its place back;
- proposed, never accepted: the resident withdrew while the proposal waited (some on hold), or
  the coordinator rejected it, no other project fitted, and the resident withdrew later;
- never proposed: no eligible project (or no free place) at the runs, then withdrawn by the
  resident after the community centre pointed to other help.

The services close an application only as the outcome of an accepted connection; before that
only the resident withdraws it, and the demo does the same. Cases of the year's last weeks are
still open at year end and are decided, delivered or withdrawn in January.

Proposals come from a weekly match run (one ``MatchRun`` per Monday) and name a project that
was open, in its period, of the application's area, serving its neighbourhood (or the whole
district) and eligible by groups, age and household: the proposal's ``reasons`` are the ones
the engine itself writes (``eligibility.evaluate`` on the day of the run). Each project gets no
more delivered applications than it has places, and open projects keep some places for today;
the applications not delivered held a place only for a while, and gave it back.

Today's live queue: applications of the last three weeks, pending (some marked unmatched),
proposed (a proposal waiting for the coordinator, some after a rejected one), on hold, or
accepted (support being arranged), with daily match runs; the demo coordinator's
neighbourhoods have the longer queue. Referrals: past ones connected to a delivered application
or closed, and today's received or contacted ones.

``places_taken`` of every project is raised by its accepted and delivered applications (never
past the capacity): a connection that ended without support gave its place back. The stage is
skipped when the demo district has any application, so a second run, with any scale and seed,
changes nothing.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from projects.demo import FAMILY_NAMES, GIVEN_NAMES, demo_district
from projects.models import District, Project
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
)
from .facts import DemoProject, Person
from .facts import people as load_people
from .facts import projects as load_projects
from .steps import AREA_WEIGHTS, Case, Flow, workday
from .texts import (
    CLOSED_REFERRAL,
    DELIVERED_NOTE,
    HOLD_NOTES,
    HOW_TO_REACH,
    NOT_DELIVERED_NOTES,
    REJECT_NOTES,
    SITUATIONS,
    UNMATCHED_WITHDRAW_NOTES,
    WITHDRAW_NOTES,
)

S = SupportApplication.Status
Outcome = SupportApplication.Outcome
Unmatched = SupportApplication.UnmatchedReason
# The demo year's steps to support: applications, ever proposed a project, ever accepted by a
# coordinator, delivered (impact's funnel).
APPLICATIONS = {"district-year": 10_389, "small": 30}
PROPOSED = {"district-year": 9_900, "small": 28}
ACCEPTED = {"district-year": 9_450, "small": 27}
DELIVERED = {"district-year": 9_180, "small": 26}
# Of the delivered: the share whose first proposal the coordinator rejected, and the share
# whose proposal waited on hold before it was accepted.
REJECTED_FIRST = 0.06
HELD_FIRST = 0.03
# How an accepted connection ended without support.
NOT_DELIVERED_OUTCOMES = [
    (Outcome.DECLINED, 40),
    (Outcome.UNREACHABLE, 25),
    (Outcome.INELIGIBLE, 15),
    (Outcome.WITHDRAWN, 20),
]
# What became of a proposal never accepted: rejected (and nothing else fitted), withdrawn by
# the resident while it waited, put on hold and then withdrawn.
REJECTED, WITHDRAWN, HELD = "rejected", "withdrawn", "held"
NOT_ACCEPTED_PATHS = [(REJECTED, 40), (WITHDRAWN, 40), (HELD, 20)]
UNMATCHED_REASONS = [(Unmatched.NO_ELIGIBLE_PROJECT, 70), (Unmatched.NO_FREE_PLACE, 30)]
# Of the applications never proposed: the share withdrawn before a run looked at them.
WITHDRAWN_AT_ONCE = 0.15
# Today's queue per neighbourhood: (pending, proposed, on hold, accepted).
LIVE_COORDINATOR = {"district-year": (10, 7, 2, 5), "small": (2, 1, 1, 1)}
LIVE_OTHER = {"district-year": (4, 3, 1, 2), "small": (0, 0, 0, 0)}
# Of today's proposals, the share that came after a rejected one.
LIVE_REJECTED_FIRST = 0.25
# Past referrals (connected, closed); today's per neighbourhood (received, contacted).
PAST_REFERRALS = {"district-year": (280, 60), "small": (2, 1)}
LIVE_REFERRALS_COORDINATOR = {"district-year": (3, 2), "small": (1, 1)}
LIVE_REFERRALS_OTHER = {"district-year": (1, 1), "small": (0, 0)}
# Open projects keep this share of their places free of last year's applications.
OPEN_RESERVE = 0.15
# More applications in winter (heating, year-end), fewer in early summer.
MONTH_WEIGHTS = [1.35, 1.2, 1.0, 0.85, 0.8, 0.8, 0.85, 0.9, 0.95, 1.0, 1.2, 1.4]
BATCH = 2000


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


def _days(n: int) -> timedelta:
    return timedelta(days=n)


@dataclass
class _Plan:
    """A project taking the year's applications: its run days (Mondays) with their weights,
    the residents it could serve, and the places it has left for the year."""

    project: DemoProject
    days: list[date]
    pool: list[Person]
    room: int
    weights: list[float] = field(default_factory=list)


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
        coordinator = User.objects.filter(username=DEMO_USERS[1][1]).first()
        self.coordinated = set(
            district.neighbourhoods.filter(code__in=COORDINATOR_NEIGHBOURHOODS).values_list(
                "pk", flat=True
            )
        )
        self.flow = Flow(ctx, district, coordinator.pk if coordinator else None, self.coordinated)
        # A resident's eligibility facts, made once (the area and day are passed separately).
        self._facts: dict[int, eligibility.ApplicationFacts] = {}
        year = ctx.demo_year
        self.year_first, self.year_last = date(year, 1, 1), date(year, 12, 31)
        self.yesterday = ctx.today - timedelta(days=1)
        # The projects that took the year's applications, by area.
        self.taking: dict[str, list[DemoProject]] = defaultdict(list)

    def run(self) -> None:
        self._proposed()
        self._never_proposed()
        self._live()
        referrals = self._referrals()
        self._write(referrals)

    # --- the demo year --------------------------------------------------------------------

    def _proposed(self) -> None:
        """The year's applications that were proposed a project, and what became of each:
        the delivered ones shared among the projects by their places and applicants, then
        the ones that were not delivered."""
        plans = self._plans()
        quotas = self._share(DELIVERED[self.ctx.scale], [plan.room for plan in plans])
        for plan, quota in zip(plans, quotas, strict=True):
            for person in self.ctx.newcomers_first(self.ctx.demo_year, plan.pool, quota, _user_id):
                self._delivered(person, plan.project, self._run_day(plan))
            # The ones not delivered gave their places back (or never took one): they may
            # use the places open projects keep for today, too.
            plan.room = plan.project.capacity - plan.project.taken - plan.project.used
        self.proposed = sum(quotas) + self._proposed_not_delivered(plans)

    def _plans(self) -> list[_Plan]:
        """The projects that took the year's applications, with their Mondays and room."""
        mondays = [
            d
            for d in (self.year_first + timedelta(days=i) for i in range(1, 366))
            if d.weekday() == 0 and d <= min(self.year_last, self.yesterday)
        ]
        plans: list[_Plan] = []
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
                plans.append(_Plan(project, days, pool, min(room, len(pool))))
                self.taking[facts.area].append(project)
        # Fewer projects took applications early in the year: weigh each month by how many
        # did, so the year's applications follow MONTH_WEIGHTS rather than the project count.
        taking = Counter(month for plan in plans for month in {d.month for d in plan.days})
        for plan in plans:
            plan.weights = [MONTH_WEIGHTS[d.month - 1] / taking[d.month] for d in plan.days]
        return plans

    def _run_day(self, plan: _Plan) -> date:
        return self.rng.choices(plan.days, plan.weights)[0]

    def _proposed_not_delivered(self, plans: list[_Plan]) -> int:
        """The year's proposed applications that were not delivered, each of a resident (those
        not yet taking part first) proposed to a project they were eligible for and that had
        a place left. Returns how many were made."""
        scale = self.ctx.scale
        fates = [S.ACCEPTED] * (ACCEPTED[scale] - DELIVERED[scale])
        fates += [S.PROPOSED] * (PROPOSED[scale] - ACCEPTED[scale])
        self.rng.shuffle(fates)
        made = 0
        year, everyone = self.ctx.demo_year, len(self.people)
        for person in self.ctx.newcomers_first(year, self.people, everyone, _user_id):
            if made == len(fates):
                break
            options = [
                plan
                for plan in plans
                if plan.room > 0 and self._fits(person, plan.project.facts, self.year_first)
            ]
            if not options:
                continue
            plan = self.rng.choices(options, [plan.room for plan in options])[0]
            plan.room -= 1
            if fates[made] == S.ACCEPTED:
                self._accepted_not_delivered(person, plan.project, self._run_day(plan))
            else:
                self._proposed_not_accepted(person, plan.project, self._run_day(plan))
            made += 1
        return made

    def _delivered(self, person: Person, project: DemoProject, run_day: date) -> None:
        """Proposed, accepted (some after a rejected first proposal, or a while on hold),
        delivered; the project's place stays taken."""
        rng, flow = self.rng, self.flow
        roll = rng.random()
        earlier = (
            self._earlier_proposal(person, project, run_day) if roll < REJECTED_FIRST else None
        )
        case = self._submit(person, project, earlier[1] if earlier else run_day)
        if earlier is not None:
            other, first_run = earlier
            flow.propose(case, other, first_run)
            day = self.ctx.day_between(first_run + _days(1), run_day - _days(3))
            flow.reject(case, day, rng.choice(REJECT_NOTES))
        flow.propose(case, project, run_day)
        if REJECTED_FIRST <= roll < REJECTED_FIRST + HELD_FIRST:
            day = self._cap(project, run_day + _days(rng.randint(1, 3)))
            held = flow.hold(case, day, rng.choice(HOLD_NOTES))
            flow.take_off_hold(case, self._cap(project, held.date() + _days(rng.randint(2, 10))))
            accepted = flow.accept(case, run_day, right_after=True)
        else:
            accepted = flow.accept(case, self._cap(project, run_day + _days(rng.randint(1, 5))))
        on = self._cap(project, accepted.date() + _days(rng.randint(3, 30)))
        flow.record_outcome(case, Outcome.DELIVERED, on, DELIVERED_NOTE)
        project.used += 1

    def _accepted_not_delivered(self, person: Person, project: DemoProject, run_day: date) -> None:
        """Proposed, accepted, then ended without support: the place is given back."""
        rng, flow = self.rng, self.flow
        case = self._submit(person, project, run_day)
        flow.propose(case, project, run_day)
        accepted = flow.accept(case, self._cap(project, run_day + _days(rng.randint(1, 5))))
        outcome = self.ctx.weighted(NOT_DELIVERED_OUTCOMES)
        on = self._cap(project, accepted.date() + _days(rng.randint(2, 25)))
        flow.record_outcome(case, outcome, on, rng.choice(NOT_DELIVERED_NOTES[outcome]))

    def _proposed_not_accepted(self, person: Person, project: DemoProject, run_day: date) -> None:
        """Proposed, never accepted: withdrawn by the resident, while the proposal waited (or
        was on hold), or after the coordinator rejected it and no other project fitted."""
        rng, flow = self.rng, self.flow
        case = self._submit(person, project, run_day)
        flow.propose(case, project, run_day)
        path = self.ctx.weighted(NOT_ACCEPTED_PATHS)
        if path == REJECTED:
            rejected = flow.reject(
                case, run_day + _days(rng.randint(1, 5)), rng.choice(REJECT_NOTES)
            ).date()
            next_run = rejected + _days(7 - rejected.weekday())
            day = rejected + _days(rng.randint(5, 30))
            if next_run <= self.yesterday:
                flow.unmatched(case, self.ctx.weighted(UNMATCHED_REASONS), next_run)
                day = max(day, next_run)
            flow.withdraw(case, day, rng.choice(UNMATCHED_WITHDRAW_NOTES))
        elif path == HELD:
            held = flow.hold(case, run_day + _days(rng.randint(1, 3)), rng.choice(HOLD_NOTES))
            flow.withdraw(case, held.date() + _days(rng.randint(3, 20)), rng.choice(WITHDRAW_NOTES))
        else:
            flow.withdraw(case, run_day + _days(rng.randint(0, 6)), rng.choice(WITHDRAW_NOTES))

    def _earlier_proposal(
        self, person: Person, project: DemoProject, run_day: date
    ) -> tuple[DemoProject, date] | None:
        """Another project of the same area the person was eligible for at the run a week
        before ``run_day``, or None when there is none."""
        first_run = run_day - _days(7)
        if first_run <= self.year_first:
            return None
        options = [
            other
            for other in self.taking[project.facts.area]
            if other is not project
            and eligibility.project_in_period(other.facts, first_run)
            and self._fits(person, other.facts, first_run)
        ]
        return (self.rng.choice(options), first_run) if options else None

    def _submit(self, person: Person, project: DemoProject, run_day: date) -> Case:
        """The application, submitted in the week before the run that first proposes it."""
        submitted_on = max(self.year_first, run_day - _days(self.rng.randint(1, 7)))
        return self.flow.submit(person, project.facts.area, submitted_on, project.facts)

    def _cap(self, project: DemoProject, day: date) -> date:
        """``day``, but not after the project ended nor after yesterday."""
        return min(day, project.facts.ends_on or day, self.yesterday)

    def _never_proposed(self) -> None:
        """The rest of the year's applications: no run found an eligible project (or a free
        place) for them, and the resident withdrew them."""
        rng, flow = self.rng, self.flow
        months = list(range(1, 13))
        count = max(0, APPLICATIONS[self.ctx.scale] - self.proposed)
        applicants = self.ctx.newcomers_first(self.ctx.demo_year, self.people, count, _user_id)
        for person in applicants + rng.choices(self.people, k=count - len(applicants)):
            month = rng.choices(months, MONTH_WEIGHTS)[0]
            first = date(self.ctx.demo_year, month, 1)
            last = min(
                (first + timedelta(days=31)).replace(day=1) - timedelta(days=1), self.yesterday
            )
            submitted_on = self.ctx.day_between(first, last)
            case = flow.submit(person, self.ctx.weighted(AREA_WEIGHTS), submitted_on)
            next_run = submitted_on + _days(7 - submitted_on.weekday())
            if rng.random() < WITHDRAWN_AT_ONCE or next_run > self.yesterday:
                day = self.ctx.day_between(submitted_on, next_run - _days(1))
                flow.withdraw(case, day, rng.choice(WITHDRAW_NOTES))
            else:
                flow.unmatched(case, self.ctx.weighted(UNMATCHED_REASONS), next_run)
                day = max(next_run, submitted_on + _days(rng.randint(7, 45)))
                flow.withdraw(case, day, rng.choice(UNMATCHED_WITHDRAW_NOTES))

    # --- today's queue --------------------------------------------------------------------

    def _live(self) -> None:
        rng, flow = self.rng, self.flow
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
            pending, proposed, on_hold, accepted = counts
            for status, count in (
                (S.ACCEPTED, accepted),
                (S.ON_HOLD, on_hold),
                (S.PROPOSED, proposed),
            ):
                made = 0
                for person in rng.sample(residents, len(residents)):
                    if made == count:
                        break
                    submitted_on = self.ctx.day_between(first, last - timedelta(days=2))
                    run_day = self.ctx.day_between(
                        submitted_on + timedelta(days=1), last - timedelta(days=1)
                    )
                    choices = self._live_choices(today_facts, person, run_day)
                    if not choices:
                        continue
                    project = rng.choice(choices)
                    earlier = None
                    if rng.random() < LIVE_REJECTED_FIRST:
                        earlier = self._live_earlier(
                            today_facts, person, project, submitted_on, run_day
                        )
                    case = flow.submit(person, project.facts.area, submitted_on, project.facts)
                    if earlier is not None:
                        other, first_run, rejected_on = earlier
                        flow.propose(case, other, first_run)
                        flow.reject(case, rejected_on, rng.choice(REJECT_NOTES))
                    flow.propose(case, project, run_day)
                    if status == S.ACCEPTED:
                        flow.accept(case, self.ctx.day_between(run_day, last))
                        project.used += 1
                    else:
                        if status == S.ON_HOLD:
                            day = self.ctx.day_between(run_day, last)
                            flow.hold(case, day, rng.choice(HOLD_NOTES))
                        project.live += 1
                    made += 1
            for index in range(pending):
                person = rng.choice(residents)
                submitted_on = self.ctx.day_between(last - timedelta(days=6), last)
                case = flow.submit(
                    person, self.ctx.weighted(AREA_WEIGHTS), max(first, submitted_on)
                )
                if index % 3 == 0 and submitted_on < last:
                    reasons = [(Unmatched.NO_ELIGIBLE_PROJECT, 60), (Unmatched.NO_FREE_PLACE, 40)]
                    flow.unmatched(case, self.ctx.weighted(reasons), submitted_on + _days(1))

    def _live_earlier(
        self,
        projects: list[DemoProject],
        person: Person,
        project: DemoProject,
        submitted_on: date,
        run_day: date,
    ) -> tuple[DemoProject, date, date] | None:
        """Another project of the same area proposed at the run the day before ``run_day``
        and rejected on a working day before it, or None when there is none."""
        first_run = run_day - _days(1)
        rejected_on = workday(first_run)
        if first_run <= submitted_on or rejected_on >= run_day:
            return None
        others = [
            p
            for p in self._live_choices(projects, person, first_run)
            if p is not project and p.facts.area == project.facts.area
        ]
        return (self.rng.choice(others), first_run, rejected_on) if others else None

    def _live_choices(
        self, projects: list[DemoProject], person: Person, run_day: date
    ) -> list[DemoProject]:
        return [
            p
            for p in projects
            if p.free > 0
            and eligibility.project_in_period(p.facts, run_day)
            and self._fits(person, p.facts, run_day)
        ]

    # --- referrals ------------------------------------------------------------------------

    def _referrals(self) -> list[Referral]:
        rng = self.rng
        connected, closed = PAST_REFERRALS[self.ctx.scale]
        referrals: list[Referral] = []
        delivered = [case for case in self.flow.cases if case.status == S.DELIVERED]
        for case in rng.sample(delivered, min(connected, len(delivered))):
            app = case.application
            neighbours = self.by_neighbourhood[case.person.neighbourhood_id]
            referrer = rng.choice(neighbours)
            if app.neighbourhood_id in self.coordinated:
                app.submitted_by_id = self.flow.coordinator_id
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

    # --- who fits what ------------------------------------------------------------------

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
        cases = self.flow.cases
        runs = sorted(self.flow.runs.values(), key=lambda run: run.started_at)
        MatchRun.objects.bulk_create(runs, batch_size=BATCH)
        applications = [case.application for case in cases]
        with keep_timestamps(SupportApplication, MatchProposal, Referral):
            SupportApplication.objects.bulk_create(applications, batch_size=BATCH)
            proposals = []
            for case in cases:
                for proposal in case.proposals:
                    proposal.application = case.application
                    proposals.append(proposal)
            MatchProposal.objects.bulk_create(proposals, batch_size=BATCH)
            Referral.objects.bulk_create(referrals, batch_size=BATCH)
        through = SupportApplication.target_groups.through
        through.objects.bulk_create(
            [
                through(supportapplication_id=case.application.pk, targetgroup_id=group_id)
                for case in cases
                for group_id in case.person.group_ids
            ],
            batch_size=BATCH,
        )
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application_id=case.application.pk,
                    from_status=case.steps[i - 1].status if i else "",
                    to_status=step.status,
                    actor_id=step.by,
                    note=step.note,
                    outcome=step.outcome,
                    outcome_on=step.outcome_on,
                    created_at=step.at,
                )
                for case in cases
                for i, step in enumerate(case.steps)
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
        demo_year = [
            case
            for case in cases
            if case.application.submitted_at.astimezone(SEOUL).year == self.ctx.demo_year
        ]
        accepted = sum(any(step.status == S.ACCEPTED for step in case.steps) for case in demo_year)
        delivered = sum(case.status == S.DELIVERED for case in demo_year)
        self.ctx.log(
            f"  applications: {len(applications)}; of the demo year's {len(demo_year)}, "
            f"{self.proposed} proposed, {accepted} accepted, {delivered} delivered; "
            f"{len(proposals)} proposals in {len(runs)} match runs, {len(referrals)} referrals"
        )
