"""The data migration that gives notifications sent before it their case's district, and lets
district staff view notifications: reversible, and safe to run again."""

import importlib
import uuid

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from matching.models import ApplicationEvent, Notification, Referral
from projects.models import StaffMember
from tests.factories import NotificationFactory, StaffMemberFactory
from tests.matching.engine_factories import ApplicationFactory, NeighbourhoodFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

backfill = importlib.import_module(
    "matching.migrations.0006_notification_district_backfill_and_staff_view"
)


def _state_apps():  # type: ignore[no-untyped-def]
    return (
        MigrationExecutor(connection)
        .loader.project_state(("matching", "0006_notification_district_backfill_and_staff_view"))
        .apps
    )


def test_notifications_sent_before_learn_the_district_of_their_case() -> None:
    application = ApplicationFactory.create()
    event = ApplicationEvent.objects.create(
        application=application,
        from_status="",
        to_status="pending",
        created_at=application.submitted_at,
    )
    neighbourhood = NeighbourhoodFactory.create()
    referral = Referral.objects.create(
        district=neighbourhood.district,
        neighbourhood=neighbourhood,
        situation="혼자 지내세요",
        how_to_reach="101동",
        neighbour_knows=True,
        submission_key=uuid.uuid4(),
    )
    coordinator = StaffMemberFactory.create(role=StaffMember.Role.COORDINATOR)
    rows = {
        "event": NotificationFactory.create(
            district=None, kind=Notification.Kind.APPLICATION_EVENT, object_key=str(event.pk)
        ),
        "referral": NotificationFactory.create(
            district=None,
            kind=Notification.Kind.REFERRAL_STATUS,
            object_key=f"{referral.pk}:closed",
        ),
        "converted": NotificationFactory.create(district=None, object_key=str(application.pk)),
        "digest": NotificationFactory.create(
            district=None,
            kind=Notification.Kind.COORDINATOR_DIGEST,
            object_key="2026-11-29",
            user=coordinator.user,
        ),
        "gone": NotificationFactory.create(district=None, object_key="999999"),
    }

    backfill.backfill(_state_apps(), None)
    backfill.backfill(_state_apps(), None)

    districts = {
        name: Notification.objects.get(pk=row.pk).district_id for name, row in rows.items()
    }
    assert districts == {
        "event": application.district_id,
        "referral": referral.district_id,
        "converted": application.district_id,
        "digest": coordinator.district_id,
        "gone": None,
    }


def test_the_view_grant_reverses_and_applies_again() -> None:
    def granted() -> bool:
        return (
            Group.objects.get(name="district staff")
            .permissions.filter(codename="view_notification")
            .exists()
        )

    assert granted()
    backfill.revoke(_state_apps(), None)
    assert not granted()
    backfill.grant(_state_apps(), None)
    assert granted()
