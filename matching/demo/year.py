"""The demo year: its applications, proposed or not, and what became of each.

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
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from projects.models import Project

from .. import eligibility
from ..models import SupportApplication
from .base import SeederBase, _days, _user_id
from .facts import DemoProject, Person
from .steps import AREA_WEIGHTS, Case
from .texts import (
    DELIVERED_NOTE,
    HOLD_NOTES,
    NOT_DELIVERED_NOTES,
    REJECT_NOTES,
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
# Open projects keep this share of their places free of last year's applications.
OPEN_RESERVE = 0.15
# More applications in winter (heating, year-end), fewer in early summer.
MONTH_WEIGHTS = [1.35, 1.2, 1.0, 0.85, 0.8, 0.8, 0.85, 0.9, 0.95, 1.0, 1.2, 1.4]


@dataclass
class _Plan:
    """A project taking the year's applications: its run days (Mondays) with their weights,
    the residents it could serve, and the places it has left for the year."""

    project: DemoProject
    days: list[date]
    pool: list[Person]
    room: int
    weights: list[float] = field(default_factory=list)


class DemoYear(SeederBase):
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
