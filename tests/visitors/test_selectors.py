import datetime

import pytest
from django.utils import translation

from visitors.models import DailyVisitors
from visitors.selectors import (
    VISITORS_DEFINITION,
    visitors_between,
    visitors_by_month,
    visitors_total,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def days() -> None:
    DailyVisitors.objects.bulk_create(
        [
            DailyVisitors(day=D(2025, 12, 31), visitors=5),
            DailyVisitors(day=D(2026, 1, 1), visitors=10),
            DailyVisitors(day=D(2026, 1, 31), visitors=20),
            DailyVisitors(day=D(2026, 3, 1), visitors=40),
            DailyVisitors(day=D(2026, 3, 2), visitors=80),
        ]
    )


def test_visitors_between_adds_up_the_days_of_the_period_both_ends_included() -> None:
    assert visitors_between(start=D(2026, 1, 1), end=D(2026, 3, 1)) == 70
    assert visitors_between(start=D(2026, 1, 2), end=D(2026, 1, 30)) == 0
    assert visitors_between(start=D(2026, 3, 2), end=D(2026, 3, 1)) == 0


def test_visitors_total_is_cumulative_up_to_the_day_given() -> None:
    assert visitors_total() == 155
    assert visitors_total(until=D(2026, 1, 31)) == 35
    assert visitors_total(until=D(2020, 1, 1)) == 0


def test_visitors_by_month_gives_every_month_of_the_period_with_only_its_days_in_it() -> None:
    months = visitors_by_month(start=D(2025, 12, 31), end=D(2026, 3, 1))

    assert months == {
        D(2025, 12, 1): 5,
        D(2026, 1, 1): 30,
        D(2026, 2, 1): 0,
        D(2026, 3, 1): 40,
    }
    assert list(months) == sorted(months)
    assert visitors_by_month(start=D(2026, 3, 1), end=D(2026, 2, 1)) == {}


def test_the_definition_says_a_visitor_on_three_days_counts_three_times() -> None:
    with translation.override("en"):
        assert "counts three times" in str(VISITORS_DEFINITION)
