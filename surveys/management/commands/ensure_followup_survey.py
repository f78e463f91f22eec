from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from projects.models import District
from surveys.services import followup_survey_ensure


class Command(BaseCommand):
    help = (
        "Give a district (or every district) the standard follow-up survey offered after "
        "delivered support, published from today, unless it has a follow-up survey already."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", metavar="CODE", help="only this district's code")

    def handle(self, *args: Any, **options: Any) -> None:
        districts = District.objects.order_by("code")
        if options["district"]:
            districts = districts.filter(code=options["district"])
            if not districts.exists():
                raise CommandError(f"No district with the code {options['district']!r}.")
        for district in districts:
            survey = followup_survey_ensure(district=district, starts_on=timezone.localdate())
            state = "published" if survey.is_published else "not published"
            self.stdout.write(f"{district.code}: follow-up survey #{survey.pk} ({state})")
