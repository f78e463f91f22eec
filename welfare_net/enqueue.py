"""Sending a task to the broker once the transaction commits, without letting a broker
outage turn saved work into an error page.

Celery's ``delay_on_commit`` sends from Django's on-commit hook. When Redis is down at that
moment the send fails *after* the commit: the resident's application is saved, yet the
exception escapes the view and they see a server error (and may think it was lost). Here the
failure is logged instead and the page goes on. What the task would have done is caught up
elsewhere: every pending application is matched by the beat's ``match_all_districts`` within
five minutes of Redis coming back, and every message whose task was lost is sent by the
beat's ``catch_up_notifications`` from the record written with its event
(``matching.services.notification_request``). The log names the lost task by its ids.
"""

import logging
from functools import partial
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a broker that is down or refusing raises (kombu wraps most of it in OperationalError).
# A programming error (bad arguments, a value JSON cannot carry) is still raised.
BROKER_ERRORS = (OperationalError, OSError, RedisError)

# A page waits at most about a second for a broker that refuses connections (Celery's own
# default tries four times). A broker that does not answer at all costs its connect timeout.
PUBLISH_RETRY_POLICY: dict[str, float] = {
    "max_retries": 2,
    "interval_start": 0.2,
    "interval_step": 0.2,
    "interval_max": 0.4,
}


def enqueue_on_commit(task: Task[Any, Any], *args: int | str, task_id: str | None = None) -> None:
    """Send ``task(*args)`` after the current transaction commits (at once outside one).

    Arguments are ids and short codes: they go to the log when the send fails. ``task_id``
    names the task for the worker's logs where the caller hands out a reference to it.
    """
    transaction.on_commit(partial(_send, task, args, task_id))


def _send(task: Task[Any, Any], args: tuple[int | str, ...], task_id: str | None = None) -> None:
    try:
        task.apply_async(args=args, task_id=task_id, retry_policy=PUBLISH_RETRY_POLICY)
    except BROKER_ERRORS:
        # The transaction has committed: raising here would only turn saved work into a 500.
        logger.exception(
            "could not send %s%r to the broker; the data is saved and the task was not sent",
            task.name,
            args,
        )
