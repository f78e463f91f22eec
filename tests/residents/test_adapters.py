"""Where a login lands: a new resident on the short profile step, staff where they work."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from projects.models import StaffMember
from residents.models import User
from tests.factories import NeighbourhoodFactory, StaffMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client: Client, user: User, **params: str) -> str:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    url = reverse("account_login")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    response = client.post(url, {"login": user.email, "password": "welfare-test-password"})
    assert response.status_code == 302
    return str(response["Location"])


def test_a_resident_without_a_profile_lands_on_the_profile_step(client: Client) -> None:
    assert log_in(client, UserFactory.create()) == reverse("residents:profile")


def test_a_coordinator_lands_on_the_queue_not_on_a_residents_profile_step(
    client: Client,
) -> None:
    member = StaffMemberFactory.create(user=UserFactory.create(), role=StaffMember.Role.COORDINATOR)
    member.neighbourhoods.set([NeighbourhoodFactory.create(district=member.district)])
    assert log_in(client, member.user) == reverse("queue:index")


def test_district_staff_without_a_profile_are_not_sent_to_the_profile_step(
    client: Client,
) -> None:
    staff = StaffMemberFactory.create(user=UserFactory.create(is_staff=False)).user
    assert log_in(client, staff) == "/"


def test_an_address_to_come_back_to_wins_over_the_landing_page(client: Client) -> None:
    member = StaffMemberFactory.create(role=StaffMember.Role.COORDINATOR)
    assert log_in(client, member.user, next="/projects/") == "/projects/"
