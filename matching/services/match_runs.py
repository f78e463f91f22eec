"""The matching engine: one run proposes the best pairs of a district's pending applications."""

import json
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import Error, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from psycopg2 import sql  # the PostgreSQL statements below: quoted names, bound values

from welfare_net.enqueue import enqueue_on_commit

from .. import eligibility, solver
from ..models import ApplicationEvent, MatchProposal, MatchRun, SupportApplication
from .match_snapshot import district_snapshot, places_after_locking

logger = logging.getLogger(__name__)

Status = SupportApplication.Status

# The advisory locks of match runs are (this namespace, district id): one run per district.
_MATCH_LOCK_NAMESPACE = 0x6D61  # "ma"


def _district_lock_acquired(*, district_id: int) -> bool:
    """Take the district's advisory transaction lock; False if another run holds it.

    PostgreSQL releases it at commit or rollback, and when a killed worker's connection
    drops.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s::integer, %s::integer)",
            [_MATCH_LOCK_NAMESPACE, district_id],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _commit_without_waiting_for_the_disk() -> None:
    """Let this transaction's commit return before its WAL is flushed.

    A server crash in the fraction of a second after the commit then loses the whole run,
    never part of it, and the next run does it again. Whatever builds on the run (a
    coordinator's accept) commits synchronously, which flushes the run's WAL first.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _pause_for_tests() -> None:
    """Sleep inside the run's transaction when a test asks, so it can kill the worker here."""
    delay = float(settings.MATCHING_RUN_DELAY_SECONDS or 0)
    if delay > 0:
        time.sleep(delay)


def _skipped_or_empty(
    *, district_id: int, attempt: int, started_at: datetime, status: str, note: str
) -> MatchRun:
    """An unsaved run: nothing was done, so nothing is stored."""
    return MatchRun(
        district_id=district_id,
        started_at=started_at,
        finished_at=timezone.now(),
        status=status,
        attempts=attempt,
        note=note,
    )


def _keep_what_fits(
    *, assignment: dict[int, int], scores: dict[tuple[int, int], int], places: dict[int, int]
) -> dict[int, int]:
    """The chosen pairs that still fit the places left, the best-scoring first."""
    left = dict(places)
    kept: dict[int, int] = {}
    for application_id, project_id in sorted(
        assignment.items(), key=lambda pair: (-scores[pair], pair[0])
    ):
        if left.get(project_id, 0) > 0:
            left[project_id] -= 1
            kept[application_id] = project_id
    return kept


def _mark_proposed(*, application_ids: list[int], now: datetime) -> set[int]:
    """Move the applications that are still pending to proposed; return their ids.

    The UPDATE locks each row and re-checks its status, so an application withdrawn while
    the solver ran is left out (and gets no proposal).
    """
    table = SupportApplication._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                "UPDATE {} SET status = %s, unmatched_reason = '', updated_at = %s"
                " WHERE id = ANY(%s::bigint[]) AND status = %s RETURNING id"
            ).format(sql.Identifier(table)),
            [Status.PROPOSED, now, application_ids, Status.PENDING],
        )
        return {row[0] for row in cursor.fetchall()}


def _insert_proposals_and_events(*, run: MatchRun, edges: list[eligibility.Edge]) -> None:
    """Write the proposals and the applications' "proposed" events.

    One INSERT ... SELECT FROM unnest() per table: bulk_create's per-object work was most of
    a district-year run's time.
    """
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL(
                """
            INSERT INTO {}
                (run_id, application_id, project_id, score, reasons, status, decision_note,
                 created_at, updated_at)
            SELECT %s, pair.application_id, pair.project_id, pair.score, pair.reasons::jsonb,
                   %s, '', %s, %s
            FROM unnest(%s::bigint[], %s::bigint[], %s::integer[], %s::text[])
                AS pair(application_id, project_id, score, reasons)
            """
            ).format(sql.Identifier(MatchProposal._meta.db_table)),
            [
                run.pk,
                MatchProposal.Status.PROPOSED,
                now,
                now,
                [edge.application_id for edge in edges],
                [edge.project_id for edge in edges],
                [edge.score for edge in edges],
                [json.dumps(edge.reasons) for edge in edges],
            ],
        )
        cursor.execute(
            sql.SQL(
                """
            INSERT INTO {}
                (application_id, from_status, to_status, note, created_at)
            SELECT application_id, %s, %s, '', %s FROM unnest(%s::bigint[]) AS application_id
            """
            ).format(sql.Identifier(ApplicationEvent._meta.db_table)),
            [Status.PENDING, Status.PROPOSED, now, [edge.application_id for edge in edges]],
        )


@transaction.atomic
def _match_run(*, district_id: int, attempt: int, started_at: datetime) -> MatchRun:
    clock = time.perf_counter()
    if not _district_lock_acquired(district_id=district_id):
        return _skipped_or_empty(
            district_id=district_id,
            attempt=attempt,
            started_at=started_at,
            status=MatchRun.Status.SKIPPED,
            note="another run holds this district",
        )
    _commit_without_waiting_for_the_disk()
    today = timezone.localdate()
    snapshot = district_snapshot(district_id=district_id)
    if not snapshot.applications:
        return _skipped_or_empty(
            district_id=district_id,
            attempt=attempt,
            started_at=started_at,
            status=MatchRun.Status.SUCCEEDED,
            note="nothing pending",
        )
    edges = eligibility.build_edges(snapshot.applications, list(snapshot.projects.values()), today)
    with_edge = {application_id for application_id, _, _ in edges}
    capacities = {pk: free for pk, free in snapshot.free_places.items() if free > 0}
    solver_edges = [edge for edge in edges if edge[1] in capacities]
    solver_clock = time.perf_counter()
    assignment = solver.solve(solver_edges, capacities)
    solver_seconds = time.perf_counter() - solver_clock

    _pause_for_tests()

    # From here on the run writes: lock what it writes about, then check it again.
    places = places_after_locking(snapshot=snapshot, assignment=assignment, today=today)
    scores = {(a, p): s for a, p, s in solver_edges if assignment.get(a) == p}
    kept = _keep_what_fits(assignment=assignment, scores=scores, places=places)

    now = timezone.now()
    marked = _mark_proposed(application_ids=sorted(kept), now=now)
    kept = {a: p for a, p in kept.items() if a in marked}
    run = MatchRun.objects.create(
        district_id=district_id,
        started_at=started_at,
        status=MatchRun.Status.RUNNING,
        attempts=attempt,
    )
    applications = {app.id: app for app in snapshot.applications}
    _insert_proposals_and_events(
        run=run,
        edges=[
            eligibility.explain(applications[a], snapshot.projects[p], today)
            for a, p in sorted(kept.items())
        ],
    )
    unmatched = {
        SupportApplication.UnmatchedReason.NO_ELIGIBLE_PROJECT: [
            app.id for app in snapshot.applications if app.id not in with_edge
        ],
        SupportApplication.UnmatchedReason.NO_FREE_PLACE: [
            app.id for app in snapshot.applications if app.id in with_edge and app.id not in kept
        ],
    }
    for reason, ids in unmatched.items():
        # Only rows whose reason changes are written: a rerun rewrites nothing it need not.
        SupportApplication.objects.filter(pk__in=ids, status=Status.PENDING).exclude(
            unmatched_reason=reason
        ).update(unmatched_reason=reason, updated_at=now)

    run.status = MatchRun.Status.SUCCEEDED
    run.considered = len(snapshot.applications)
    run.proposed = len(kept)
    run.unmatched_no_eligible = len(
        unmatched[SupportApplication.UnmatchedReason.NO_ELIGIBLE_PROJECT]
    )
    run.unmatched_no_place = len(unmatched[SupportApplication.UnmatchedReason.NO_FREE_PLACE])
    run.solver_seconds = solver_seconds
    run.finished_at = timezone.now()
    run.total_seconds = time.perf_counter() - clock
    run.save()
    return run


def match_run_execute(*, district_id: int, attempt: int = 1) -> MatchRun:
    """Run one matching pass over a district: propose the best pairs the solver finds.

    Everything happens in one transaction under the district's advisory lock, so a run that
    dies (a killed worker, a timeout) leaves nothing behind, and two runs of one district
    never overlap. Returns the stored ``MatchRun``, or an *unsaved* one when there was
    nothing to store: status ``skipped`` when another run holds the district (so overlapping
    runs, every five minutes and after each submission, leave no noise behind), status
    ``succeeded`` with ``considered == 0`` when nothing was pending. A run that fails is
    recorded as ``failed`` (in a transaction of its own) and the error is raised again.

    Places are not taken here: a coordinator's accept takes them (``proposal_accept``).
    """
    started_at = timezone.now()
    try:
        return _match_run(district_id=district_id, attempt=attempt, started_at=started_at)
    except Exception as error:
        _match_run_record_failure(
            district_id=district_id, attempt=attempt, started_at=started_at, error=error
        )
        raise


def _match_run_record_failure(
    *, district_id: int, attempt: int, started_at: datetime, error: BaseException
) -> None:
    try:
        with transaction.atomic():
            MatchRun.objects.create(
                district_id=district_id,
                started_at=started_at,
                finished_at=timezone.now(),
                status=MatchRun.Status.FAILED,
                attempts=attempt,
                note=f"{type(error).__name__}: {error}"[:2000],
            )
    except Error:
        # The database itself is what failed (or the connection is gone): only the log is left.
        logger.exception("could not record the failed match run of district %s", district_id)


# A second request for the same district within this many seconds joins the first.
RUN_REQUEST_WINDOW_SECONDS = 60


@dataclass(frozen=True)
class MatchRunRequest:
    """A matching pass asked for: the task's id (for the logs), when it was asked for, and
    whether an earlier request was still standing, so that nothing new was enqueued."""

    district_id: int
    task_id: str
    requested_at: datetime
    repeated: bool


def match_run_request(*, district_id: int) -> MatchRunRequest:
    """Ask for a matching pass over a district now: the ``match_district`` task, after commit,
    as each submission does.

    Asked again within a minute, the first request's reference is returned and nothing is
    enqueued: the pass asked for has not had its chance yet. (The task is safe to run twice
    anyway: a pass finds only pending applications without a live proposal.)
    """
    from ..tasks import match_district

    key = f"matching:run-requested:{district_id}"
    for _attempt in range(2):
        fresh = {"task_id": str(uuid.uuid4()), "requested_at": timezone.now().isoformat()}
        if cache.add(key, fresh, timeout=RUN_REQUEST_WINDOW_SECONDS):
            enqueue_on_commit(match_district, district_id, task_id=fresh["task_id"])
            return _run_request(district_id, fresh, repeated=False)
        standing = cache.get(key)
        if standing is not None:  # else it expired just now: ask again
            return _run_request(district_id, standing, repeated=True)
    raise RuntimeError("the cache neither keeps nor refuses the match run request")


def _run_request(district_id: int, stored: dict[str, str], *, repeated: bool) -> MatchRunRequest:
    requested_at = parse_datetime(stored["requested_at"])
    assert requested_at is not None
    return MatchRunRequest(
        district_id=district_id,
        task_id=stored["task_id"],
        requested_at=requested_at,
        repeated=repeated,
    )
