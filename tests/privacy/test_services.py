"""The retention run over every app: a dry run counts what a run then changes, a second run
changes nothing, and one kind failing does not stop the others."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from matching.models import SupportApplication
from privacy import services
from privacy.services import RetentionIncompleteError, retention_apply
from residents.models import PersonalDataAccess
from tests.matching.test_retention import ended_application
from tests.residents.test_retention import access_at
from visitors.models import VisitorHash
from visitors.services import visitor_record

pytestmark = pytest.mark.django_db

KINDS = [
    "applications",
    "referrals",
    "notifications",
    "survey_free_text",
    "access_log",
    "visitor_hashes",
]


@pytest.fixture
def expired() -> dict[str, Any]:
    """One expired row of the kinds that are quick to make, one kept of each."""
    now = timezone.now()
    old_case = ended_application(ended_at=now - dt.timedelta(days=1096))
    kept_case = ended_application(ended_at=now - dt.timedelta(days=30))
    access_at(now - dt.timedelta(days=731))
    access_at(now - dt.timedelta(days=1))
    yesterday = timezone.localdate(now) - dt.timedelta(days=1)
    visitor_record(address="192.0.2.1", user_agent="Firefox", day=yesterday)
    return {"now": now, "old_case": old_case, "kept_case": kept_case}


def rows(results: list[services.RetentionResult]) -> dict[str, int]:
    return {result.kind: result.rows for result in results}


def test_a_dry_run_counts_what_the_run_then_changes_and_changes_nothing(
    expired: dict[str, Any],
) -> None:
    now = expired["now"]

    dry = retention_apply(now=now, dry_run=True)

    assert [result.kind for result in dry] == KINDS
    assert SupportApplication.objects.get(pk=expired["old_case"].pk).applicant_name == "김영희"
    assert PersonalDataAccess.objects.count() == 2
    assert VisitorHash.objects.count() == 1

    done = retention_apply(now=now)

    assert rows(done) == rows(dry)
    assert rows(done) == {
        "applications": 1,
        "referrals": 0,
        "notifications": 0,
        "survey_free_text": 0,
        "access_log": 1,
        "visitor_hashes": 1,
    }
    assert SupportApplication.objects.get(pk=expired["old_case"].pk).applicant_name == "-"
    assert SupportApplication.objects.get(pk=expired["kept_case"].pk).applicant_name == "김영희"


def test_the_results_name_each_period_and_its_cutoff(expired: dict[str, Any]) -> None:
    now = expired["now"]

    results = {result.kind: result for result in retention_apply(now=now, dry_run=True)}

    assert results["applications"].days == 1095
    assert results["applications"].cutoff == now - dt.timedelta(days=1095)
    assert (results["visitor_hashes"].days, results["visitor_hashes"].cutoff) == (None, None)


def test_running_twice_changes_nothing_the_second_time(expired: dict[str, Any]) -> None:
    retention_apply(now=expired["now"])

    assert set(rows(retention_apply(now=expired["now"])).values()) == {0}


def test_one_kind_failing_does_not_stop_the_others(
    expired: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(now: dt.datetime) -> int:
        raise RuntimeError("the referrals table is unwell")

    rules = [
        rule if rule.kind != "referrals" else services._Rule(rule.kind, rule.action, broken, broken)
        for rule in services.RULES
    ]
    monkeypatch.setattr(services, "RULES", tuple(rules))

    with pytest.raises(RetentionIncompleteError, match="referrals"):
        retention_apply(now=expired["now"])

    assert SupportApplication.objects.get(pk=expired["old_case"].pk).applicant_name == "-"
    assert PersonalDataAccess.objects.count() == 1
