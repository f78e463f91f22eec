"""Demo data: the district's support applications, their matches and outcomes, and referrals.

Every case goes through the steps the real services take, with their rows (steps.py), made
from the demo residents and projects (facts.py) in the residents' words (texts.py): the demo
year's applications (year.py), today's live queue (live.py) and the referrals (referrals.py),
written in bulk at the end (write.py); what they share is in base.py.

The stage is skipped when the demo district has any application, so a second run, with any
scale and seed, changes nothing.
"""

from projects.demo import demo_district
from welfare_net.demo import DemoContext

from ..models import SupportApplication
from .facts import people as load_people
from .live import TodaysQueue
from .referrals import Referrals
from .write import Writer
from .year import DemoYear

__all__ = ["seed"]


def seed(ctx: DemoContext) -> None:
    district = demo_district()
    if district is None:
        return
    if SupportApplication.objects.filter(district=district).exists():
        ctx.log("  applications: the demo district has applications, skipped")
        return
    people = load_people(district)
    if not people:
        return
    _Seeder(ctx, district, people).run()


class _Seeder(DemoYear, TodaysQueue, Referrals, Writer):
    def run(self) -> None:
        self._proposed()
        self._never_proposed()
        self._live()
        referrals = self._referrals()
        self._write(referrals)
