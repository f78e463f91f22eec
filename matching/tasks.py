"""Celery tasks of matching: doors only. They take ids and re-read the rows."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
    default_retry_delay=10,
    ignore_result=True,
)
def match_district(district_id: int) -> None:
    """Run a matching pass for one district (the match run arrives with the matching engine)."""
    logger.info("matching requested for district %s", district_id)
