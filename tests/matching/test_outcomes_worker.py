"""The whole connection on a real worker: apply, match, accept, deliver, and the resident told."""

import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from django.db import transaction
from django.utils import timezone

from matching.models import ApplicationEvent, MatchProposal, Notification, SupportApplication
from matching.services import (
    application_submit,
    connection_record_outcome,
    match_run_execute,
    proposal_accept,
)
from tests.matching.engine_factories import NeighbourhoodFactory, ProjectFactory
from tests.matching.outcome_helpers import make_coordinator, make_resident
from tests.workers import running_worker
from welfare_net.celery import app


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture
def empty_queue() -> Iterator[None]:
    app.control.purge()
    yield
    app.control.purge()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_delivered_connection_is_told_to_the_resident_by_the_worker_and_the_timeline_is_whole(
    empty_queue: None,
) -> None:
    project = ProjectFactory.create()
    neighbourhood = NeighbourhoodFactory.create(district=project.district)
    resident = make_resident(neighbourhood=neighbourhood, language="ko")
    coordinator = make_coordinator(neighbourhood)

    with running_worker():
        with transaction.atomic():
            application = application_submit(
                applicant=resident,
                areas=["health"],
                description="혈압을 재 줄 분이 필요합니다",
                submission_key=uuid.uuid4(),
            )
        # The run the submission asked for may be the worker's; this one makes sure.
        match_run_execute(district_id=project.district_id)
        assert wait_for(
            lambda: MatchProposal.objects.filter(application=application).exists(), timeout=15
        )
        proposal = MatchProposal.objects.get(application=application)
        proposal_accept(proposal=proposal, by=coordinator)
        connection_record_outcome(
            proposal=proposal,
            outcome="delivered",
            on=timezone.localdate(),
            note="반찬 전달 완료",
            by=coordinator,
        )
        told = wait_for(
            lambda: (
                Notification.objects.filter(user=resident, kind="application_event").count() == 2
            ),
            timeout=20,
        )

    assert told, "the worker did not send both messages within 20 seconds"
    sent = Notification.objects.filter(user=resident).order_by("object_key")
    assert {(n.channel, n.recipient) for n in sent} == {("email", f"user:{resident.pk}")}
    events = ApplicationEvent.objects.filter(application=application).order_by("created_at", "pk")
    assert [e.to_status for e in events] == ["pending", "proposed", "accepted", "delivered"]
    assert {int(n.object_key) for n in sent} == {
        e.pk for e in events if e.to_status in {"accepted", "delivered"}
    }
    application.refresh_from_db()
    assert (application.status, application.outcome) == (
        SupportApplication.Status.DELIVERED,
        "delivered",
    )
