"""A match run on the real database: what it proposes, what it records, what it never does."""

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import psycopg2
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from matching import eligibility
from matching.models import ApplicationEvent, MatchProposal, MatchRun, SupportApplication
from matching.services import (
    application_withdraw,
    match_run_execute,
    proposal_accept,
    proposal_reject,
)
from matching.services import match_runs as match_runs_module
from projects.models import District, Project
from tests.matching.engine_factories import (
    ApplicationFactory,
    DistrictFactory,
    NeighbourhoodFactory,
    ProjectFactory,
    ProposalFactory,
    UserFactory,
    target_group,
)

Status = SupportApplication.Status
Reason = SupportApplication.UnmatchedReason

pytestmark = pytest.mark.django_db


def proposals_of(district: District) -> dict[int, int]:
    return dict(
        MatchProposal.objects.filter(project__district=district).values_list(
            "application_id", "project_id"
        )
    )


def test_a_run_proposes_the_pairs_that_match_the_most_applications_not_the_greedy_ones() -> None:
    here = NeighbourhoodFactory.create()
    there = NeighbourhoodFactory.create(district=here.district)
    everywhere = ProjectFactory.create(district=here.district, capacity=1)
    local = ProjectFactory.create(
        district=here.district, capacity=1, whole_district=False, neighbourhoods=[here]
    )
    # The first applicant prefers the whole-district project (their best-scoring pair), but
    # the second can only go there: the optimum sends the first to the local project.
    first = ApplicationFactory.create(neighbourhood=here, preferred_project=everywhere, urgency=4)
    second = ApplicationFactory.create(neighbourhood=there)

    run = match_run_execute(district_id=here.district_id)

    assert proposals_of(here.district) == {first.pk: local.pk, second.pk: everywhere.pk}
    assert (run.status, run.considered, run.proposed) == (MatchRun.Status.SUCCEEDED, 2, 2)


def test_a_run_moves_matched_applications_to_proposed_and_records_the_event() -> None:
    project = ProjectFactory.create()
    application = ApplicationFactory.create(neighbourhood__district=project.district)

    run = match_run_execute(district_id=project.district_id)

    application.refresh_from_db()
    assert application.status == Status.PROPOSED
    event = ApplicationEvent.objects.get(application=application)
    assert (event.from_status, event.to_status) == (Status.PENDING, Status.PROPOSED)
    proposal = MatchProposal.objects.get(application=application)
    assert (proposal.run, proposal.status) == (run, MatchProposal.Status.PROPOSED)


def test_a_proposal_stores_its_reasons_and_score() -> None:
    crisis = target_group("crisis")
    project = ProjectFactory.create(support_type="goods", target_groups=[crisis])
    application = ApplicationFactory.create(
        neighbourhood__district=project.district,
        urgency=3,
        support_type="goods",
        target_groups=[crisis],
        submitted_at=timezone.now() - dt.timedelta(days=5),
    )

    match_run_execute(district_id=project.district_id)

    proposal = MatchProposal.objects.get(application=application)
    assert proposal.reasons["rules"] == list(eligibility.RULES)
    assert proposal.reasons["details"]["target_groups"] == ["crisis"]
    assert proposal.reasons["score"] == {
        "urgency": 300,
        "waited": 10,
        "same_neighbourhood": 0,
        "support_type": 50,
        "preferred_project": 0,
        "total": 360,
    }
    assert proposal.score == 360


def test_a_run_says_why_each_unmatched_application_was_not_matched() -> None:
    project = ProjectFactory.create(capacity=1)
    nbhd = NeighbourhoodFactory.create(district=project.district)
    matched = ApplicationFactory.create(neighbourhood=nbhd, urgency=4)
    no_place = ApplicationFactory.create(neighbourhood=nbhd, urgency=1)
    no_project = ApplicationFactory.create(neighbourhood=nbhd, areas=["education"])

    run = match_run_execute(district_id=project.district_id)

    rows = dict(SupportApplication.objects.values_list("pk", "status"))
    reasons = dict(SupportApplication.objects.values_list("pk", "unmatched_reason"))
    assert rows == {
        matched.pk: Status.PROPOSED,
        no_place.pk: Status.PENDING,
        no_project.pk: "pending",
    }
    assert reasons == {
        matched.pk: "",
        no_place.pk: Reason.NO_FREE_PLACE,
        no_project.pk: Reason.NO_ELIGIBLE_PROJECT,
    }
    assert (run.unmatched_no_place, run.unmatched_no_eligible) == (1, 1)


def test_a_run_never_proposes_more_than_the_free_places() -> None:
    # Five places: two taken by accepted connections, one held by a waiting proposal.
    project = ProjectFactory.create(capacity=5, places_taken=2)
    ProposalFactory.create(project=project, application__neighbourhood__district=project.district)
    nbhd = NeighbourhoodFactory.create(district=project.district)
    ApplicationFactory.create_batch(6, neighbourhood=nbhd)

    run = match_run_execute(district_id=project.district_id)

    assert run.proposed == 2
    assert MatchProposal.objects.filter(project=project, status="proposed").count() == 3


def test_a_rerun_proposes_nothing_twice() -> None:
    project = ProjectFactory.create(capacity=2)
    nbhd = NeighbourhoodFactory.create(district=project.district)
    ApplicationFactory.create_batch(3, neighbourhood=nbhd)

    first = match_run_execute(district_id=project.district_id)
    second = match_run_execute(district_id=project.district_id)

    assert (first.proposed, second.considered, second.proposed) == (2, 1, 0)
    assert MatchProposal.objects.count() == 2
    assert ApplicationEvent.objects.filter(to_status=Status.PROPOSED).count() == 2


def test_an_application_with_a_live_proposal_is_not_proposed_again_whatever_its_status() -> None:
    live = ProposalFactory.create()
    SupportApplication.objects.filter(pk=live.application_id).update(status=Status.PENDING)

    run = match_run_execute(district_id=live.project.district_id)

    assert run.considered == 0
    assert MatchProposal.objects.filter(application=live.application).count() == 1


def test_the_database_refuses_a_second_live_proposal_for_one_application() -> None:
    live = ProposalFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalFactory.create(
            application=live.application, project=live.project, run=live.run, status="accepted"
        )


def test_a_pair_a_coordinator_rejected_is_not_proposed_again() -> None:
    coordinator = UserFactory.create()
    first_choice = ProjectFactory.create(support_type="goods")
    other = ProjectFactory.create(district=first_choice.district)
    application = ApplicationFactory.create(
        neighbourhood__district=first_choice.district, support_type="goods"
    )
    match_run_execute(district_id=first_choice.district_id)
    proposal = MatchProposal.objects.get(application=application)
    assert proposal.project == first_choice

    proposal_reject(proposal=proposal, by=coordinator, note="Already served elsewhere.")
    match_run_execute(district_id=first_choice.district_id)

    live = MatchProposal.objects.get(application=application, status="proposed")
    assert live.project == other
    application.refresh_from_db()
    assert application.status == Status.PROPOSED


def test_a_paused_project_gets_no_proposals() -> None:
    paused = ProjectFactory.create(status=Project.Status.PAUSED)
    application = ApplicationFactory.create(neighbourhood__district=paused.district)

    match_run_execute(district_id=paused.district_id)

    application.refresh_from_db()
    assert (application.status, application.unmatched_reason) == (
        Status.PENDING,
        Reason.NO_ELIGIBLE_PROJECT,
    )


def test_a_project_paused_while_the_solver_runs_gets_no_proposals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = ProjectFactory.create()
    application = ApplicationFactory.create(neighbourhood__district=project.district)
    real_solve = match_runs_module.solver.solve

    def solve_while_staff_pause_the_project(
        edges: Sequence[tuple[int, int, int]], capacities: Mapping[int, int]
    ) -> dict[int, int]:
        Project.objects.filter(pk=project.pk).update(status=Project.Status.PAUSED)
        return real_solve(edges, capacities)

    monkeypatch.setattr(match_runs_module.solver, "solve", solve_while_staff_pause_the_project)

    run = match_run_execute(district_id=project.district_id)

    assert not MatchProposal.objects.exists()
    application.refresh_from_db()
    assert (application.status, application.unmatched_reason) == (
        Status.PENDING,
        Reason.NO_FREE_PLACE,
    )
    assert run.proposed == 0


def test_a_run_reads_and_writes_in_the_same_number_of_queries_for_3_or_60_applications(
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    project = ProjectFactory.create(capacity=100, whole_district=False)
    nbhds = NeighbourhoodFactory.create_batch(3, district=project.district)
    project.neighbourhoods.set(nbhds)
    project.target_groups.set([target_group("crisis")])
    crisis = [target_group("crisis")]
    small = DistrictFactory.create()
    small_project = ProjectFactory.create(district=small, capacity=100, target_groups=crisis)
    ApplicationFactory.create_batch(3, neighbourhood__district=small, target_groups=crisis)
    for index in range(60):
        ApplicationFactory.create(neighbourhood=nbhds[index % 3], target_groups=crisis)

    with django_assert_max_num_queries(20) as small_queries:
        match_run_execute(district_id=small_project.district_id)
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        run = match_run_execute(district_id=project.district_id)

    assert run.proposed == 60


def test_a_district_with_nothing_pending_stores_no_run() -> None:
    project = ProjectFactory.create()

    run = match_run_execute(district_id=project.district_id)

    assert (run.pk, run.status, run.considered) == (None, MatchRun.Status.SUCCEEDED, 0)
    assert not MatchRun.objects.exists()


def test_a_failing_run_writes_nothing_but_a_failed_run_and_raises(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = ProjectFactory.create()
    application = ApplicationFactory.create(neighbourhood__district=project.district)

    def broken_solver(*args: object) -> dict[int, int]:
        raise RuntimeError("solver broke")

    monkeypatch.setattr(match_runs_module.solver, "solve", broken_solver)

    with pytest.raises(RuntimeError):
        match_run_execute(district_id=project.district_id, attempt=2)

    run = MatchRun.objects.get()
    assert (run.status, run.attempts, run.note) == ("failed", 2, "RuntimeError: solver broke")
    assert not MatchProposal.objects.exists()
    application.refresh_from_db()
    assert application.status == Status.PENDING


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_is_skipped_and_writes_nothing_while_another_run_holds_the_district() -> None:
    project = ProjectFactory.create()
    ApplicationFactory.create(neighbourhood__district=project.district)
    other = psycopg2.connect(**_libpq_params())
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [match_runs_module._MATCH_LOCK_NAMESPACE, project.district_id],
            )
            run = match_run_execute(district_id=project.district_id)
            cursor.execute("ROLLBACK")  # the other run ends: its lock is released
    finally:
        other.close()

    assert (run.pk, run.status) == (None, MatchRun.Status.SKIPPED)
    assert not MatchRun.objects.exists()
    assert not MatchProposal.objects.exists()
    assert match_run_execute(district_id=project.district_id).proposed == 1


def _libpq_params() -> dict[str, Any]:
    db = connection.settings_dict
    return {
        "dbname": db["NAME"],
        "user": db["USER"] or "postgres",
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "password": db["PASSWORD"] or None,
    }


def test_run_matching_prints_a_summary_per_district(capsys: pytest.CaptureFixture[str]) -> None:
    project = ProjectFactory.create(district__code="jungnang", capacity=1)
    nbhd = NeighbourhoodFactory.create(district=project.district)
    ApplicationFactory.create_batch(2, neighbourhood=nbhd)
    ApplicationFactory.create(neighbourhood=nbhd, areas=["talent"])
    DistrictFactory.create(code="quiet")

    call_command("run_matching")

    out = capsys.readouterr().out
    assert "jungnang: 3 applications considered, 1 proposals" in out
    assert "1 no eligible project, 1 no free place" in out
    assert "quiet: 0 applications considered, 0 proposals" in out


def test_run_matching_runs_only_the_district_named() -> None:
    first = ProjectFactory.create(district__code="first")
    second = ProjectFactory.create(district__code="second")
    ApplicationFactory.create(neighbourhood__district=first.district)
    ApplicationFactory.create(neighbourhood__district=second.district)

    call_command("run_matching", "--district", "second")

    assert list(MatchProposal.objects.values_list("project_id", flat=True)) == [second.pk]


# --- A coordinator's decisions ------------------------------------------------------------


def test_accepting_a_proposal_takes_a_place_and_moves_the_application_on() -> None:
    coordinator = UserFactory.create()
    proposal = ProposalFactory.create(project__capacity=2)

    proposal_accept(proposal=proposal, by=coordinator, note="Called, she agrees.")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.decision_note) == (
        "accepted",
        coordinator,
        "Called, she agrees.",
    )
    assert Project.objects.get(pk=proposal.project_id).places_taken == 1
    assert SupportApplication.objects.get(pk=proposal.application_id).status == Status.ACCEPTED


def test_accepting_when_no_place_is_left_expires_the_proposal_and_reopens_the_application() -> None:
    coordinator = UserFactory.create()
    proposal = ProposalFactory.create(project__capacity=1, project__places_taken=1)

    with pytest.raises(ValidationError, match="남은 자리가 없어"):
        proposal_accept(proposal=proposal, by=coordinator)

    proposal.refresh_from_db()
    assert proposal.status == "expired"
    assert SupportApplication.objects.get(pk=proposal.application_id).status == Status.PENDING
    assert Project.objects.get(pk=proposal.project_id).places_taken == 1


def test_accepting_a_proposal_of_a_paused_project_expires_it() -> None:
    proposal = ProposalFactory.create(project__status=Project.Status.PAUSED)

    with pytest.raises(ValidationError, match="신청을 받지 않아"):
        proposal_accept(proposal=proposal, by=UserFactory.create())

    assert Project.objects.get(pk=proposal.project_id).places_taken == 0
    assert MatchProposal.objects.get(pk=proposal.pk).status == "expired"


def test_a_decided_proposal_cannot_be_decided_again() -> None:
    proposal = ProposalFactory.create()
    proposal_reject(proposal=proposal, by=UserFactory.create())

    with pytest.raises(ValidationError, match="이미"):
        proposal_accept(proposal=proposal, by=UserFactory.create())


def test_the_database_refuses_more_places_taken_than_the_capacity() -> None:
    project = ProjectFactory.create(capacity=1, places_taken=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(places_taken=2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_accepting_the_last_place_at_once_cannot_both_get_it() -> None:
    project = ProjectFactory.create(capacity=3, places_taken=2)
    proposals = [
        ProposalFactory.create(
            project=project, application__neighbourhood__district=project.district
        )
        for _ in range(2)
    ]
    coordinators = [UserFactory.create(), UserFactory.create()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            proposal_accept(proposal=proposals[index], by=coordinators[index])
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "refused"]
    project.refresh_from_db()
    assert project.places_taken == 3
    statuses = sorted(MatchProposal.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "expired"]


def test_withdrawing_an_application_expires_its_waiting_proposal() -> None:
    proposal = ProposalFactory.create()
    resident = UserFactory.create()

    application_withdraw(application=proposal.application, by=resident)

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == ("expired", resident)
