import datetime

import pytest
from django.core.cache import cache
from pytest_django import DjangoAssertNumQueries

from visitors import services
from visitors.models import DailySalt, DailyVisitors, VisitorHash
from visitors.services import visitor_record

from .helpers import ADDRESS, FIREFOX, OTHER_ADDRESS, SAFARI_PHONE, cached_keys, stored_values

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)
NEXT_DAY = datetime.date(2026, 3, 3)


def _visitors(day: datetime.date = DAY) -> int:
    row = DailyVisitors.objects.filter(day=day).first()
    return row.visitors if row else 0


def test_two_visits_from_the_same_address_and_browser_on_one_day_count_once() -> None:
    assert visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY) is True
    assert visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY) is False

    assert _visitors() == 1
    assert VisitorHash.objects.filter(day=DAY).count() == 1


def test_another_browser_or_another_address_is_another_visitor() -> None:
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY)
    visitor_record(address=ADDRESS, user_agent=SAFARI_PHONE, day=DAY)
    visitor_record(address=OTHER_ADDRESS, user_agent=FIREFOX, day=DAY)

    assert _visitors() == 3


def test_the_same_visitor_counts_again_the_next_day_under_a_new_salt() -> None:
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY)
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=NEXT_DAY)

    assert (_visitors(DAY), _visitors(NEXT_DAY)) == (1, 1)
    salts = dict(DailySalt.objects.values_list("day", "salt"))
    assert salts[DAY] != salts[NEXT_DAY]
    digests = set(VisitorHash.objects.values_list("digest", flat=True))
    assert len(digests) == 2


def test_a_visitor_counts_once_even_when_the_cache_is_flushed_between_visits() -> None:
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY)
    cache.clear()

    assert visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY) is False

    assert _visitors() == 1


def test_a_visitor_already_seen_today_costs_no_query(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY)

    with django_assert_num_queries(0):
        visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY)


def test_the_address_is_stored_nowhere_neither_in_a_table_nor_in_a_cache_key() -> None:
    for user_agent in (FIREFOX, SAFARI_PHONE):
        visitor_record(address=ADDRESS, user_agent=user_agent, day=DAY)
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=NEXT_DAY)

    values = stored_values()
    assert any(len(value) == 64 for value in values)  # the hashes are there
    assert not [value for value in values if ADDRESS in value]
    assert not [value for value in values if FIREFOX in value]
    keys = cached_keys()
    assert keys
    assert not [key for key in keys if ADDRESS in key]


def test_the_hash_is_keyed_by_the_days_salt_and_reveals_nothing_of_the_address() -> None:
    digest = services.visitor_digest(salt="00" * 32, address=ADDRESS, user_agent=FIREFOX)
    other_salt = services.visitor_digest(salt="01" * 32, address=ADDRESS, user_agent=FIREFOX)

    assert len(digest) == 64
    assert digest != other_salt
    assert ADDRESS not in digest


def test_the_days_salt_is_made_once_and_kept_in_the_cache() -> None:
    first = services.daily_salt_get(day=DAY)
    cache.clear()

    assert services.daily_salt_get(day=DAY) == first
    assert DailySalt.objects.filter(day=DAY).count() == 1
    assert len(bytes.fromhex(first)) == 32


def test_a_visit_whose_count_failed_is_counted_on_the_next_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*, day: datetime.date) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "_count_one", broken)
    with pytest.raises(RuntimeError):
        visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY)
    monkeypatch.undo()

    assert visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY) is True

    assert _visitors() == 1
    assert VisitorHash.objects.count() == 1  # the failed attempt's row was rolled back
