from collections import Counter
from datetime import timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from matching import eligibility
from matching.models import (
    ApplicationEvent,
    MatchProposal,
    MatchRun,
    Referral,
    SupportApplication,
)
from projects.models import Project
from residents.models import ResidentProfile

pytestmark = pytest.mark.django_db

S = SupportApplication.Status
P = MatchProposal.Status
COORDINATOR_NEIGHBOURHOODS = ("myeonmok-bon", "myeonmok-2", "myeonmok-3-8")


def _seed(scale: str = "small", seed: int = 2026) -> None:
    call_command("seed_demo", "--scale", scale, "--seed", str(seed), stdout=StringIO())


def _counts() -> dict[str, int]:
    models = [SupportApplication, ApplicationEvent, MatchProposal, MatchRun, Referral]
    counts = {model.__name__: model._default_manager.count() for model in models}
    counts["places_taken"] = sum(Project.objects.values_list("places_taken", flat=True))
    counts["target_groups"] = SupportApplication.target_groups.through.objects.count()
    return counts


def test_small_scale_makes_about_forty_applications_of_demo_residents() -> None:
    _seed()

    applications = SupportApplication.objects.all()
    assert 35 <= applications.count() <= 50
    assert not applications.filter(applicant__isnull=True).exists()
    assert Counter(applications.values_list("status", flat=True))[S.DELIVERED] >= 20


def test_every_applications_last_event_is_its_status_and_events_follow_each_other() -> None:
    _seed()

    events: dict[int, list[ApplicationEvent]] = {}
    for event in ApplicationEvent.objects.order_by("created_at", "pk"):
        events.setdefault(event.application_id, []).append(event)
    for application in SupportApplication.objects.all():
        timeline = events[application.pk]
        assert timeline[0].to_status == S.PENDING
        assert timeline[0].from_status == ""
        assert timeline[0].created_at == application.submitted_at
        assert timeline[-1].to_status == application.status, application.pk
        for before, after in pairwise(timeline):
            assert after.from_status == before.to_status
            assert after.created_at > before.created_at


# Every (from, to) an application's events can show: the ones matching/services writes.
TRANSITIONS = {
    ("", S.PENDING),  # application_submit
    (S.PENDING, S.PROPOSED),  # a match run (no actor)
    (S.PROPOSED, S.ACCEPTED),  # proposal_accept
    (S.PROPOSED, S.PENDING),  # proposal_reject (or an accept with no place left)
    (S.PROPOSED, S.ON_HOLD),  # proposal_hold
    (S.ON_HOLD, S.PROPOSED),  # proposal_approve / proposal_decline take it off hold
    (S.ACCEPTED, S.DELIVERED),  # connection_record_outcome
    (S.ACCEPTED, S.CLOSED),
    (S.ACCEPTED, S.WITHDRAWN),
    (S.PENDING, S.WITHDRAWN),  # application_withdraw
    (S.PROPOSED, S.WITHDRAWN),
    (S.ON_HOLD, S.WITHDRAWN),
}
# An application's last proposal, by the application's status (the ones before it: rejected).
LAST_PROPOSAL: dict[str, set[str]] = {
    S.PENDING: {P.REJECTED},
    S.PROPOSED: {P.PROPOSED},
    S.ON_HOLD: {P.PROPOSED},
    S.ACCEPTED: {P.ACCEPTED},
    S.DELIVERED: {P.ACCEPTED},
    S.CLOSED: {P.ACCEPTED},
    S.WITHDRAWN: {P.ACCEPTED, P.EXPIRED, P.REJECTED},
}
# The event a decided proposal's decision made: accept, reject (back to pending), expiry by
# the resident's withdrawal.
DECISION_EVENT: dict[str, str] = {
    P.ACCEPTED: S.ACCEPTED,
    P.REJECTED: S.PENDING,
    P.EXPIRED: S.WITHDRAWN,
}


def test_events_make_only_the_transitions_the_services_make() -> None:
    _seed()

    events = ApplicationEvent.objects.select_related("application")
    assert {(e.from_status, e.to_status) for e in events} <= TRANSITIONS
    for event in events:
        application = event.application
        if event.to_status == S.PROPOSED and event.from_status == S.PENDING:
            assert event.actor_id is None  # the match run
        if event.to_status == S.WITHDRAWN and event.from_status != S.ACCEPTED:
            assert event.actor_id == application.applicant_id  # the resident themselves
        if event.from_status == S.ACCEPTED:
            assert event.outcome and event.outcome_on is not None
            assert event.outcome_on <= timezone.localtime(event.created_at).date()
            assert (application.outcome, application.outcome_on) == (
                event.outcome,
                event.outcome_on,
            )
        else:
            assert (event.outcome, event.outcome_on) == ("", None)
        if event.to_status in (S.ON_HOLD, S.CLOSED) or (
            event.from_status == S.PROPOSED and event.to_status == S.PENDING
        ):
            assert event.note, event  # a hold, a rejection, a closing always says why


def test_proposals_agree_with_the_applications_timeline_and_carry_the_engines_reasons() -> None:
    _seed()

    for application in SupportApplication.objects.prefetch_related("proposals", "events"):
        proposals = sorted(application.proposals.all(), key=lambda p: p.created_at)
        events = sorted(application.events.all(), key=lambda e: e.created_at)
        # Each proposal came with a "proposed" event of a run; a rejected pair never again.
        runs = [
            e.created_at for e in events if (e.from_status, e.to_status) == (S.PENDING, S.PROPOSED)
        ]
        assert runs == [p.created_at for p in proposals], application.pk
        assert len({p.project_id for p in proposals}) == len(proposals)
        status = application.status
        if not proposals:
            assert status in (S.PENDING, S.WITHDRAWN), application.pk
            continue
        *earlier, last = proposals
        assert all(p.status == P.REJECTED for p in earlier), application.pk
        expected = LAST_PROPOSAL[status]
        assert last.status in expected, application.pk
        # A decision is made at the moment of its event.
        for proposal in proposals:
            if proposal.status == P.PROPOSED:
                assert proposal.decided_at is None
                continue
            to_status = DECISION_EVENT[proposal.status]
            decided = [e for e in events if e.created_at == proposal.decided_at]
            assert [e.to_status for e in decided] == [to_status], proposal.pk
            assert proposal.decided_by_id == decided[0].actor_id
            if proposal.status != P.ACCEPTED:
                assert proposal.decision_note
    for proposal in MatchProposal.objects.select_related("application", "project"):
        assert proposal.reasons["version"] == eligibility.REASONS_VERSION
        assert proposal.reasons["rules"] == list(eligibility.RULES)
        assert proposal.reasons["score"]["total"] == proposal.score
        assert proposal.project.area in proposal.application.areas
        assert proposal.project.area == proposal.reasons["details"]["area"]
        assert proposal.run.started_at == proposal.created_at
        assert proposal.created_at > proposal.application.submitted_at


def test_proposed_projects_serve_the_applicants_neighbourhood_or_the_whole_district() -> None:
    _seed()

    proposals = MatchProposal.objects.select_related("application").prefetch_related(
        "project__neighbourhoods"
    )
    assert proposals.exists()
    for proposal in proposals:
        project = proposal.project
        served = {n.pk for n in project.neighbourhoods.all()}
        assert project.whole_district or proposal.application.neighbourhood_id in served


def test_places_taken_count_accepted_and_delivered_applications_and_never_pass_capacity() -> None:
    _seed()

    assert not Project.objects.filter(places_taken__gt=F("capacity")).exists()
    # A connection that ended without support gave its place back.
    holding = Q(
        proposals__status=P.ACCEPTED, proposals__application__status__in=[S.ACCEPTED, S.DELIVERED]
    )
    taken = Project.objects.annotate(
        holding=Count("proposals", filter=holding),
        waiting=Count("proposals", filter=Q(proposals__status=MatchProposal.Status.PROPOSED)),
    )
    assert any(project.places_taken for project in taken)
    for project in taken:
        assert project.places_taken == project.holding, project.title
        if project.status == Project.Status.OPEN:
            assert project.places_taken + project.waiting <= project.capacity


def test_applications_copy_the_applicants_profile() -> None:
    _seed()

    for application in SupportApplication.objects.select_related(
        "applicant__profile"
    ).prefetch_related("target_groups", "applicant__profile__target_groups"):
        profile: ResidentProfile = application.applicant.profile  # type: ignore[union-attr]
        assert application.neighbourhood_id == profile.neighbourhood_id
        assert application.birth_year == profile.birth_year
        assert application.household_type == profile.household_type
        assert application.contact_phone == profile.phone
        assert application.applicant_name
        assert application.description
        assert set(application.target_groups.all()) == set(profile.target_groups.all())


def test_the_coordinators_neighbourhoods_have_a_live_queue_and_referrals() -> None:
    _seed()

    mine = SupportApplication.objects.filter(neighbourhood__code__in=COORDINATOR_NEIGHBOURHOODS)
    statuses = Counter(mine.values_list("status", flat=True))
    assert statuses[S.PENDING] >= 2
    assert statuses[S.PROPOSED] >= 1
    assert statuses[S.ACCEPTED] >= 1
    assert statuses[S.ON_HOLD] >= 1
    assert MatchProposal.objects.filter(
        status=MatchProposal.Status.PROPOSED, application__in=mine
    ).exists()
    referrals = Referral.objects.filter(neighbourhood__code__in=COORDINATOR_NEIGHBOURHOODS)
    assert referrals.filter(status=Referral.Status.RECEIVED).exists()
    assert referrals.filter(status=Referral.Status.CONTACTED).exists()


def test_todays_open_cases_are_recent_ones_the_demo_years_all_ended() -> None:
    _seed()

    still_open = SupportApplication.objects.filter(
        status__in=[S.PENDING, S.PROPOSED, S.ON_HOLD, S.ACCEPTED]
    )
    assert still_open.exists()
    three_weeks_ago = timezone.now() - timedelta(days=22)
    assert not still_open.filter(submitted_at__lt=three_weeks_ago).exists()


def test_connected_referrals_lead_to_an_application_in_their_neighbourhood() -> None:
    _seed()

    connected = Referral.objects.filter(status=Referral.Status.CONNECTED).select_related(
        "application"
    )
    assert connected.exists()
    for referral in connected:
        assert referral.application is not None
        assert referral.application.neighbourhood_id == referral.neighbourhood_id
        assert referral.created_at < referral.application.submitted_at


def test_a_second_run_changes_no_counts() -> None:
    _seed(seed=7)
    first = _counts()

    _seed(seed=8)

    assert first["SupportApplication"] > 0
    assert _counts() == first
