"""The access log's two years: rows just past them are deleted, rows just inside them stay."""

import datetime as dt

import pytest
from django.utils import timezone

from residents.models import PersonalDataAccess
from residents.services import access_log_purge_expired, personal_data_access_record
from tests.residents.factories import ResidentProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

TWO_YEARS = dt.timedelta(days=730)
MINUTE = dt.timedelta(minutes=1)


def access_at(at: dt.datetime) -> PersonalDataAccess:
    access = personal_data_access_record(
        viewer=UserFactory.create(is_staff=True),
        subject_user=ResidentProfileFactory.create().user,
        view_name="test",
        reason=PersonalDataAccess.Reason.CASE_REVIEW,
    )
    PersonalDataAccess.objects.filter(pk=access.pk).update(at=at)
    return access


def test_access_rows_just_past_two_years_are_deleted_and_those_just_inside_stay() -> None:
    now = timezone.now()
    old = access_at(now - TWO_YEARS - MINUTE)
    inside = access_at(now - TWO_YEARS + MINUTE)
    recent = access_at(now - dt.timedelta(days=1))

    assert access_log_purge_expired(now=now) == 1

    assert set(PersonalDataAccess.objects.values_list("pk", flat=True)) == {inside.pk, recent.pk}
    assert not PersonalDataAccess.objects.filter(pk=old.pk).exists()


def test_purging_twice_deletes_nothing_more() -> None:
    now = timezone.now()
    access_at(now - TWO_YEARS - MINUTE)
    access_at(now)
    access_log_purge_expired(now=now)

    assert access_log_purge_expired(now=now) == 0
    assert PersonalDataAccess.objects.count() == 1
