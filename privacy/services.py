"""The retention run over every app, and the logged export of one resident's data."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from matching.selectors import (
    applications_past_retention,
    notifications_past_retention,
    referrals_past_retention,
)
from matching.services import (
    applications_anonymise_expired,
    notifications_blank_expired,
    referrals_anonymise_expired,
)
from residents.models import PersonalDataAccess, User
from residents.selectors import personal_data_accesses_past_retention
from residents.services import access_log_purge_expired, personal_data_access_record
from surveys.selectors import answers_free_text_past_retention
from surveys.services import answers_free_text_blank_expired
from visitors.selectors import visitor_hashes_before
from visitors.services import visitors_discard_before
from welfare_net.retention import retention_cutoff, retention_days

from .selectors import resident_data_export

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionResult:
    """One kind of data in one run: its period, the cutoff, and the rows changed (or, in a
    dry run, the rows a run would change)."""

    kind: str
    action: str  # what happens to a row: anonymised, blanked, deleted
    days: int | None  # None: visitor hashes, kept until the end of their day
    cutoff: datetime | None
    rows: int


@dataclass(frozen=True)
class _Rule:
    kind: str
    action: str
    pending: Callable[[datetime], int]
    apply: Callable[[datetime], int]


def _visitor_hashes_discard(now: datetime) -> int:
    return visitors_discard_before(day=timezone.localdate(now)).hashes


# In the order they run; each changes only its own app's rows.
RULES: tuple[_Rule, ...] = (
    _Rule(
        "applications",
        "anonymised",
        lambda now: applications_past_retention(now=now).count(),
        lambda now: applications_anonymise_expired(now=now),
    ),
    _Rule(
        "referrals",
        "anonymised",
        lambda now: referrals_past_retention(now=now).count(),
        lambda now: referrals_anonymise_expired(now=now),
    ),
    _Rule(
        "notifications",
        "blanked",
        lambda now: notifications_past_retention(now=now).count(),
        lambda now: notifications_blank_expired(now=now),
    ),
    _Rule(
        "survey_free_text",
        "blanked",
        lambda now: answers_free_text_past_retention(now=now).count(),
        lambda now: answers_free_text_blank_expired(now=now),
    ),
    _Rule(
        "access_log",
        "deleted",
        lambda now: personal_data_accesses_past_retention(now=now).count(),
        lambda now: access_log_purge_expired(now=now),
    ),
    # The visitors' own beat entry deletes these just after midnight; this is the backstop.
    _Rule(
        "visitor_hashes",
        "deleted",
        lambda now: visitor_hashes_before(day=timezone.localdate(now)).count(),
        _visitor_hashes_discard,
    ),
)


class RetentionIncompleteError(RuntimeError):
    """Some kinds failed; the others were applied (and logged) all the same."""


def retention_apply(*, now: datetime, dry_run: bool = False) -> list[RetentionResult]:
    """Apply every retention rule as of ``now``, or with ``dry_run`` only count what each
    would change. Safe to run twice: a second run finds nothing more.

    A kind that fails does not stop the others (each commits batch by batch); the failure is
    logged and raised once all have run, so the task is retried and the operator told.
    """
    results: list[RetentionResult] = []
    failed: list[str] = []
    for rule in RULES:
        has_period = rule.kind != "visitor_hashes"
        try:
            rows = rule.pending(now) if dry_run else rule.apply(now)
        except Exception:
            logger.exception("retention: %s failed", rule.kind)
            failed.append(rule.kind)
            continue
        results.append(
            RetentionResult(
                kind=rule.kind,
                action=rule.action,
                days=retention_days(rule.kind) if has_period else None,
                cutoff=retention_cutoff(rule.kind, now=now) if has_period else None,
                rows=rows,
            )
        )
    if failed:
        raise RetentionIncompleteError(f"retention failed for: {', '.join(failed)}")
    return results


@transaction.atomic
def resident_data_export_record(*, viewer: User, resident: User) -> dict[str, Any]:
    """Everything the platform holds on ``resident``, for their request of access, with the
    export written to the personal-data access log first (so the file lists it too).
    Whether ``viewer`` may export this resident is the caller's check."""
    personal_data_access_record(
        viewer=viewer,
        subject_user=resident,
        view_name="admin:residents_residentprofile_export",
        reason=PersonalDataAccess.Reason.DATA_EXPORT,
    )
    return resident_data_export(user_id=resident.pk)
