"""Periods of the figures: the one just before, the months touched, the default."""

import datetime as dt

from django.utils import timezone

from impact.periods import Period, default_period, year_period


def test_a_year_is_compared_with_the_year_before_even_across_a_leap_day() -> None:
    assert Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)).previous() == Period(
        dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    )


def test_whole_months_are_compared_with_as_many_months_before() -> None:
    assert Period(dt.date(2025, 3, 1), dt.date(2025, 4, 30)).previous() == Period(
        dt.date(2025, 1, 1), dt.date(2025, 2, 28)
    )


def test_other_periods_are_compared_with_as_many_days_before() -> None:
    assert Period(dt.date(2025, 3, 10), dt.date(2025, 3, 19)).previous() == Period(
        dt.date(2025, 2, 28), dt.date(2025, 3, 9)
    )


def test_a_period_lists_every_month_it_touches() -> None:
    assert Period(dt.date(2025, 11, 20), dt.date(2026, 2, 3)).months() == [
        dt.date(2025, 11, 1),
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


def test_a_period_starts_and_ends_at_midnight_in_seoul() -> None:
    period = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 1))

    assert period.start_at.isoformat() == "2025-01-01T00:00:00+09:00"
    assert period.end_before.isoformat() == "2025-01-02T00:00:00+09:00"


def test_the_default_is_the_last_full_year_and_this_year_runs_to_today() -> None:
    today = timezone.localdate()

    assert default_period() == Period(
        dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    )
    assert year_period(today.year) == Period(dt.date(today.year, 1, 1), today)
