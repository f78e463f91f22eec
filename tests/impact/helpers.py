"""State for the figures' tests, built with the services so every event is a real one.

The services stamp "now"; ``move_to`` then moves an application and all its events by the
same amount, so a test can place a story in an earlier period with its order intact.
"""

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from donations.models import DonationPledge
from matching.models import ApplicationEvent, MatchProposal, SupportApplication
from matching.services import connection_record_outcome, match_run_execute, proposal_accept
from projects.models import Area, District, Neighbourhood, Project
from residents.models import User
from tests.matching.factories import ProjectFactory, make_resident, submit_application
from tests.matching.outcome_helpers import make_coordinator

SEOUL = dt.timezone(dt.timedelta(hours=9))

# The queries the surveys' and visitors' selectors make for one set of figures: none while
# the seams in impact/selectors.py return stand-ins.
SEAM_QUERIES = 3  # survey_results + visitors_between + visitors_total


def this_year() -> tuple[dt.date, dt.date]:
    """The period "this year so far": the services' "now" falls in it."""
    today = timezone.localdate()
    return dt.date(today.year, 1, 1), today


def at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=SEOUL)


def resident(neighbourhood: Neighbourhood, **fields: Any) -> User:
    return make_resident(neighbourhood=neighbourhood, **fields)


def apply(user: User, *areas: str) -> SupportApplication:
    return submit_application(user, areas=list(areas or [Area.DONATION]))


def open_project(district: District, area: str = Area.DONATION, capacity: int = 10) -> Project:
    return ProjectFactory.create(district=district, area=area, capacity=capacity)


def match(district: District) -> dict[int, MatchProposal]:
    """Run matching for the district; the proposals made, by application id."""
    run = match_run_execute(district_id=district.pk)
    return {p.application_id: p for p in MatchProposal.objects.filter(run=run)}


def accept(proposal: MatchProposal, coordinator: User) -> MatchProposal:
    return proposal_accept(proposal=proposal, by=coordinator)


def deliver(proposal: MatchProposal, coordinator: User) -> SupportApplication:
    return connection_record_outcome(
        proposal=proposal,
        outcome=SupportApplication.Outcome.DELIVERED,
        on=timezone.localdate(),
        note="",
        by=coordinator,
    )


def coordinator_for(*neighbourhoods: Neighbourhood) -> User:
    return make_coordinator(*neighbourhoods)


def move_to(application: SupportApplication, day: dt.date) -> None:
    """Move the application's submission to noon on ``day``, its events along with it."""
    application.refresh_from_db()
    delta = at_noon(day) - application.submitted_at
    SupportApplication.objects.filter(pk=application.pk).update(
        submitted_at=application.submitted_at + delta
    )
    for event in ApplicationEvent.objects.filter(application=application):
        ApplicationEvent.objects.filter(pk=event.pk).update(created_at=event.created_at + delta)


def pledge(user: User, project: Project, **fields: Any) -> DonationPledge:
    return DonationPledge.objects.create(
        donor=user,
        project=project,
        kind=DonationPledge.Kind.MONEY,
        amount_won=10_000,
        submission_key=uuid.uuid4(),
        **fields,
    )


def created_on(model: Any, pk: int, day: dt.date) -> None:
    model.objects.filter(pk=pk).update(created_at=at_noon(day))
