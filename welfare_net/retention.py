"""The plumbing of personal-data retention, shared by every app's retention service.

The policy itself is ``settings.RETENTION_DAYS`` (why each period, in the settings); the
services that apply it live in the app owning the data (``matching.services``,
``residents.services``, ``surveys.services``), and ``privacy.services.retention_apply`` runs
them all. Here: the cutoff of a kind of data, and the batched update every service uses.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import QuerySet

# The kinds of data ``settings.RETENTION_DAYS`` must name.
RETENTION_KINDS = ("applications", "referrals", "notifications", "survey_free_text", "access_log")
# The personal-data access log is kept at least two years (PIPC Standards for Safety
# Measures, Article 8: a system with sensitive data or data on 50,000 people or more).
ACCESS_LOG_MINIMUM_DAYS = 730
# What a removed required text field holds (an empty one would fail the forms' checks).
ANONYMISED = "-"


def retention_problems(days: object) -> list[str]:
    """What is wrong with a ``RETENTION_DAYS`` value, in words for the system check."""
    if not isinstance(days, dict):
        return ["RETENTION_DAYS must be a dict of kind -> days."]
    problems = []
    for kind in RETENTION_KINDS:
        value = days.get(kind)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(f"RETENTION_DAYS[{kind!r}] must be a whole number of days, at least 1.")
    access_log = days.get("access_log")
    if isinstance(access_log, int) and 1 <= access_log < ACCESS_LOG_MINIMUM_DAYS:
        problems.append(
            f"RETENTION_DAYS['access_log'] is {access_log}: the access log must be kept at "
            f"least {ACCESS_LOG_MINIMUM_DAYS} days (two years)."
        )
    return problems


def retention_days(kind: str) -> int:
    """The days ``kind`` of personal data is kept, read from the settings when asked."""
    problems = retention_problems(settings.RETENTION_DAYS)
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
    return int(settings.RETENTION_DAYS[kind])


def retention_cutoff(kind: str, *, now: datetime) -> datetime:
    """Data of ``kind`` whose clock started before this moment is past its retention."""
    return now - timedelta(days=retention_days(kind))


def in_batches(
    queryset: QuerySet[Any],
    apply: Callable[[list[int]], int],
    *,
    batch_size: int | None = None,
) -> int:
    """Call ``apply`` with the primary keys of ``queryset``'s rows, a batch at a time, each
    batch in its own transaction with its rows locked; returns the sum of what ``apply``
    returned (the rows it changed).

    One query per batch finds the rows, so 50,000 rows take about 50 round trips, not 50,000.
    Rows another transaction holds locked are skipped (the next run takes them) rather than
    waited for; since the rows are locked, ``apply`` may change them by id alone. Batches
    walk up the primary key, so a row ``apply`` leaves in the queryset is not taken twice.
    """
    size = batch_size or settings.RETENTION_BATCH_SIZE
    done = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            ids = list(
                queryset.filter(pk__gt=last_pk)
                .order_by("pk")
                # of=self: a join to a nullable side (a referral's application) cannot be locked.
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", flat=True)[:size]
            )
            if not ids:
                return done
            done += apply(ids)
        last_pk = ids[-1]
