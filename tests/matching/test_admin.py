"""The admin's match runs, proposals and notifications: read-only, and only the staff member's
district; a message's words only to that district's staff, each reading logged."""

from typing import Any

import factory
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse

from matching.admin import MatchProposalAdmin, MatchRunAdmin
from matching.models import MatchProposal, MatchRun, Notification
from projects.models import District, StaffMember
from residents.models import PersonalDataAccess, User
from tests.factories import NotificationFactory, StaffMemberFactory
from tests.matching.engine_factories import (
    ApplicationFactory,
    DistrictFactory,
    MatchRunFactory,
    ProposalFactory,
    UserFactory,
)

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


def test_the_proposal_pages_name_the_application_by_number_not_the_applicants_name(
    client: Client,
) -> None:
    proposal = ProposalFactory.create(application__applicant_name="김비밀")
    client.force_login(StaffMemberFactory.create(district=proposal.project.district).user)

    listing = client.get(reverse("admin:matching_matchproposal_changelist"))
    detail = client.get(reverse("admin:matching_matchproposal_change", args=[proposal.pk]))

    assert listing.status_code == detail.status_code == 200
    for page in (listing, detail):
        assert f"#{proposal.application_id}" in page.content.decode()
        assert "김비밀" not in page.content.decode()


# --- Notifications sent -------------------------------------------------------------------

NOTIFICATIONS_URL = reverse("admin:matching_notification_changelist")


def notification_url(notification: Notification) -> str:
    return reverse("admin:matching_notification_change", args=[notification.pk])


def test_district_staff_see_their_districts_notifications_and_not_anothers(
    client: Client,
) -> None:
    ours = NotificationFactory.create()
    theirs = NotificationFactory.create()
    client.force_login(StaffMemberFactory.create(district=ours.district).user)

    listed = client.get(NOTIFICATIONS_URL)
    other = client.get(notification_url(theirs))

    assert listed.status_code == 200
    assert list(listed.context["cl"].result_list) == [ours]
    assert other.status_code == 302  # the admin's "does not exist" redirect
    assert not PersonalDataAccess.objects.exists()


def test_nobody_adds_changes_or_deletes_a_notification_in_the_admin(
    client: Client, admin_client: Client
) -> None:
    notification = NotificationFactory.create()
    staff = StaffMemberFactory.create(district=notification.district).user
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[f"{a}_notification" for a in ("add", "change", "delete")]
        )
    )
    client.force_login(staff)
    change_url = notification_url(notification)
    delete_url = reverse("admin:matching_notification_delete", args=[notification.pk])

    for who in (client, admin_client):
        page = who.get(change_url)
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        assert who.post(change_url, {"body": "changed"}).status_code == 403
        assert who.get(reverse("admin:matching_notification_add")).status_code == 403
        assert who.post(delete_url, {"post": "yes"}).status_code == 403

    notification.refresh_from_db()
    assert notification.body.startswith("Neighbour ")
    assert Notification.objects.count() == 1


def test_the_notification_list_costs_the_same_few_queries_with_many_rows(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    district = DistrictFactory.create()
    resident = UserFactory.create()
    NotificationFactory.create_batch(60, district=district)
    NotificationFactory.create_batch(
        60,
        district=district,
        user=resident,
        recipient=f"user:{resident.pk}",
        kind=Notification.Kind.REFERRAL_STATUS,
        channel=Notification.Channel.EMAIL,
        object_key=factory.Sequence(lambda n: f"{n}:contacted"),
    )
    client.force_login(StaffMemberFactory.create(district=district).user)

    # +1: the access-log rows of the residents shown, one insert
    with django_assert_max_num_queries(11):
        response = client.get(NOTIFICATIONS_URL, {"kind": "referral_status", "q": "contacted"})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 60


def test_district_staff_read_a_messages_words_and_each_reading_is_logged(client: Client) -> None:
    application = ApplicationFactory.create(applicant_name="홍길동")
    notification = NotificationFactory.create(
        district=application.district,
        object_key=str(application.pk),
        recipient="phone:010-2222-3333",
        body="홍길동 님, 지원 신청이 접수되었습니다.",
    )
    staff = StaffMemberFactory.create(district=application.district).user
    client.force_login(staff)

    listed = client.get(NOTIFICATIONS_URL)
    page = client.get(notification_url(notification))

    assert "홍길동" not in listed.content.decode()
    assert "010-2222-3333" not in listed.content.decode()
    assert "···3333" in listed.content.decode()
    assert "홍길동 님, 지원 신청이 접수되었습니다." in page.content.decode()
    assert "010-2222-3333" in page.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.viewer, access.subject_application_id, access.view_name) == (
        staff,
        application.pk,
        "admin:matching_notification_change",
    )


def test_a_coordinator_allowed_into_the_list_never_reads_the_words(client: Client) -> None:
    notification = NotificationFactory.create(body="홍길동 님, 지원 신청이 접수되었습니다.")
    coordinator = StaffMemberFactory.create(
        district=notification.district, role=StaffMember.Role.COORDINATOR
    ).user
    coordinator.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(coordinator)

    page = client.get(notification_url(notification))

    assert page.status_code == 200
    assert "홍길동" not in page.content.decode()
    assert notification.recipient not in page.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_a_superuser_reads_every_districts_words_and_filters_by_district(
    admin_client: Client, admin_user: User
) -> None:
    resident = UserFactory.create()
    notification = NotificationFactory.create(
        kind=Notification.Kind.REFERRAL_STATUS,
        object_key="41:contacted",
        user=resident,
        recipient=f"user:{resident.pk}",
        body="Hello, your referral is now contacted.",
    )

    listed = admin_client.get(NOTIFICATIONS_URL)
    page = admin_client.get(notification_url(notification))

    assert any(spec.field_path == "district" for spec in listed.context["cl"].filter_specs)
    assert "Hello, your referral is now contacted." in page.content.decode()
    # The list named the resident the message went to: logged too.
    assert PersonalDataAccess.objects.filter(
        view_name="admin:matching_notification_changelist", subject_user=resident
    ).exists()
    access = PersonalDataAccess.objects.get(view_name="admin:matching_notification_change")
    assert (access.viewer, access.subject_user, access.subject_referral_id) == (
        admin_user,
        resident,
        41,
    )
