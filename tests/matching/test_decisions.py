"""The queue's decisions: hold, approve and decline from hold, reassign by hand, bulk accept."""

import pytest
from django.core.exceptions import ValidationError

from matching.models import MatchProposal, SupportApplication
from matching.services import (
    proposal_approve,
    proposal_decline,
    proposal_hold,
    proposal_reassign,
    proposals_bulk_accept,
    reassign_options,
)
from projects.models import Project
from tests.matching.engine_factories import ProjectFactory, ProposalFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
Status = SupportApplication.Status


def test_holding_keeps_the_proposal_waiting_and_records_the_note() -> None:
    proposal = ProposalFactory.create()
    coordinator = UserFactory.create()

    proposal_hold(proposal=proposal, by=coordinator, note="보호자와 통화 예정")

    proposal.refresh_from_db()
    proposal.application.refresh_from_db()
    assert proposal.status == MatchProposal.Status.PROPOSED
    assert proposal.application.status == Status.ON_HOLD
    event = proposal.application.events.get()
    assert (event.to_status, event.note, event.actor) == (
        "on_hold",
        "보호자와 통화 예정",
        coordinator,
    )


def test_holding_without_a_note_is_refused() -> None:
    proposal = ProposalFactory.create()
    with pytest.raises(ValidationError) as error:
        proposal_hold(proposal=proposal, by=UserFactory.create(), note="  ")
    assert "note" in error.value.message_dict


def test_a_held_proposal_can_be_approved_and_takes_a_place() -> None:
    proposal = ProposalFactory.create()
    coordinator = UserFactory.create()
    proposal_hold(proposal=proposal, by=coordinator, note="wait")

    proposal_approve(proposal=proposal, by=coordinator)

    proposal.refresh_from_db()
    proposal.project.refresh_from_db()
    assert (proposal.status, proposal.project.places_taken) == ("accepted", 1)
    statuses = list(proposal.application.events.values_list("to_status", flat=True))
    assert statuses == ["on_hold", "proposed", "accepted"]


def test_a_held_proposal_can_be_declined_with_a_reason() -> None:
    proposal = ProposalFactory.create()
    coordinator = UserFactory.create()
    proposal_hold(proposal=proposal, by=coordinator, note="wait")

    proposal_decline(proposal=proposal, by=coordinator, note="연락 두절")

    proposal.refresh_from_db()
    proposal.application.refresh_from_db()
    assert (proposal.status, proposal.application.status) == ("rejected", "pending")


def test_declining_without_a_reason_changes_nothing() -> None:
    proposal = ProposalFactory.create()
    with pytest.raises(ValidationError):
        proposal_decline(proposal=proposal, by=UserFactory.create(), note="")
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_approving_a_decided_proposal_is_refused_and_changes_nothing() -> None:
    proposal = ProposalFactory.create()
    coordinator = UserFactory.create()
    proposal_approve(proposal=proposal, by=coordinator)

    with pytest.raises(ValidationError, match="이미"):
        proposal_approve(proposal=proposal, by=coordinator)
    proposal.project.refresh_from_db()
    assert proposal.project.places_taken == 1


def test_reassign_options_are_the_eligible_open_projects_with_a_free_place() -> None:
    proposal = ProposalFactory.create()
    district = proposal.project.district
    fits = ProjectFactory.create(district=district)
    full = ProjectFactory.create(district=district, capacity=1, places_taken=1)
    other_area = ProjectFactory.create(district=district, area="education")
    paused = ProjectFactory.create(district=district, status=Project.Status.PAUSED)
    too_young = ProjectFactory.create(district=district, max_age=30)
    held = ProjectFactory.create(district=district, capacity=1)
    ProposalFactory.create(project=held, application__neighbourhood__district=district)

    options = reassign_options(
        application=proposal.application, exclude_project_ids=[proposal.project_id]
    )

    assert [option.project for option in options] == [fits]
    assert {full, other_area, paused, too_young, held}.isdisjoint(o.project for o in options)


def test_reassigning_expires_the_old_proposal_and_accepts_a_new_one() -> None:
    proposal = ProposalFactory.create()
    other = ProjectFactory.create(district=proposal.project.district)
    coordinator = UserFactory.create()

    new = proposal_reassign(proposal=proposal, project=other, by=coordinator, note="가까움")

    proposal.refresh_from_db()
    other.refresh_from_db()
    assert proposal.status == "expired"
    assert (new.status, new.project, new.run_id) == ("accepted", other, proposal.run_id)
    assert new.reasons["by_hand"] is True and new.score > 0
    assert other.places_taken == 1
    proposal.application.refresh_from_db()
    assert proposal.application.status == Status.ACCEPTED


def test_reassigning_to_an_ineligible_project_changes_nothing() -> None:
    proposal = ProposalFactory.create()
    wrong = ProjectFactory.create(district=proposal.project.district, area="education")

    with pytest.raises(ValidationError) as error:
        proposal_reassign(proposal=proposal, project=wrong, by=UserFactory.create())

    assert "project" in error.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == "proposed"
    assert MatchProposal.objects.count() == 1


def test_bulk_accept_accepts_each_on_its_own_and_reports_every_one() -> None:
    fine = ProposalFactory.create()
    full = ProposalFactory.create(project__capacity=1)
    Project.objects.filter(pk=full.project_id).update(places_taken=1)
    decided = ProposalFactory.create(status=MatchProposal.Status.REJECTED)

    results = proposals_bulk_accept(proposals=[fine, full, decided], by=UserFactory.create())

    assert [r.accepted for r in results] == [True, False, False]
    assert "남은 자리" in results[1].message
    assert "이미" in results[2].message
    fine.refresh_from_db()
    assert fine.status == "accepted"
