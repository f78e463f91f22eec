"""The demo data framework behind `manage.py seed_demo`.

Each app that has demo data provides ``<app>/demo.py`` with ``seed(ctx: DemoContext)``; they
run in ``INSTALLED_APPS`` order, so an app finds the data of the apps below it. Every ``seed``
must be idempotent: a second run with the same scale and seed changes nothing.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Literal

from django.apps import apps

Scale = Literal["district-year", "small"]
SCALES: tuple[Scale, ...] = ("district-year", "small")


@dataclass
class DemoContext:
    scale: Scale
    seed: int
    log: Callable[[str], None] = print
    rng: random.Random = field(init=False)
    # (role, login, password) lines that `make run` shows once seeding is done.
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # noqa: S311 - demo data, not secrets

    @property
    def is_small(self) -> bool:
        return self.scale == "small"


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
