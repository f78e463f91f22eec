"""District staff invite a coordinator by email; the person becomes one only once they accept,
logged in with that email. The staff's answer is the same whether the address has an account
or not: the form does not tell who is signed up."""

import re
from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from projects.models import CoordinatorInvitation, StaffMember
from residents.models import User
from tests.factories import UserFactory
from welfare_net.celery import app

from .conftest import Place

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture(autouse=True)
def eager_tasks() -> Iterator[None]:
    """The invitation's email task runs here, in this process, instead of on a worker."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


INVITE = "admin:projects_coordinatorinvitation_add"


def invite(client: Client, email: str, place: Place) -> tuple[int, str]:
    # The invitation's email leaves once its transaction commits, as in real use.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse(INVITE),
            {"email": email, "neighbourhoods": [place.neighbourhoods[0].pk]},
            follow=True,
        )
    # The page the staff member ends on, without the per-request CSRF token and the address.
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    body = re.sub(r"(nobody|helper)@example\.com", "EMAIL", body)
    body = re.sub(r"/\d+/change/|(?<=value=\")\d+(?=\")|\d{4}년 \d+월 \d+일 [^<]*", "", body)
    return response.status_code, body


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/projects/invitations/[^/\s]+/)", str(message.body))
    assert found is not None, message.body
    return found.group(1)


@pytest.fixture
def helper() -> User:
    return UserFactory.create(email="helper@example.com")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_answer_does_not_tell_whether_the_email_has_an_account(
    staff_client: Client, jungnang: Place, helper: User
) -> None:
    known = invite(staff_client, "helper@example.com", jungnang)
    CoordinatorInvitation.objects.all().delete()  # each answer seen on its own
    unknown = invite(staff_client, "nobody@example.com", jungnang)

    assert known == unknown
    assert known[0] == 200
    assert "초대" in known[1]  # the one message, in Korean
    # Only the account's address got an email.
    assert [message.to for message in mail.outbox] == [["helper@example.com"]]


def test_an_invited_resident_is_not_a_coordinator_before_accepting(
    staff_client: Client, jungnang: Place, helper: User
) -> None:
    invite(staff_client, "helper@example.com", jungnang)

    assert not StaffMember.objects.filter(user=helper).exists()
    assert not helper.groups.exists()
    assert logged_in(helper).get(reverse("queue:index")).status_code == 404


def test_accepting_while_logged_in_with_the_invited_email_makes_a_coordinator(
    staff_client: Client, jungnang: Place, helper: User
) -> None:
    invite(staff_client, "Helper@Example.com", jungnang)
    link = link_in(mail.outbox[-1])
    browser = logged_in(helper)

    page = browser.get(link)
    accepted = browser.post(link)

    assert page.status_code == 200
    assert accepted.status_code == 302
    member = StaffMember.objects.get(user=helper)
    assert member.role == StaffMember.Role.COORDINATOR
    assert member.district == jungnang.district
    assert list(member.neighbourhoods.all()) == [jungnang.neighbourhoods[0]]
    assert list(helper.groups.values_list("name", flat=True)) == ["coordinator"]
    # Once only.
    assert browser.post(link).status_code == 410


def test_another_logged_in_user_cannot_accept_someone_elses_invitation(
    staff_client: Client, jungnang: Place, helper: User
) -> None:
    invite(staff_client, "helper@example.com", jungnang)
    link = link_in(mail.outbox[-1])
    someone = UserFactory.create(email="someone@example.com")

    assert logged_in(someone).get(link).status_code == 403
    assert logged_in(someone).post(link).status_code == 403
    assert not StaffMember.objects.filter(user__in=[someone, helper]).exists()


def test_an_expired_invitation_is_refused(
    staff_client: Client, jungnang: Place, helper: User
) -> None:
    invite(staff_client, "helper@example.com", jungnang)
    link = link_in(mail.outbox[-1])
    CoordinatorInvitation.objects.update(expires_at=CoordinatorInvitation.objects.get().created_at)

    assert logged_in(helper).post(link).status_code == 410
    assert not StaffMember.objects.filter(user=helper).exists()


def test_a_cancelled_invitation_is_refused(
    staff_client: Client, jungnang: Place, helper: User
) -> None:
    invite(staff_client, "helper@example.com", jungnang)
    link = link_in(mail.outbox[-1])
    invitation = CoordinatorInvitation.objects.get()

    staff_client.post(
        reverse("admin:projects_coordinatorinvitation_changelist"),
        {"action": "cancel_invitations", "_selected_action": [invitation.pk]},
    )

    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None
    assert logged_in(helper).post(link).status_code == 410


def test_staff_see_their_districts_pending_invitations(
    staff_client: Client, jungnang: Place
) -> None:
    invite(staff_client, "nobody@example.com", jungnang)

    page = staff_client.get(reverse("admin:projects_coordinatorinvitation_changelist"))

    assert page.status_code == 200
    assert "nobody@example.com" in page.content.decode()


def test_a_link_nobody_was_given_is_not_found(helper: User) -> None:
    url = reverse("projects:coordinator_invitation", args=["no-such-token"])

    assert logged_in(helper).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page first


def test_district_staff_cannot_invite_for_another_districts_neighbourhoods(
    staff_client: Client, jungnang: Place, nowon: Place
) -> None:
    response = staff_client.post(
        reverse(INVITE),
        {"email": "helper@example.com", "neighbourhoods": [nowon.neighbourhoods[0].pk]},
    )

    assert response.status_code == 200
    assert "neighbourhoods" in response.context["adminform"].form.errors
    assert not CoordinatorInvitation.objects.exists()


def test_district_staff_no_longer_name_a_coordinator_directly(staff_client: Client) -> None:
    assert staff_client.get(reverse("admin:projects_staffmember_add")).status_code == 403


def test_the_email_task_run_twice_sends_once(
    staff_client: Client, jungnang: Place, helper: User
) -> None:
    from projects.services import coordinator_invitation_email

    invite(staff_client, "helper@example.com", jungnang)
    invitation = CoordinatorInvitation.objects.get()

    again = coordinator_invitation_email(invitation_id=invitation.pk, site_url="http://testserver")

    assert again is False
    assert len(mail.outbox) == 1


def test_no_link_exists_for_an_address_without_an_account(
    staff_client: Client, jungnang: Place
) -> None:
    invite(staff_client, "nobody@example.com", jungnang)

    assert CoordinatorInvitation.objects.get().token_digest is None
    assert mail.outbox == []
