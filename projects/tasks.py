"""Celery tasks of projects: doors only."""

from celery import shared_task

from .services import coordinator_invitation_email


@shared_task(acks_late=True, serializer="json", ignore_result=True)
def coordinator_invitation_email_task(invitation_id: int, site_url: str) -> None:
    """Email a coordinator invitation's link, if its address has an account; safe to run
    twice (the second run finds the link made)."""
    coordinator_invitation_email(invitation_id=invitation_id, site_url=site_url)
