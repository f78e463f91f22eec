"""A resident's data export: every kind of record they have, and nothing of anyone else."""

import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from privacy.selectors import resident_data_export
from tests.factories import NeighbourhoodFactory
from tests.matching.engine_factories import target_group
from tests.privacy.helpers import resident_with_everything

pytestmark = pytest.mark.django_db

KINDS = (
    "account",
    "profile",
    "consents",
    "personal_data_accesses",
    "participations",
    "donation_pledges",
    "talent_offers",
    "survey_responses",
    "follow_up_invitations",
    "support_applications",
    "referrals_made",
    "notifications",
)


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def test_the_export_holds_every_kind_of_record_of_the_resident_and_nothing_of_another() -> None:
    neighbourhood = NeighbourhoodFactory.create()
    alice = resident_with_everything(neighbourhood=neighbourhood, marker="가영")
    resident_with_everything(neighbourhood=neighbourhood, marker="나래")

    data = resident_data_export(user_id=alice.user.pk)

    assert data["resident_id"] == alice.user.pk
    for kind in KINDS:
        assert data[kind], f"{kind} is empty"
    text = as_json(data)
    assert "나래" not in text
    assert data["account"]["email"] == "가영@example.org"
    assert data["profile"]["target_groups"] == [target_group("older-alone").name]
    application = data["support_applications"][0]
    assert application["description"] == "가영: 반찬이 필요합니다"
    assert [(e["to_status"], e["note_by"]) for e in application["events"]] == [
        ("pending", ""),
        ("on_hold", "staff"),
    ]
    assert data["donation_pledges"][0]["receipt"]["amount_won"] == 50_000
    assert data["survey_responses"][0]["answers"][-1]["text"] == "가영: 좋았어요"
    # The staff view of their application is theirs to know about, with who viewed it.
    assert [(a["application_id"], a["viewed_by"]) for a in data["personal_data_accesses"]] == [
        (alice.application.pk, "staff-viewer-가영")
    ]


def test_the_export_reads_the_same_number_of_queries_however_much_the_resident_did(
    django_assert_max_num_queries: Any,
) -> None:
    neighbourhood = NeighbourhoodFactory.create()
    alice = resident_with_everything(neighbourhood=neighbourhood, marker="가영")

    with django_assert_max_num_queries(22):
        resident_data_export(user_id=alice.user.pk)


def test_a_deleted_account_exports_what_is_left_without_failing() -> None:
    from matching.services import account_delete

    neighbourhood = NeighbourhoodFactory.create()
    alice = resident_with_everything(neighbourhood=neighbourhood, marker="가영")
    account_delete(user=alice.user)

    data = resident_data_export(user_id=alice.user.pk)

    assert data["profile"] is None
    assert data["consents"] == []
    assert "가영" not in as_json(
        {key: data[key] for key in ("account", "support_applications", "notifications")}
    )
