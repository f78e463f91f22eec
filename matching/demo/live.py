"""Today's live queue: applications of the last three weeks, pending (some marked unmatched),
proposed (a proposal waiting for the coordinator, some after a rejected one), on hold, or
accepted (support being arranged), with daily match runs; the demo coordinator's
neighbourhoods have the longer queue."""

from datetime import date, timedelta

from projects.models import Project

from .. import eligibility
from ..models import SupportApplication
from .base import SeederBase, _days
from .facts import DemoProject, Person
from .steps import AREA_WEIGHTS, workday
from .texts import HOLD_NOTES, REJECT_NOTES

S = SupportApplication.Status
Unmatched = SupportApplication.UnmatchedReason
# Today's queue per neighbourhood: (pending, proposed, on hold, accepted).
LIVE_COORDINATOR = {"district-year": (10, 7, 2, 5), "small": (2, 1, 1, 1)}
LIVE_OTHER = {"district-year": (4, 3, 1, 2), "small": (0, 0, 0, 0)}
# Of today's proposals, the share that came after a rejected one.
LIVE_REJECTED_FIRST = 0.25


class TodaysQueue(SeederBase):
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
