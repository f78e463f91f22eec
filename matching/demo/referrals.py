"""The demo referrals: past ones connected to a delivered application or closed, and today's
received or contacted ones."""

from datetime import datetime, time, timedelta

from projects.demo import FAMILY_NAMES, GIVEN_NAMES
from welfare_net.demo import SEOUL

from ..models import Referral, SupportApplication
from .base import SeederBase
from .facts import Person
from .texts import CLOSED_REFERRAL, HOW_TO_REACH, SITUATIONS

S = SupportApplication.Status
# Past referrals (connected, closed); today's per neighbourhood (received, contacted).
PAST_REFERRALS = {"district-year": (280, 60), "small": (2, 1)}
LIVE_REFERRALS_COORDINATOR = {"district-year": (3, 2), "small": (1, 1)}
LIVE_REFERRALS_OTHER = {"district-year": (1, 1), "small": (0, 0)}


class Referrals(SeederBase):
    def _referrals(self) -> list[Referral]:
        rng = self.rng
        connected, closed = PAST_REFERRALS[self.ctx.scale]
        referrals: list[Referral] = []
        delivered = [case for case in self.flow.cases if case.status == S.DELIVERED]
        for case in rng.sample(delivered, min(connected, len(delivered))):
            app = case.application
            neighbours = self.by_neighbourhood[case.person.neighbourhood_id]
            referrer = rng.choice(neighbours)
            if app.neighbourhood_id in self.coordinated:
                app.submitted_by_id = self.flow.coordinator_id
            at = app.submitted_at - timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 5))
            # Not before the demo year: the referrer may have signed up only in it.
            at = max(at, datetime.combine(self.year_first, time(0, 0), tzinfo=SEOUL))
            referrals.append(
                self._referral(referrer, app.neighbourhood_id, at, Referral.Status.CONNECTED, app)
            )
        for _ in range(closed):
            referrer = rng.choice(self.people)
            at = self.ctx.moment(self.ctx.day_between(self.year_first, self.year_last))
            referrals.append(
                self._referral(referrer, referrer.neighbourhood_id, at, Referral.Status.CLOSED)
            )
        for neighbourhood_id in sorted(self.by_neighbourhood):
            received, contacted = (
                LIVE_REFERRALS_COORDINATOR
                if neighbourhood_id in self.coordinated
                else LIVE_REFERRALS_OTHER
            )[self.ctx.scale]
            for status, count, days in (
                (Referral.Status.RECEIVED, received, 6),
                (Referral.Status.CONTACTED, contacted, 14),
            ):
                for _ in range(count):
                    referrer = rng.choice(self.by_neighbourhood[neighbourhood_id])
                    day = self.ctx.day_between(
                        self.yesterday - timedelta(days=days), self.yesterday
                    )
                    referrals.append(
                        self._referral(referrer, neighbourhood_id, self.ctx.moment(day), status)
                    )
        return referrals

    def _referral(
        self,
        referrer: Person,
        neighbourhood_id: int,
        at: datetime,
        status: str,
        application: SupportApplication | None = None,
    ) -> Referral:
        rng = self.rng
        self.ctx.note_taking_part(at.astimezone(SEOUL).year, [referrer.user_id])
        name = application.applicant_name if application else ""
        if application is None and rng.random() < 0.7:
            name = rng.choice(FAMILY_NAMES)[0] + rng.choice(GIVEN_NAMES[1950])
        return Referral(
            public_id=self.ctx.uuid(),
            referrer_id=referrer.user_id,
            district=self.district,
            neighbourhood_id=neighbourhood_id,
            neighbour_name=name,
            situation=rng.choice(SITUATIONS),
            how_to_reach=rng.choice(HOW_TO_REACH),
            neighbour_knows=rng.random() < 0.6,
            status=status,
            closed_reason=CLOSED_REFERRAL if status == Referral.Status.CLOSED else "",
            application=application,
            submission_key=self.ctx.uuid(),
            created_at=at,
            updated_at=at,
        )
