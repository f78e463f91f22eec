"""Reads of the visitor counts.

Definition (once, here): a visitor is a distinct browser on a day, known by a hash of its
address and user agent keyed with that day's salt; bots and tools are left out by their user
agent. Each day is counted on its own, so one person visiting on three days is three visitors,
and a person using a phone and a computer on one day is two. The numbers of any period are
the sums of its days (Asia/Seoul calendar days, the district's).
"""

from datetime import date

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .models import DailyVisitors, VisitorHash

# The impact page's footnote for the visitors figure.
VISITORS_DEFINITION_TEXT = gettext_noop(
    "Visitors: different browsers each day, told apart only by a salted hash of their internet "
    "address and browser, deleted at the end of the day; bots are not counted. Each day counts "
    "on its own, so a person who visits on three days counts three times."
)
VISITORS_DEFINITION = _(VISITORS_DEFINITION_TEXT)


def visitors_between(*, start: date, end: date) -> int:
    """The sum of the daily visitors from ``start`` to ``end``, both included."""
    total = DailyVisitors.objects.filter(day__gte=start, day__lte=end).aggregate(
        total=Coalesce(Sum("visitors"), 0)
    )["total"]
    return int(total)


def visitors_total(*, until: date | None = None) -> int:
    """The cumulative visitors since the first counted day, up to ``until`` (included)."""
    days = DailyVisitors.objects.all()
    if until is not None:
        days = days.filter(day__lte=until)
    return int(days.aggregate(total=Coalesce(Sum("visitors"), 0))["total"])


def visitors_by_month(*, start: date, end: date) -> dict[date, int]:
    """The visitors of each month from ``start`` to ``end`` (only their days in the period),
    keyed by the first of the month, in order; months without visitors are 0."""
    if end < start:
        return {}
    months: dict[date, int] = {}
    month = start.replace(day=1)
    while month <= end:
        months[month] = 0
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    rows = (
        DailyVisitors.objects.filter(day__gte=start, day__lte=end)
        .annotate(month=TruncMonth("day"))
        .order_by("month")  # also drops the model's ordering, which would split the groups
        .values_list("month")
        .annotate(total=Sum("visitors"))
    )
    for first, total in rows:
        months[first] = int(total)
    return months


def visitor_hashes_before(*, day: date) -> QuerySet[VisitorHash]:
    """The hashes of the days before ``day``: what ``visitors_discard_before`` deletes."""
    return VisitorHash.objects.filter(day__lt=day)
