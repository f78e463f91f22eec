"""Messages owed: each is recorded in the transaction of the event it tells of, and its task
is sent to the broker once that commits. When the broker was down at that moment (or the
task failed every retry), the beat's catch-up finds the record still open and sends the
task again, so the message goes out once Redis is back.

Exactly once: the task writes the message's Notification row in the same transaction as the
send (``notifications.deliver``), so a task sent by the catch-up as well as by the event
sends nothing the second time.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from celery import Task
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from welfare_net.enqueue import enqueue_on_commit

from ..models import Notification, NotificationRequest
from ..selectors.notification_requests import (
    CATCH_UP_AFTER,
    coordinators_for_digest,
    digest_due_at,
    notification_requests_missed,
)

Kind = Notification.Kind
TaskArgs = Sequence[int | str]

# The records hold ids only; a week after they were asked for they are of no more use.
KEEP_FOR = datetime.timedelta(days=7)
# A catch-up sends at most this many; the next one (five minutes later) sends the rest.
CATCH_UP_BATCH = 500


@dataclass(frozen=True)
class CatchUp:
    digests_owed: int  # today's digests found never asked for (the morning's run was lost)
    sent_again: int  # tasks sent again
    deleted: int  # records past KEEP_FOR deleted


def request_key(args: TaskArgs) -> str:
    return ":".join(str(arg) for arg in args)


def _task_for(kind: str) -> Task[Any, Any]:
    from .. import tasks

    by_kind: dict[str, Task[Any, Any]] = {
        Kind.APPLICATION_EVENT: tasks.notify_application_event,
        Kind.REFERRAL_STATUS: tasks.notify_referral_status,
        Kind.REFERRAL_CONVERTED: tasks.notify_referral_converted,
        Kind.COORDINATOR_DIGEST: tasks.send_coordinator_digest,
    }
    return by_kind[kind]


def _record(*, kind: str, many_args: Iterable[TaskArgs], at: datetime.datetime) -> None:
    NotificationRequest.objects.bulk_create(
        [
            NotificationRequest(kind=kind, key=request_key(args), args=list(args), requested_at=at)
            for args in many_args
        ],
        ignore_conflicts=True,  # asked for again: the first record stands
    )


def notification_request(*, kind: str, args: TaskArgs) -> None:
    """Ask for one message (``args``: its task's arguments): record it, and send its task
    when the current transaction commits. Call it in the transaction that writes the event
    the message tells of, so the record is saved exactly when the event is."""
    _record(kind=kind, many_args=[args], at=timezone.now())
    enqueue_on_commit(_task_for(kind), *args)


def notification_request_done(*, kind: str, args: TaskArgs) -> None:
    """The task of a message has run, whether it sent the message or found none due (no
    consent, the state moved on): the catch-up leaves it alone from now on."""
    NotificationRequest.objects.filter(
        kind=kind, key=request_key(args), done_at__isnull=True
    ).update(done_at=timezone.now())


@transaction.atomic
def coordinator_digests_request(*, on: datetime.date) -> int:
    """Ask for every coordinator's morning digest of ``on`` (the beat's morning run).
    Returns how many were asked for."""
    many_args = [
        (pk, on.isoformat())
        for pk in coordinators_for_digest(by=timezone.now()).values_list("pk", flat=True)
    ]
    _record(kind=Kind.COORDINATOR_DIGEST, many_args=many_args, at=timezone.now())
    task = _task_for(Kind.COORDINATOR_DIGEST)
    for args in many_args:
        enqueue_on_commit(task, *args)
    return len(many_args)


def _digests_owed(*, now: datetime.datetime) -> int:
    """Record today's digests that were never asked for: with Redis down at eight the beat
    could not send the morning's run at all. Recorded as asked for at eight, so the same
    catch-up sends them. Returns how many were missing."""
    today = timezone.localdate(now, timezone.get_default_timezone())
    due = digest_due_at(on=today)
    if now < due + CATCH_UP_AFTER:
        return 0
    on = today.isoformat()
    wanted = {
        request_key((pk, on)): (pk, on)
        for pk in coordinators_for_digest(by=due).values_list("pk", flat=True)
    }
    asked = set(
        NotificationRequest.objects.filter(
            kind=Kind.COORDINATOR_DIGEST, key__in=list(wanted)
        ).values_list("key", flat=True)
    )
    missing = [args for key, args in wanted.items() if key not in asked]
    _record(kind=Kind.COORDINATOR_DIGEST, many_args=missing, at=due)
    return len(missing)


@transaction.atomic
def notification_requests_catch_up(*, now: datetime.datetime) -> CatchUp:
    """Send again the task of every message owed whose task has not run within a few
    minutes (``notification_requests_missed``: not older than two days, at most five
    times), once the transaction commits; delete the records past ``KEEP_FOR``.

    Safe to run twice, and at once: a run claims its records with ``SKIP LOCKED`` and marks
    them caught up, so another run passes over them; and a task sent twice still sends its
    message once."""
    digests_owed = _digests_owed(now=now)
    claimed = list(
        notification_requests_missed(now=now)
        .select_for_update(skip_locked=True)
        .only("pk", "kind", "args")[:CATCH_UP_BATCH]
    )
    if claimed:
        NotificationRequest.objects.filter(pk__in=[row.pk for row in claimed]).update(
            caught_up_at=now, catch_ups=F("catch_ups") + 1
        )
    for row in claimed:
        enqueue_on_commit(_task_for(row.kind), *row.args)
    deleted, _ = NotificationRequest.objects.filter(requested_at__lt=now - KEEP_FOR).delete()
    return CatchUp(digests_owed=digests_owed, sent_again=len(claimed), deleted=deleted)
