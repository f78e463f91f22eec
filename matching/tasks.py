"""Celery tasks of matching: doors only. They take ids, re-read the rows, call a service.

Both are safe to run twice: a run reads only pending applications without a live proposal,
under the district's advisory lock, and writes everything in one transaction.
"""

import logging

from celery import Task, shared_task
from django.db import OperationalError

from projects.models import District

from .models import MatchRun
from .services import match_run_execute

logger = logging.getLogger(__name__)

# A run skipped because another holds the district tries again shortly: the other run may
# have read the district before the application that asked for this one was committed.
SKIPPED_RETRY_SECONDS = 5


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    max_retries=5,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    soft_time_limit=240,
    time_limit=300,
    serializer="json",
    ignore_result=True,
)
def match_district(self: Task, district_id: int) -> None:
    """Run a matching pass for one district."""
    district = District.objects.filter(pk=district_id).only("pk").first()
    if district is None:
        logger.warning("matching requested for unknown district %s", district_id)
        return
    run = match_run_execute(district_id=district.pk, attempt=self.request.retries + 1)
    if run.status == MatchRun.Status.SKIPPED and self.request.retries < (self.max_retries or 0):
        raise self.retry(countdown=SKIPPED_RETRY_SECONDS)


@shared_task(acks_late=True, serializer="json", ignore_result=True)
def match_all_districts() -> None:
    """Enqueue a pass for every district (the beat schedule runs this every five minutes)."""
    for district_id in District.objects.order_by("pk").values_list("pk", flat=True):
        match_district.delay(district_id)
