"""Reads about messages owed (NotificationRequest): those whose task never ran, and which
coordinators are owed today's morning digest."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from projects.models import StaffMember

from ..models import NotificationRequest

# A message's task normally runs within seconds of its event. One still open this long after
# it was asked for (or after the catch-up last sent it) was lost, or failed every retry.
CATCH_UP_AFTER = datetime.timedelta(minutes=5)
# Older than this, the news is stale: it is not sent late. This also keeps a first catch-up
# after a long outage (or after the feature is deployed) from sending a flood.
CATCH_UP_WITHIN = datetime.timedelta(days=2)
# A message whose task failed this many catch-ups is left alone (the worker's log says why).
CATCH_UP_ATTEMPTS = 5
# The time of the beat's "matching-coordinator-digests" entry (CELERY_TIMEZONE, Seoul).
DIGEST_TIME = datetime.time(8, 0)


def notification_requests_missed(
    *,
    now: datetime.datetime,
    after: datetime.timedelta = CATCH_UP_AFTER,
    within: datetime.timedelta = CATCH_UP_WITHIN,
) -> QuerySet[NotificationRequest]:
    """Messages owed whose task has not run: asked for between ``within`` and ``after``
    ago, not sent again by a catch-up within ``after``, and not yet given up on. Oldest
    first. Lock with ``select_for_update(skip_locked=True)`` to claim them."""
    return NotificationRequest.objects.filter(
        Q(caught_up_at__isnull=True) | Q(caught_up_at__lte=now - after),
        done_at__isnull=True,
        requested_at__gte=now - within,
        requested_at__lte=now - after,
        catch_ups__lt=CATCH_UP_ATTEMPTS,
    ).order_by("requested_at", "pk")


def digest_due_at(*, on: datetime.date) -> datetime.datetime:
    """When the beat sends the morning digests of ``on`` (TIME_ZONE is CELERY_TIMEZONE)."""
    return timezone.make_aware(
        datetime.datetime.combine(on, DIGEST_TIME), timezone.get_default_timezone()
    )


def coordinators_for_digest(*, by: datetime.datetime) -> QuerySet[StaffMember]:
    """The coordinators a morning digest is for: active accounts that were coordinators by
    ``by`` (the catch-up passes the time the digest was due: one who joined later that day
    waits for the next morning)."""
    return StaffMember.objects.filter(
        role=StaffMember.Role.COORDINATOR, user__is_active=True, created_at__lte=by
    ).order_by("pk")
