"""The follow-up survey is offered by itself when a coordinator records support as delivered:
once per connection, about the project's area, and only where the district runs one."""

from collections.abc import Iterator

import pytest
from django.utils import timezone

from matching.models import MatchProposal
from matching.services import connection_record_outcome
from matching.tasks import offer_follow_up_survey
from surveys.models import FollowUpInvitation, Survey
from surveys.selectors import pending_follow_ups
from surveys.services import followup_survey_ensure
from tests.matching.outcome_helpers import accepted_proposal, make_resident
from welfare_net.celery import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Tasks enqueued after commit run here, in this process, instead of on a worker."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def accepted_for_resident(*, with_follow_up_survey: bool = True) -> MatchProposal:
    resident = make_resident()
    neighbourhood = resident.profile.neighbourhood
    if with_follow_up_survey:
        followup_survey_ensure(
            district=neighbourhood.district, starts_on=timezone.localdate().replace(day=1)
        )
    return accepted_proposal(applicant=resident, neighbourhood=neighbourhood)


def record(proposal: MatchProposal, outcome: str, capture: pytest.FixtureDef) -> None:
    assert proposal.decided_by is not None
    with capture(execute=True):  # type: ignore[operator]
        connection_record_outcome(
            proposal=proposal,
            outcome=outcome,
            on=timezone.localdate(),
            note="",
            by=proposal.decided_by,
        )


def test_delivered_support_offers_the_resident_the_follow_up_once(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    proposal = accepted_for_resident()
    application = proposal.application

    record(proposal, "delivered", django_capture_on_commit_callbacks)
    # The task delivered twice (a worker lost mid-task, a retry) offers nothing more.
    offer_follow_up_survey(application.pk)

    invitation = FollowUpInvitation.objects.get()
    assert invitation.resident == application.applicant
    assert invitation.subject_key == application.public_id
    assert invitation.area == proposal.project.area
    assert invitation.delivered_on == timezone.localdate()
    assert invitation.survey.kind == Survey.Kind.FOLLOW_UP
    assert application.applicant is not None
    assert list(pending_follow_ups(user=application.applicant, today=timezone.localdate())) == [
        invitation
    ]


@pytest.mark.parametrize("outcome", ["declined", "unreachable", "ineligible", "withdrawn"])
def test_support_not_delivered_offers_no_follow_up(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef, outcome: str
) -> None:
    proposal = accepted_for_resident()

    record(proposal, outcome, django_capture_on_commit_callbacks)

    assert not FollowUpInvitation.objects.exists()


def test_a_district_without_a_follow_up_survey_gets_none_made_for_it(
    eager_tasks: None, django_capture_on_commit_callbacks: pytest.FixtureDef
) -> None:
    proposal = accepted_for_resident(with_follow_up_survey=False)

    record(proposal, "delivered", django_capture_on_commit_callbacks)

    assert not FollowUpInvitation.objects.exists()
    assert not Survey.objects.exists()


def test_nothing_is_offered_before_the_outcome_is_committed(
    django_capture_on_commit_callbacks: pytest.FixtureDef,
) -> None:
    proposal = accepted_for_resident()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        assert proposal.decided_by is not None
        connection_record_outcome(
            proposal=proposal,
            outcome="delivered",
            on=timezone.localdate(),
            note="",
            by=proposal.decided_by,
        )

    assert not FollowUpInvitation.objects.exists()
    assert callbacks  # the offer waits for the commit, with the notifications
