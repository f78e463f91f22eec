from collections import Counter
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

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


def test_proposals_agree_with_the_applications_status_and_carry_the_engines_reasons() -> None:
    _seed()

    for application in SupportApplication.objects.prefetch_related("proposals"):
        statuses = [p.status for p in application.proposals.all()]
        if application.status in (S.ACCEPTED, S.DELIVERED):
            assert statuses == [MatchProposal.Status.ACCEPTED], application.pk
        elif application.status == S.PROPOSED:
            assert statuses == [MatchProposal.Status.PROPOSED], application.pk
        else:
            assert statuses == [], application.pk
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
    taken = Project.objects.annotate(
        holding=Count("proposals", filter=Q(proposals__status=MatchProposal.Status.ACCEPTED)),
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
    assert MatchProposal.objects.filter(
        status=MatchProposal.Status.PROPOSED, application__in=mine
    ).exists()
    referrals = Referral.objects.filter(neighbourhood__code__in=COORDINATOR_NEIGHBOURHOODS)
    assert referrals.filter(status=Referral.Status.RECEIVED).exists()
    assert referrals.filter(status=Referral.Status.CONTACTED).exists()


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
