import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from tests.residents.factories import DistrictFactory, district_staff_user
from visitors.models import DailyVisitors

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:visitors_dailyvisitors_changelist")


@pytest.fixture
def days() -> list[DailyVisitors]:
    first = datetime.date(2026, 1, 1)
    return DailyVisitors.objects.bulk_create(
        [DailyVisitors(day=first + datetime.timedelta(days=i), visitors=100 + i) for i in range(60)]
    )


def test_staff_with_the_view_permission_read_the_daily_counts_in_bounded_queries(
    client: Client, days: list[DailyVisitors], django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    staff = district_staff_user(DistrictFactory.create(), "visitors.view_dailyvisitors")
    client.force_login(staff)

    with django_assert_max_num_queries(12):
        response = client.get(LIST_URL)

    assert response.status_code == 200
    assert b"159" in response.content  # the last day's count


def test_nobody_adds_changes_or_deletes_a_days_count(
    admin_client: Client, days: list[DailyVisitors]
) -> None:
    day = days[0]

    assert admin_client.get(reverse("admin:visitors_dailyvisitors_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:visitors_dailyvisitors_change", args=[day.pk]), {"visitors": 1}
    )
    assert response.status_code == 403
    assert (
        admin_client.get(reverse("admin:visitors_dailyvisitors_delete", args=[day.pk])).status_code
        == 403
    )
    day.refresh_from_db()
    assert day.visitors == 100


def test_hashes_and_salts_have_no_admin(admin_client: Client) -> None:
    index = admin_client.get(reverse("admin:index")).content.decode()

    assert "visitorhash" not in index
    assert "dailysalt" not in index


def test_the_district_staff_group_may_view_the_counts() -> None:
    group = Group.objects.get(name="district staff")

    assert group.permissions.filter(
        content_type__app_label="visitors", codename="view_dailyvisitors"
    ).exists()
