"""The task that offers the follow-up survey after delivered support: it re-reads the
application, acts only on a delivered one of a resident with an account, and is safe to run
twice; and on a real worker, recording the delivery is enough for the offer to appear."""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from matching.models import SupportApplication
from matching.services import connection_record_outcome
from matching.tasks import offer_follow_up_survey
from residents.models import User
from surveys.models import FollowUpInvitation
from surveys.services import followup_survey_ensure
from tests.matching.outcome_helpers import accepted_proposal, make_resident
from tests.workers import running_worker
from welfare_net.celery import app

Status = SupportApplication.Status


def resident_with_follow_up_survey() -> User:
    resident = make_resident()
    followup_survey_ensure(
        district=resident.profile.neighbourhood.district,
        starts_on=timezone.localdate().replace(day=1),
    )
    return resident


def delivered_application(resident: User | None) -> SupportApplication:
    fields: dict[str, Any] = {}
    if resident is not None:
        fields = {"applicant": resident, "neighbourhood": resident.profile.neighbourhood}
    proposal = accepted_proposal(**fields)
    assert proposal.decided_by is not None
    return connection_record_outcome(
        proposal=proposal,
        outcome="delivered",
        on=timezone.localdate(),
        note="",
        by=proposal.decided_by,
    )


@pytest.mark.django_db
def test_the_task_offers_the_follow_up_for_a_delivered_application_once() -> None:
    resident = resident_with_follow_up_survey()
    application = delivered_application(resident)

    offer_follow_up_survey(application.pk)
    offer_follow_up_survey(application.pk)

    invitation = FollowUpInvitation.objects.get()
    assert (invitation.resident, invitation.subject_key) == (resident, application.public_id)
    assert invitation.area == "health"


@pytest.mark.django_db
def test_the_task_offers_nothing_for_an_application_not_delivered_or_gone() -> None:
    resident = resident_with_follow_up_survey()
    accepted = accepted_proposal(applicant=resident, neighbourhood=resident.profile.neighbourhood)

    offer_follow_up_survey(accepted.application_id)
    offer_follow_up_survey(999_999)

    assert not FollowUpInvitation.objects.exists()


@pytest.mark.django_db
def test_the_task_offers_nothing_to_a_neighbour_without_an_account() -> None:
    resident = resident_with_follow_up_survey()
    application = delivered_application(resident)
    SupportApplication.objects.filter(pk=application.pk).update(applicant=None)

    offer_follow_up_survey(application.pk)

    assert not FollowUpInvitation.objects.exists()


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
def test_on_a_real_worker_recording_the_delivery_offers_the_follow_up(empty_queue: None) -> None:
    resident = resident_with_follow_up_survey()
    proposal = accepted_proposal(applicant=resident, neighbourhood=resident.profile.neighbourhood)
    assert proposal.decided_by is not None

    with running_worker():
        with transaction.atomic():
            connection_record_outcome(
                proposal=proposal,
                outcome="delivered",
                on=timezone.localdate(),
                note="반찬 전달 완료",
                by=proposal.decided_by,
            )
        offered = wait_for(
            lambda: FollowUpInvitation.objects.filter(resident=resident).exists(), timeout=20
        )

    assert offered, "the worker did not offer the follow-up within 20 seconds"
    invitation = FollowUpInvitation.objects.get()
    assert invitation.subject_key == proposal.application.public_id
