"""Recording how an accepted connection ended: each outcome, and what is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from matching.models import ApplicationEvent, MatchProposal, SupportApplication
from matching.services import connection_record_outcome
from tests.matching.engine_factories import ProposalFactory
from tests.matching.outcome_helpers import accepted_proposal, days_ago, make_coordinator

pytestmark = pytest.mark.django_db

Status = SupportApplication.Status


@pytest.mark.parametrize(
    ("outcome", "status", "places_left_taken"),
    [
        ("delivered", Status.DELIVERED, 1),
        ("declined", Status.CLOSED, 0),
        ("unreachable", Status.CLOSED, 0),
        ("ineligible", Status.CLOSED, 0),
        ("withdrawn", Status.WITHDRAWN, 0),
    ],
)
def test_each_outcome_moves_the_application_records_the_event_and_only_delivery_keeps_the_place(
    outcome: str, status: str, places_left_taken: int
) -> None:
    proposal = accepted_proposal()
    coordinator = proposal.decided_by
    assert coordinator is not None
    assert proposal.project.__class__.objects.get(pk=proposal.project_id).places_taken == 1

    application = connection_record_outcome(
        proposal=proposal, outcome=outcome, on=timezone.localdate(), note="전화함", by=coordinator
    )

    application.refresh_from_db()
    assert (application.status, application.outcome) == (status, outcome)
    assert application.outcome_on == timezone.localdate()
    event = ApplicationEvent.objects.filter(application=application).last()
    assert event is not None
    assert (event.from_status, event.to_status, event.outcome, event.outcome_on) == (
        Status.ACCEPTED,
        status,
        outcome,
        timezone.localdate(),
    )
    assert (event.actor, event.note) == (coordinator, "전화함")
    proposal.project.refresh_from_db()
    assert proposal.project.places_taken == places_left_taken


def test_recording_an_outcome_twice_is_refused_and_changes_nothing() -> None:
    proposal = accepted_proposal()
    assert proposal.decided_by is not None
    connection_record_outcome(
        proposal=proposal,
        outcome="declined",
        on=timezone.localdate(),
        note="",
        by=proposal.decided_by,
    )
    events = ApplicationEvent.objects.count()

    with override("en"), pytest.raises(ValidationError) as error:
        connection_record_outcome(
            proposal=proposal,
            outcome="delivered",
            on=timezone.localdate(),
            note="",
            by=proposal.decided_by,
        )

    assert error.value.code == "outcome_recorded"
    assert "already recorded" in str(error.value)
    assert "Declined by the resident" in str(error.value)
    application = SupportApplication.objects.get(pk=proposal.application_id)
    assert (application.status, application.outcome) == (Status.CLOSED, "declined")
    assert ApplicationEvent.objects.count() == events
    proposal.project.refresh_from_db()
    assert proposal.project.places_taken == 0  # released once, not twice


def test_an_outcome_in_the_future_is_refused_naming_the_date_field() -> None:
    proposal = accepted_proposal()
    assert proposal.decided_by is not None

    with pytest.raises(ValidationError) as error:
        connection_record_outcome(
            proposal=proposal,
            outcome="delivered",
            on=timezone.localdate() + dt.timedelta(days=1),
            note="",
            by=proposal.decided_by,
        )

    assert "on" in error.value.message_dict
    assert SupportApplication.objects.get(pk=proposal.application_id).status == Status.ACCEPTED


def test_an_outcome_dated_before_the_acceptance_is_refused() -> None:
    proposal = accepted_proposal()
    assert proposal.decided_by is not None

    with override("en"), pytest.raises(ValidationError) as error:
        connection_record_outcome(
            proposal=proposal, outcome="delivered", on=days_ago(1), note="", by=proposal.decided_by
        )

    assert "before the proposal was accepted" in error.value.message_dict["on"][0]


def test_an_unknown_outcome_code_is_refused_naming_the_outcome_field() -> None:
    proposal = accepted_proposal()
    assert proposal.decided_by is not None

    with pytest.raises(ValidationError) as error:
        connection_record_outcome(
            proposal=proposal,
            outcome="lost",
            on=timezone.localdate(),
            note="",
            by=proposal.decided_by,
        )

    assert "outcome" in error.value.message_dict


def test_a_proposal_that_was_not_accepted_has_no_outcome() -> None:
    proposal = ProposalFactory.create()
    coordinator = make_coordinator(proposal.application.neighbourhood)

    with override("en"), pytest.raises(ValidationError) as error:
        connection_record_outcome(
            proposal=proposal, outcome="delivered", on=timezone.localdate(), note="", by=coordinator
        )

    assert "Only an accepted proposal" in str(error.value)
    proposal.refresh_from_db()
    assert proposal.status == MatchProposal.Status.PROPOSED
    assert SupportApplication.objects.get(pk=proposal.application_id).outcome == ""


def test_an_outcome_is_refused_when_the_application_left_the_accepted_state() -> None:
    proposal = accepted_proposal()
    assert proposal.decided_by is not None
    SupportApplication.objects.filter(pk=proposal.application_id).update(status=Status.ON_HOLD)

    with override("en"), pytest.raises(ValidationError) as error:
        connection_record_outcome(
            proposal=proposal,
            outcome="delivered",
            on=timezone.localdate(),
            note="",
            by=proposal.decided_by,
        )

    assert error.value.code == "invalid_state"


def test_recording_an_outcome_enqueues_the_residents_notification_after_commit(
    django_capture_on_commit_callbacks: pytest.FixtureDef,
) -> None:
    proposal = accepted_proposal()
    assert proposal.decided_by is not None

    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        connection_record_outcome(
            proposal=proposal,
            outcome="declined",
            on=timezone.localdate(),
            note="",
            by=proposal.decided_by,
        )

    assert len(callbacks) == 1


def test_a_delivery_also_enqueues_the_follow_up_survey_after_commit(
    django_capture_on_commit_callbacks: pytest.FixtureDef,
) -> None:
    proposal = accepted_proposal()
    assert proposal.decided_by is not None

    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        connection_record_outcome(
            proposal=proposal,
            outcome="delivered",
            on=timezone.localdate(),
            note="",
            by=proposal.decided_by,
        )

    # The notification, and the offer of the follow-up survey (tests/surveys/test_follow_up.py).
    assert len(callbacks) == 2
