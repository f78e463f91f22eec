"""What a coordinator's morning digest reads: new and ageing cases of their neighbourhoods."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from projects.models import StaffMember

from .models import Referral, SupportApplication

OPEN_APPLICATION = [
    SupportApplication.Status.PENDING,
    SupportApplication.Status.PROPOSED,
    SupportApplication.Status.ON_HOLD,
    SupportApplication.Status.ACCEPTED,
]
OPEN_REFERRAL = [Referral.Status.RECEIVED, Referral.Status.CONTACTED]


@dataclass(frozen=True)
class DigestCase:
    kind: str  # "application" or "referral"
    pk: int
    neighbourhood: str
    status: str
    since: datetime.datetime


@dataclass(frozen=True)
class CoordinatorDigest:
    new: list[DigestCase] = field(default_factory=list)  # in the last day
    over_3_days: list[DigestCase] = field(default_factory=list)  # 3 to 7 days
    over_7_days: list[DigestCase] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.new or self.over_3_days or self.over_7_days)


def coordinator_digest(*, staff_member: StaffMember, now: datetime.datetime) -> CoordinatorDigest:
    """Open applications and referrals of the coordinator's neighbourhoods (and areas, where
    given), sorted into new (last 24 hours), over three days and over seven days old.
    Cases between one and three days old are not news and not yet ageing."""
    neighbourhood_ids = list(staff_member.neighbourhoods.values_list("pk", flat=True))
    applications = SupportApplication.objects.filter(
        neighbourhood_id__in=neighbourhood_ids, status__in=OPEN_APPLICATION
    )
    if staff_member.areas:
        any_area = Q()
        for area in staff_member.areas:
            any_area |= Q(areas__contains=[area])
        applications = applications.filter(any_area)
    cases = [
        DigestCase("application", pk, name, status, since)
        for pk, name, status, since in applications.order_by("submitted_at").values_list(
            "pk", "neighbourhood__name", "status", "submitted_at"
        )
    ]
    referrals = Referral.objects.filter(
        neighbourhood_id__in=neighbourhood_ids, status__in=OPEN_REFERRAL, application__isnull=True
    )
    cases += [
        DigestCase("referral", pk, name, status, since)
        for pk, name, status, since in referrals.order_by("created_at").values_list(
            "pk", "neighbourhood__name", "status", "created_at"
        )
    ]
    day = datetime.timedelta(days=1)
    return CoordinatorDigest(
        new=[c for c in cases if c.since > now - day],
        over_3_days=[c for c in cases if now - 7 * day < c.since <= now - 3 * day],
        over_7_days=[c for c in cases if c.since <= now - 7 * day],
    )
