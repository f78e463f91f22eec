"""Celery tasks of privacy: doors only."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from .services import RetentionIncompleteError, retention_apply

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # A kind that failed is tried again; the ones done find nothing more to do.
    autoretry_for=(OperationalError, RetentionIncompleteError),
    max_retries=3,
    retry_backoff=60,
    retry_jitter=True,
    # Batches commit one by one: a run stopped by the limit is finished by the next one.
    soft_time_limit=1800,
    time_limit=1900,
    serializer="json",
    ignore_result=True,
)
def apply_retention() -> None:
    """Anonymise or delete the personal data past its retention (beat: every night). Takes
    no ids: it sweeps by date, as of when it runs. Safe to run twice, or late; logs the
    counts, never a row's contents."""
    results = retention_apply(now=timezone.now())
    logger.info(
        "retention applied: %s",
        ", ".join(f"{result.kind} {result.action} {result.rows}" for result in results),
    )
