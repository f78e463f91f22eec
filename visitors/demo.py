"""Demo data: the daily visitor counts of the demo year and of this year up to yesterday.

The demo year adds up to domain.md's 51,128 site visitors. The days follow the shape of a
public service site that grew through its first year: more visitors on weekdays than at the
weekend, more in winter (heating, year-end support) than in early summer, and about twice as
many in December as in January. This year goes on at December's level. Only the counts are
made: a day's hashes and salt are gone once it is over, so a past day has none.

The stage is skipped when any day of the demo year has a count, so a second run, with any
scale and seed, changes nothing.
"""

from datetime import date, timedelta

from welfare_net.demo import DemoContext

from .models import DailyVisitors

VISITORS = {"district-year": 51_128, "small": 1_000}
# Monday first: people look things up in office hours, less at the weekend.
WEEKDAY_WEIGHTS = [1.15, 1.1, 1.08, 1.05, 0.97, 0.68, 0.62]
# January first: winter brings more applications and more readers.
MONTH_WEIGHTS = [1.15, 1.1, 1.0, 0.95, 0.92, 0.88, 0.9, 0.92, 0.97, 1.0, 1.1, 1.2]
# A day's visitors at the end of the year over those at its start, other things equal.
GROWTH = 2.0
BATCH = 1000


def seed(ctx: DemoContext) -> None:
    first, last = date(ctx.demo_year, 1, 1), date(ctx.demo_year, 12, 31)
    if DailyVisitors.objects.filter(day__gte=first, day__lte=last).exists():
        ctx.log("  visitors: the demo year has visitor counts, skipped")
        return
    year_days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    weights = [_weight(ctx, day, growth=_growth(day, first, last)) for day in year_days]
    counts = _share(VISITORS[ctx.scale], weights)
    # This year goes on at the level the demo year ended on.
    per_weight = VISITORS[ctx.scale] / sum(weights)
    this_year = [
        date(ctx.today.year, 1, 1) + timedelta(days=i)
        for i in range((ctx.today - date(ctx.today.year, 1, 1)).days)
    ]
    counts += [round(per_weight * _weight(ctx, day, growth=GROWTH)) for day in this_year]
    DailyVisitors.objects.bulk_create(
        [
            DailyVisitors(day=day, visitors=count)
            for day, count in zip(year_days + this_year, counts, strict=True)
        ],
        batch_size=BATCH,
        ignore_conflicts=True,  # a day already counted live keeps its own number
    )
    ctx.log(
        f"  visitors: {sum(counts[: len(year_days)])} in the demo year, "
        f"{sum(counts[len(year_days) :])} this year to yesterday"
    )


def _growth(day: date, first: date, last: date) -> float:
    return 1 + (GROWTH - 1) * (day - first).days / (last - first).days


def _weight(ctx: DemoContext, day: date, *, growth: float) -> float:
    noise = ctx.rng.lognormvariate(0, 0.12)
    return growth * WEEKDAY_WEIGHTS[day.weekday()] * MONTH_WEIGHTS[day.month - 1] * noise


def _share(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, in whole visitors that add up to it."""
    exact = [total * w / sum(weights) for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts
