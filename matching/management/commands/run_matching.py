from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.models import MatchRun
from matching.services import match_run_execute
from projects.models import District


class Command(BaseCommand):
    help = "Run a matching pass now, for every district or one, and print what it did."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", metavar="CODE", help="only this district's code")

    def handle(self, *args: Any, **options: Any) -> None:
        districts = District.objects.order_by("code")
        if options["district"]:
            districts = districts.filter(code=options["district"])
            if not districts.exists():
                raise CommandError(f"No district with the code {options['district']!r}.")
        for district in districts:
            run = match_run_execute(district_id=district.pk)
            self.stdout.write(self._summary(district, run))

    def _summary(self, district: District, run: MatchRun) -> str:
        if run.status == MatchRun.Status.SKIPPED:
            return f"{district.code}: skipped, another run holds this district"
        return (
            f"{district.code}: {run.considered} applications considered, "
            f"{run.proposed} proposals, unmatched: {run.unmatched_no_eligible} no eligible "
            f"project, {run.unmatched_no_place} no free place; "
            f"{run.total_seconds:.2f} s (solver {run.solver_seconds:.2f} s)"
        )
