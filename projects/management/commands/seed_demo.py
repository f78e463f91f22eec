import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from welfare_net.demo import SCALES, DemoContext, seed_all


class Command(BaseCommand):
    help = (
        "Load the demo district: neighbourhoods, demo users and every app's demo data. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=SCALES, default="district-year")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, scale: str, seed: int, **options: Any) -> None:
        started = time.monotonic()
        ctx = DemoContext(scale=scale, seed=seed, log=self.stdout.write)  # type: ignore[arg-type]
        with transaction.atomic():
            seed_all(ctx)
        for role, login, password in ctx.logins:
            self.stdout.write(f"  {role:<12} {login:<28} {password}")
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_demo: {scale} data ready in {time.monotonic() - started:.1f}s"
            )
        )
