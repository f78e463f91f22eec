"""The steps of a demo application, each making the rows its service in matching/services makes.

``Flow`` has one method per service the real flow calls: ``submit`` (``application_submit``),
``propose`` (a match run), ``accept`` (``proposal_accept``), ``reject`` (``proposal_reject``),
``hold`` and ``take_off_hold`` (``proposal_hold``, the first half of ``proposal_approve``),
``record_outcome`` (``connection_record_outcome``) and ``withdraw`` (``application_withdraw``).
Each checks the application is in a state its service allows it from, and writes the same
status, event (from, to, actor, note, outcome) and proposal fields, at a moment after the
case's last one, so a timeline reads as the real flow would have written it.

The services' own words (a held proposal taken off hold, a proposal expired by a withdrawal)
are their Korean translations, as a Korean-speaking coordinator or resident would have got.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.utils import translation
from django.utils.translation import gettext

from projects.models import Area, District
from welfare_net.demo import SEOUL, DemoContext

from .. import eligibility
from ..models import MatchProposal, MatchRun, SupportApplication, Urgency
from ..services.outcomes import OUTCOME_STATUS
from .facts import DemoProject, Person
from .texts import DESCRIPTIONS

S = SupportApplication.Status
P = MatchProposal.Status

RUN_HOUR = time(7, 0)
URGENCY_WEIGHTS = [
    (Urgency.LOW, 15),
    (Urgency.NORMAL, 45),
    (Urgency.HIGH, 30),
    (Urgency.URGENT, 10),
]
AREA_WEIGHTS = [(a, w) for a, w in zip(Area.values, [30, 15, 15, 25, 15], strict=True)]


def workday(day: date) -> date:
    """Coordinators decide on weekdays: a Saturday or a Sunday becomes the Monday after."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def _korean(message: str) -> str:
    with translation.override("ko"):
        return gettext(message)


class Step(NamedTuple):
    """One ``ApplicationEvent``: the status reached, when, by whom, and the words."""

    status: str
    at: datetime
    by: int | None
    note: str
    outcome: str = ""
    outcome_on: date | None = None


@dataclass
class Case:
    """One application with what happened to it, before it is written."""

    application: SupportApplication
    person: Person
    steps: list[Step] = field(default_factory=list)
    proposals: list[MatchProposal] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.application.status

    @property
    def last_at(self) -> datetime:
        return self.steps[-1].at

    @property
    def proposal(self) -> MatchProposal:
        """The latest proposal: the one a decision is about."""
        return self.proposals[-1]

    def rejected_project_ids(self) -> frozenset[int]:
        return frozenset(p.project_id for p in self.proposals if p.status == P.REJECTED)


class Flow:
    def __init__(
        self,
        ctx: DemoContext,
        district: District,
        coordinator_id: int | None,
        coordinated: set[int],
    ) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.district = district
        self.coordinator_id = coordinator_id
        self.coordinated = coordinated
        self.runs: dict[date, MatchRun] = {}
        self.cases: list[Case] = []
        self.yesterday = ctx.today - timedelta(days=1)

    # --- the resident ---------------------------------------------------------------------

    def submit(
        self,
        person: Person,
        area: str,
        submitted_on: date,
        project: eligibility.ProjectFacts | None = None,
    ) -> Case:
        """``application_submit``: the profile's facts copied, ``"" -> pending`` by the
        applicant."""
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
        case = Case(app, person)
        self.ctx.note_taking_part(submitted_on.year, [person.user_id])
        self._step(case, S.PENDING, submitted_at, by=person.user_id, allowed_from=[""])
        self.cases.append(case)
        return case

    def withdraw(self, case: Case, day: date, note: str) -> datetime:
        """``application_withdraw``: by the applicant, before any connection; a proposal
        waiting for the coordinator expires with it."""
        when = self.after(case.last_at, day)
        self._step(
            case,
            S.WITHDRAWN,
            when,
            by=case.person.user_id,
            note=note,
            allowed_from=[S.PENDING, S.PROPOSED, S.ON_HOLD],
        )
        waiting = [p for p in case.proposals if p.status == P.PROPOSED]
        for proposal in waiting:
            self._decide(proposal, P.EXPIRED, when, case.person.user_id)
            proposal.decision_note = _korean("The application was withdrawn.")
        return when

    # --- the match run --------------------------------------------------------------------

    def propose(self, case: Case, project: DemoProject, run_day: date) -> MatchProposal:
        """A match run proposes the pair: ``pending -> proposed`` (no actor), with the reasons
        the engine writes for it on the day of the run."""
        edge = eligibility.evaluate(self._facts(case), project.facts, run_day)
        if edge is None:
            raise RuntimeError("The demo proposes only pairs the engine would propose.")
        run = self.run(run_day)
        if run.started_at <= case.last_at:
            raise RuntimeError("A run proposes only applications waiting before it started.")
        run.proposed += 1
        run.considered += 1
        proposal = MatchProposal(
            run=run,
            project_id=project.facts.id,
            score=edge.score,
            reasons=edge.reasons,
            status=P.PROPOSED,
            created_at=run.started_at,
            updated_at=run.started_at,
        )
        case.proposals.append(proposal)
        case.application.unmatched_reason = ""
        self._step(case, S.PROPOSED, run.started_at, allowed_from=[S.PENDING])
        return proposal

    def unmatched(self, case: Case, reason: str, run_day: date) -> None:
        """A run found nothing for the waiting application: its reason, and no event."""
        if case.status != S.PENDING:
            raise RuntimeError("Only a waiting application is left unmatched.")
        run = self.run(run_day)
        run.considered += 1
        if reason == SupportApplication.UnmatchedReason.NO_ELIGIBLE_PROJECT:
            run.unmatched_no_eligible += 1
        else:
            run.unmatched_no_place += 1
        case.application.unmatched_reason = reason

    def run(self, day: date) -> MatchRun:
        """The district's stored run of ``day`` (at seven in the morning)."""
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

    # --- the coordinator ------------------------------------------------------------------

    def accept(self, case: Case, day: date, *, right_after: bool = False) -> datetime:
        """``proposal_accept``: the proposal accepted, ``proposed -> accepted`` by the
        coordinator (``right_after``: in the same request as the step before it)."""
        if right_after:
            when = self.soon_after(case.last_at)
        else:
            when = self.after(case.last_at, workday(day))
        by = self.decider(case.person)
        self._decide(case.proposal, P.ACCEPTED, when, by)
        self._step(case, S.ACCEPTED, when, by=by, allowed_from=[S.PROPOSED])
        return when

    def reject(self, case: Case, day: date, note: str) -> datetime:
        """``proposal_reject``: never this pair again, ``proposed -> pending`` with the reason."""
        when = self.after(case.last_at, workday(day))
        by = self.decider(case.person)
        self._decide(case.proposal, P.REJECTED, when, by)
        case.proposal.decision_note = note
        self._step(case, S.PENDING, when, by=by, note=note, allowed_from=[S.PROPOSED])
        return when

    def hold(self, case: Case, day: date, note: str) -> datetime:
        """``proposal_hold``: the proposal keeps waiting, ``proposed -> on_hold`` with why."""
        when = self.after(case.last_at, workday(day))
        if case.proposal.status != P.PROPOSED:
            raise RuntimeError("Only a waiting proposal is put on hold.")
        by = self.decider(case.person)
        self._step(case, S.ON_HOLD, when, by=by, note=note, allowed_from=[S.PROPOSED])
        return when

    def take_off_hold(self, case: Case, day: date) -> datetime:
        """``proposal_approve``'s first step: ``on_hold -> proposed``, in the service's words."""
        when = self.after(case.last_at, workday(day))
        by = self.decider(case.person)
        note = _korean("Taken off hold.")
        self._step(case, S.PROPOSED, when, by=by, note=note, allowed_from=[S.ON_HOLD])
        return when

    def record_outcome(self, case: Case, outcome: str, on: date, note: str) -> datetime:
        """``connection_record_outcome``: how the accepted connection ended, on the day it
        happened (not before the accept), recorded on that working day or the next."""
        if case.proposal.status != P.ACCEPTED or case.application.outcome:
            raise RuntimeError("Only an accepted connection gets its outcome, once.")
        accepted_on = case.proposal.decided_at.astimezone(SEOUL).date()  # type: ignore[union-attr]
        on = max(on, accepted_on)
        when = self.after(case.last_at, workday(on))
        by = self.decider(case.person)
        case.application.outcome = outcome
        case.application.outcome_on = on
        self._step(
            case,
            OUTCOME_STATUS[outcome],
            when,
            by=by,
            note=note,
            outcome=outcome,
            outcome_on=on,
            allowed_from=[S.ACCEPTED],
        )
        return when

    def decider(self, person: Person) -> int | None:
        """The demo coordinator decides the cases of their neighbourhoods; the others are
        decided by coordinators the demo has no login for."""
        if self.coordinator_id is not None and person.neighbourhood_id in self.coordinated:
            return self.coordinator_id
        return None

    # --- time -----------------------------------------------------------------------------

    def after(self, previous: datetime, day: date) -> datetime:
        """A moment on ``day`` (never after yesterday), but always after ``previous``."""
        moment = self.ctx.moment(min(day, self.yesterday))
        return (
            moment if moment > previous else previous + timedelta(minutes=self.rng.randint(5, 90))
        )

    def soon_after(self, previous: datetime) -> datetime:
        return previous + timedelta(seconds=self.rng.randint(1, 4))

    # --- the rows -------------------------------------------------------------------------

    def _step(
        self,
        case: Case,
        status: str,
        at: datetime,
        *,
        allowed_from: list[str],
        by: int | None = None,
        note: str = "",
        outcome: str = "",
        outcome_on: date | None = None,
    ) -> None:
        current = case.steps[-1].status if case.steps else ""
        if current not in allowed_from or (case.steps and at <= case.last_at):
            raise RuntimeError(f"The demo cannot go {current or '-'} -> {status} at {at}.")
        case.steps.append(Step(status, at, by, note, outcome, outcome_on))
        case.application.status = status
        case.application.updated_at = at

    def _decide(self, proposal: MatchProposal, status: str, at: datetime, by: int | None) -> None:
        if proposal.status != P.PROPOSED:
            raise RuntimeError("Only a waiting proposal is decided.")
        proposal.status = status
        proposal.decided_at = proposal.updated_at = at
        proposal.decided_by_id = by

    def _facts(self, case: Case) -> eligibility.ApplicationFacts:
        app = case.application
        return eligibility.ApplicationFacts(
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
            rejected_project_ids=case.rejected_project_ids(),
        )
