"""Periods of the figures: days in the district's own clock (Asia/Seoul), ends included."""

import dataclasses
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# Longer periods are refused: ten years of months is already a long chart, and every distinct
# period asked for is computed once before it is cached.
MAX_PERIOD_DAYS = 3660


def district_zone() -> ZoneInfo:
    """The clock the figures are counted in (the site's TIME_ZONE, Asia/Seoul)."""
    return ZoneInfo(settings.TIME_ZONE)


def _add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclasses.dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_whole_months(self) -> bool:
        return self.start.day == 1 and (self.end + timedelta(days=1)).day == 1

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=district_zone())

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (the end day is included)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=district_zone())

    def previous(self) -> "Period":
        """The period of the same length just before: the same number of months for whole
        months (a year before a year, even across a leap day), else the same number of days."""
        if self.is_whole_months:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
            return Period(_add_months(self.start, -(months + 1)), self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        first = self.start.replace(day=1)
        count = (self.end.year - first.year) * 12 + self.end.month - first.month + 1
        return [_add_months(first, n) for n in range(count)]

    def is_year(self) -> bool:
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)


def today() -> date:
    return timezone.localdate()


def default_period() -> Period:
    """The most recent complete calendar year: the district reports by the year."""
    year = today().year - 1
    return Period(date(year, 1, 1), date(year, 12, 31))


def year_period(year: int) -> Period:
    """A calendar year; this year only up to today ("this year so far")."""
    current = today()
    if year == current.year:
        return Period(date(year, 1, 1), current)
    return Period(date(year, 1, 1), date(year, 12, 31))
