"""The admin's match runs and proposals: read-only, and only the staff member's district."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.test import RequestFactory

from matching.admin import MatchProposalAdmin, MatchRunAdmin
from matching.models import MatchProposal, MatchRun
from projects.models import District, StaffMember
from tests.matching.engine_factories import MatchRunFactory, ProposalFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff_request(district: District) -> HttpRequest:
    user = UserFactory.create(is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_matchproposal", "view_matchrun"])
    )
    StaffMember.objects.create(user=user, district=district, role=StaffMember.Role.STAFF)
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_staff_see_only_their_own_districts_proposals_and_runs() -> None:
    ours = ProposalFactory.create()
    theirs = ProposalFactory.create()
    request = staff_request(ours.project.district)
    proposals = MatchProposalAdmin(MatchProposal, admin.site)
    runs = MatchRunAdmin(MatchRun, admin.site)

    assert list(proposals.get_queryset(request)) == [ours]
    assert list(runs.get_queryset(request)) == [ours.run]
    assert proposals.has_view_permission(request, ours)
    assert not proposals.has_view_permission(request, theirs)


def test_nobody_adds_changes_or_deletes_runs_or_proposals_in_the_admin() -> None:
    run = MatchRunFactory.create()
    request = staff_request(run.district)
    request.user.is_superuser = True  # type: ignore[union-attr]

    for model_admin in (
        MatchRunAdmin(MatchRun, admin.site),
        MatchProposalAdmin(MatchProposal, admin.site),
    ):
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, None)
        assert not model_admin.has_delete_permission(request, None)


def test_a_proposal_shows_its_reasons_and_score_parts() -> None:
    proposal = ProposalFactory.create(
        reasons={
            "version": 1,
            "rules": ["area"],
            "details": {"area": "health"},
            "score": {"urgency": 300, "waited": 0, "support_type": 50, "total": 350},
        }
    )
    model_admin = MatchProposalAdmin(MatchProposal, admin.site)

    assert model_admin.score_parts(proposal) == "urgency 300, support_type 50"
    shown = model_admin.reasons_shown(proposal)
    assert shown.startswith("<pre>")
    assert "&quot;area&quot;: &quot;health&quot;" in shown
