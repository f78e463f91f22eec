from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from privacy.services import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise or delete the personal data past its retention period (settings "
        "RETENTION_DAYS), as the nightly task does. --dry-run only counts what it would change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        results = retention_apply(now=timezone.now(), dry_run=dry_run)
        for result in results:
            period = f"{result.days} days" if result.days else "end of day"
            before = (
                timezone.localtime(result.cutoff).strftime("%Y-%m-%d %H:%M")
                if result.cutoff
                else "today"
            )
            verb = f"would be {result.action}" if dry_run else result.action
            self.stdout.write(
                f"{result.kind:<17} kept {period:<10} (before {before}): {result.rows} {verb}"
            )
        total = sum(result.rows for result in results)
        summary = (
            f"apply_retention: {total} rows {'would change (dry run)' if dry_run else 'changed'}"
        )
        self.stdout.write(self.style.SUCCESS(summary))
