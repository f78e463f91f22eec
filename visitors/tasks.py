"""Celery tasks of visitors: doors only."""

from celery import shared_task
from django.utils import timezone

from .services import visitors_discard_before


@shared_task(acks_late=True, serializer="json", ignore_result=True)
def visitors_discard_old_hashes() -> None:
    """Forget the visitors of the days before today (Asia/Seoul): their hashes and salts go,
    their counts stay. Beat runs it just after midnight; safe to run twice, or late."""
    visitors_discard_before(day=timezone.localdate())
