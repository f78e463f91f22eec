"""What every part of the demo seeder shares: the district's residents and projects, the
demo year's days, the steps' ``Flow``, and who fits which project (the engine's own checks)."""

from collections import defaultdict
from datetime import date, timedelta

from projects.models import District
from residents.demo import COORDINATOR_NEIGHBOURHOODS, DEMO_USERS
from residents.models import User
from welfare_net.demo import DemoContext

from .. import eligibility
from .facts import DemoProject, Person
from .facts import projects as load_projects
from .steps import Flow


def _user_id(person: Person) -> int:
    return person.user_id


def _days(n: int) -> timedelta:
    return timedelta(days=n)


class SeederBase:
    # How many of the demo year's applications were proposed a project (set by DemoYear).
    proposed: int

    def __init__(self, ctx: DemoContext, district: District, people: list[Person]) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.district = district
        self.people = people
        self.by_neighbourhood: dict[int, list[Person]] = defaultdict(list)
        for person in people:
            self.by_neighbourhood[person.neighbourhood_id].append(person)
        self.projects = load_projects(district)
        coordinator = User.objects.filter(username=DEMO_USERS[1][1]).first()
        self.coordinated = set(
            district.neighbourhoods.filter(code__in=COORDINATOR_NEIGHBOURHOODS).values_list(
                "pk", flat=True
            )
        )
        self.flow = Flow(ctx, district, coordinator.pk if coordinator else None, self.coordinated)
        # A resident's eligibility facts, made once (the area and day are passed separately).
        self._facts: dict[int, eligibility.ApplicationFacts] = {}
        year = ctx.demo_year
        self.year_first, self.year_last = date(year, 1, 1), date(year, 12, 31)
        self.yesterday = ctx.today - timedelta(days=1)
        # The projects that took the year's applications, by area.
        self.taking: dict[str, list[DemoProject]] = defaultdict(list)

    # --- who fits what ------------------------------------------------------------------

    def _served(self, facts: eligibility.ProjectFacts) -> list[Person]:
        if facts.whole_district:
            return self.people
        return [
            p for n in sorted(facts.neighbourhood_ids) for p in self.by_neighbourhood.get(n, [])
        ]

    def _fits(self, person: Person, facts: eligibility.ProjectFacts, day: date) -> bool:
        app = self._facts.get(person.user_id)
        if app is None:
            app = self._facts[person.user_id] = eligibility.ApplicationFacts(
                id=0,
                district_id=self.district.pk,
                neighbourhood_id=person.neighbourhood_id,
                areas=frozenset(),
                urgency=1,
                submitted_on=day,
                birth_year=person.birth_year,
                household_type=person.household_type,
                target_groups=person.groups,
            )
        return (
            eligibility.neighbourhood_served(app, facts)
            and eligibility.target_groups_met(app, facts)
            and eligibility.age_met(app, facts, day)
            and eligibility.household_type_met(app, facts)
        )
