import datetime
from statistics import mean

import pytest

from visitors.demo import seed
from visitors.models import DailyVisitors
from welfare_net.demo import DemoContext

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


def _seed(seed_number: int = 2026) -> None:
    seed(DemoContext(scale="district-year", seed=seed_number, log=lambda _: None, today=TODAY))


def test_the_demo_year_has_every_day_and_adds_up_to_the_districts_51128_visitors() -> None:
    _seed()

    year = DailyVisitors.objects.filter(day__year=2025)
    assert year.count() == 365
    assert sum(year.values_list("visitors", flat=True)) == 51_128


def test_this_year_runs_to_yesterday_at_the_level_the_demo_year_ended() -> None:
    _seed()

    this_year = DailyVisitors.objects.filter(day__year=2026)
    assert this_year.count() == (TODAY - datetime.date(2026, 1, 1)).days
    assert not DailyVisitors.objects.filter(day__gte=TODAY).exists()
    december = mean(
        DailyVisitors.objects.filter(day__year=2025, day__month=12).values_list(
            "visitors", flat=True
        )
    )
    assert 0.7 * december <= mean(this_year.values_list("visitors", flat=True)) <= 1.3 * december


def test_weekdays_bring_more_visitors_than_weekends_and_december_more_than_january() -> None:
    _seed()

    rows = list(DailyVisitors.objects.filter(day__year=2025).values_list("day", "visitors"))
    weekdays = mean(v for d, v in rows if d.weekday() < 5)
    weekends = mean(v for d, v in rows if d.weekday() >= 5)
    january = mean(v for d, v in rows if d.month == 1)
    december = mean(v for d, v in rows if d.month == 12)
    assert weekdays > 1.3 * weekends
    assert december > 1.5 * january


def test_seeding_again_with_another_seed_changes_nothing() -> None:
    _seed(1)
    first = list(DailyVisitors.objects.order_by("day").values_list("day", "visitors"))

    _seed(2)

    assert list(DailyVisitors.objects.order_by("day").values_list("day", "visitors")) == first
