import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from donations.models import DonationPledge, DonationReceipt
from donations.services import pledge_mark_received
from projects.models import Area
from tests.donations.factories import GoodsPledgeFactory, MoneyPledgeFactory
from tests.residents.factories import (
    DistrictFactory,
    ProjectFactory,
    UserFactory,
    district_staff_user,
)

pytestmark = pytest.mark.django_db

PLEDGES_URL = reverse("admin:donations_donationpledge_changelist")
RECEIPTS_URL = reverse("admin:donations_donationreceipt_changelist")
PLEDGE_PERMISSIONS = ("donations.view_donationpledge", "donations.change_donationpledge")


@pytest.fixture
def two_districts() -> dict[str, list[DonationPledge]]:
    """Fifteen pledges in our district (some received, with receipts), three in another."""
    ours = DistrictFactory.create(code="ours")
    theirs = DistrictFactory.create(code="theirs")
    our_projects = [
        ProjectFactory.create(district=ours, area=area) for area in (Area.DONATION, Area.TALENT)
    ]
    our_pledges = [
        MoneyPledgeFactory.create(project=our_projects[i % 2], amount_won=1000 * (i + 1))
        for i in range(10)
    ] + GoodsPledgeFactory.create_batch(5, project=our_projects[0])
    for pledge in our_pledges[:6]:
        pledge_mark_received(pledge=pledge)
    their_pledges = MoneyPledgeFactory.create_batch(
        3, project=ProjectFactory.create(district=theirs)
    )
    pledge_mark_received(pledge=their_pledges[0])
    return {"ours": our_pledges, "theirs": their_pledges}


def _staff_client(client: Client, *permissions: str) -> Client:
    user = district_staff_user(DistrictFactory.create(code="ours"), *permissions)
    client.force_login(user)
    return client


def test_district_staff_see_only_their_districts_pledges_in_bounded_queries(
    client: Client, two_districts: dict[str, list[DonationPledge]], django_assert_max_num_queries
) -> None:
    staff = _staff_client(client, *PLEDGE_PERMISSIONS)

    # +1: the access-log rows of the residents shown, one insert
    with django_assert_max_num_queries(11):
        response = staff.get(PLEDGES_URL)

    assert response.status_code == 200
    listed = {pledge.pk for pledge in response.context["cl"].result_list}
    assert listed == {pledge.pk for pledge in two_districts["ours"]}
    html = response.content.decode()
    receipt = DonationReceipt.objects.filter(district__code="ours").first()
    assert receipt is not None and receipt.number in html
    assert "theirs" not in html.lower()


def test_the_pledge_list_filters_by_project_area(
    client: Client, two_districts: dict[str, list[DonationPledge]]
) -> None:
    staff = _staff_client(client, *PLEDGE_PERMISSIONS)

    response = staff.get(PLEDGES_URL, {"project__area": Area.TALENT})

    listed = response.context["cl"].result_list
    assert len(listed) == 5
    assert {pledge.project.area for pledge in listed} == {Area.TALENT}


def test_the_mark_received_action_reports_each_pledge_and_ignores_other_districts(
    client: Client, two_districts: dict[str, list[DonationPledge]]
) -> None:
    staff = _staff_client(client, *PLEDGE_PERMISSIONS)
    already_received = two_districts["ours"][0]
    pledged_money = two_districts["ours"][7]
    pledged_goods = two_districts["ours"][12]
    theirs = two_districts["theirs"][1]
    receipts_before = DonationReceipt.objects.count()

    response = staff.post(
        PLEDGES_URL,
        {
            "action": "mark_received",
            "_selected_action": [
                already_received.pk,
                pledged_money.pk,
                pledged_goods.pk,
                theirs.pk,
            ],
        },
    )

    assert response.status_code == 302
    levels = sorted(message.level_tag for message in get_messages(response.wsgi_request))
    assert levels == ["error", "success", "success"]
    for pledge in (pledged_money, pledged_goods, theirs):
        pledge.refresh_from_db()
    assert pledged_money.status == pledged_goods.status == DonationPledge.Status.RECEIVED
    assert theirs.status == DonationPledge.Status.PLEDGED
    assert DonationReceipt.objects.count() == receipts_before + 1
    assert DonationReceipt.objects.filter(pledge=pledged_money).exists()


def test_staff_cannot_add_or_delete_pledges_in_the_admin(client: Client) -> None:
    staff = _staff_client(
        client,
        *PLEDGE_PERMISSIONS,
        "donations.add_donationpledge",
        "donations.delete_donationpledge",
    )

    response = staff.get(reverse("admin:donations_donationpledge_add"))

    assert response.status_code == 403


def test_district_staff_see_only_their_districts_receipts_and_cannot_change_them(
    client: Client, two_districts: dict[str, list[DonationPledge]], django_assert_max_num_queries
) -> None:
    staff = _staff_client(
        client,
        "donations.view_donationreceipt",
        "donations.change_donationreceipt",
        "donations.add_donationreceipt",
        "donations.delete_donationreceipt",
    )
    ours = DonationReceipt.objects.filter(district__code="ours")
    theirs = DonationReceipt.objects.get(district__code="theirs")

    # +1: the access-log rows of the residents shown, one insert
    with django_assert_max_num_queries(11):
        response = staff.get(RECEIPTS_URL)
    change_page = staff.get(reverse("admin:donations_donationreceipt_change", args=[ours[0].pk]))
    their_page = staff.get(reverse("admin:donations_donationreceipt_change", args=[theirs.pk]))
    add_page = staff.get(reverse("admin:donations_donationreceipt_add"))

    assert response.status_code == 200
    assert {r.pk for r in response.context["cl"].result_list} == {r.pk for r in ours}
    assert len(ours) == 6
    assert change_page.status_code == 200
    assert change_page.context["has_change_permission"] is False
    assert change_page.context["has_delete_permission"] is False
    assert their_page.status_code == 302  # "does not exist" for another district's receipt
    assert add_page.status_code == 403


def test_a_staff_user_without_a_district_sees_no_pledges(
    client: Client, two_districts: dict[str, list[DonationPledge]]
) -> None:
    user = UserFactory.create(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_donationpledge"))
    client.force_login(user)

    response = client.get(PLEDGES_URL)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_a_pledge_page_shows_its_receipt_read_only_and_hides_other_districts_pledges(
    client: Client, two_districts: dict[str, list[DonationPledge]]
) -> None:
    staff = _staff_client(client, *PLEDGE_PERMISSIONS)
    received = two_districts["ours"][0]
    receipt = DonationReceipt.objects.get(pledge=received)

    page = staff.get(reverse("admin:donations_donationpledge_change", args=[received.pk]))
    theirs = staff.get(
        reverse("admin:donations_donationpledge_change", args=[two_districts["theirs"][0].pk])
    )

    assert page.status_code == 200
    assert receipt.number in page.content.decode()
    assert theirs.status_code == 302
