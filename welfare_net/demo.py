"""The demo data framework behind `manage.py seed_demo`.

Each app that has demo data provides ``<app>/demo.py`` with ``seed(ctx: DemoContext)``; they
run in ``INSTALLED_APPS`` order, so an app finds the data of the apps below it. Every ``seed``
must be idempotent: a second run, with any scale and seed, changes nothing (each stage skips
itself when its marker rows for the demo district exist).

The demo year is the calendar year before ``ctx.today``: the data reads as the district's
first full year on the platform, with open projects running on into this year. The year before
it (``ctx.previous_year``) holds the platform's smaller start: fewer projects and participants,
so the figures show the first full year's growth (domain.md: 3.7 times the participants, 91.7%
more projects).

Participants. domain.md counts a year's participants as the distinct residents who applied,
donated, offered a talent, referred a neighbour or took part in a project that year. The stages
note whom they gave a record of each year (``ctx.note_taking_part``) and draw first from those
not yet noted (``ctx.newcomers_first``), so the year's distinct participants reach the
district's number instead of the same residents doing everything.
"""

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from importlib import import_module
from importlib.util import find_spec
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import models
from django.utils import timezone

T = TypeVar("T")

Scale = Literal["district-year", "small"]
SCALES: tuple[Scale, ...] = ("district-year", "small")

# The demo district's own clock: timestamps are made in Seoul time (no daylight saving).
SEOUL = ZoneInfo("Asia/Seoul")


@dataclass
class DemoContext:
    scale: Scale
    seed: int
    log: Callable[[str], None] = print
    # Every app dates its rows from this one day, so a run reads as a single moment.
    today: date = field(default_factory=timezone.localdate)
    rng: random.Random = field(init=False)
    # (role, login, password) lines that `make run` shows once seeding is done.
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    # year -> the user ids given a record dated in that year by the stages run so far.
    taking_part: defaultdict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311  # nosec B311  # demo data, not secrets

    @property
    def is_small(self) -> bool:
        return self.scale == "small"

    @property
    def demo_year(self) -> int:
        return self.today.year - 1

    @property
    def previous_year(self) -> int:
        return self.today.year - 2

    def note_taking_part(self, year: int, user_ids: Iterable[int]) -> None:
        """These residents have a record dated in ``year`` (an application, a pledge, ...)."""
        self.taking_part[year].update(user_ids)

    def newcomers_first(
        self, year: int, candidates: Sequence[T], k: int, user_id: Callable[[T], int]
    ) -> list[T]:
        """``k`` candidates (all of them if fewer) in random order, those not yet taking part
        in ``year`` first. Draws nothing from the generator when ``k`` is 0."""
        if k <= 0:
            return []
        noted = self.taking_part[year]
        new = [c for c in candidates if user_id(c) not in noted]
        if len(new) >= k:
            return self.rng.sample(new, k)
        again = [c for c in candidates if user_id(c) in noted]
        more = min(k - len(new), len(again))
        return self.rng.sample(new, len(new)) + self.rng.sample(again, more)

    def weighted(self, choices: Sequence[tuple[T, float]]) -> T:
        """One of the values, drawn with the weight beside it."""
        values = [value for value, _ in choices]
        return self.rng.choices(values, [weight for _, weight in choices])[0]

    def uuid(self) -> uuid.UUID:
        """A random (version 4) UUID from the seeded generator: the same seed, the same ids."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self, day: date) -> datetime:
        """A time of day during office hours on ``day``, in Seoul."""
        minutes = self.rng.randrange(8 * 60, 21 * 60)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=SEOUL)

    def day_between(self, first: date, last: date) -> date:
        """A day from ``first`` to ``last`` inclusive (``first`` when the range is empty)."""
        span = (last - first).days
        return (
            date.fromordinal(first.toordinal() + self.rng.randint(0, span)) if span > 0 else first
        )


@contextmanager
def keep_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let ``bulk_create`` keep the ``created_at``/``updated_at`` the demo sets on each row.

    ``auto_now``/``auto_now_add`` would stamp every row with the moment of seeding; the demo
    dates its rows across the demo year, so the impact figures for any period look real.
    """
    switched: list[tuple[models.DateField, bool, bool]] = []
    for model_class in model_classes:
        for model_field in model_class._meta.concrete_fields:
            if isinstance(model_field, models.DateField) and (
                model_field.auto_now or model_field.auto_now_add
            ):
                switched.append((model_field, model_field.auto_now, model_field.auto_now_add))
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in switched:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def demo_seeders() -> list[tuple[str, Callable[[DemoContext], None]]]:
    seeders = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.demo"
        if config.name.startswith(("django.", "rest_framework")) or find_spec(config.name) is None:
            continue
        if find_spec(module_name) is None:
            continue
        seeders.append((config.label, import_module(module_name).seed))
    return seeders


def seed_all(ctx: DemoContext) -> None:
    for label, seed in demo_seeders():
        ctx.log(f"seed_demo: {label}")
        seed(ctx)
