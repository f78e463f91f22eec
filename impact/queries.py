"""The two aggregate queries behind the figures, in SQL (PostgreSQL).

Why SQL: each needs a two-level aggregate (first per application or per resident, then per
month, neighbourhood and area) that the ORM can only write as correlated subqueries run once
per row -- far too slow for five years of a district (~50,000 applications, ~200,000 events).
Table and column names come from the models; every value is a query parameter.
"""

import dataclasses
import json
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from donations.models import DonationPledge
from matching.models import ApplicationEvent, Referral, SupportApplication
from projects.models import Area, Neighbourhood, Participation, Project
from residents.models import ResidentProfile
from talents.models import TalentOffer

from .periods import Period, district_zone

Status = SupportApplication.Status

AREAS: tuple[str, ...] = tuple(Area.values)
# One bit per area, for the areas a resident took part in (bit_or over their activities).
AREA_BIT: dict[str, int] = {code: 1 << index for index, code in enumerate(AREAS)}

# How far an application got, read from its events: 1 proposed (or held), 2 accepted,
# 3 delivered. "Ever reached": a proposal rejected later still counts as proposed.
STAGE_PROPOSED, STAGE_ACCEPTED, STAGE_DELIVERED = 1, 2, 3


@dataclasses.dataclass(frozen=True)
class Scope:
    """What the figures are about besides the period (None: no filter)."""

    district_id: int | None = None
    neighbourhood_id: int | None = None
    area: str | None = None


@dataclasses.dataclass
class Counts:
    applications: int = 0
    delivered: int = 0


@dataclasses.dataclass
class ApplicationCounts:
    applications: int = 0
    proposed: int = 0
    accepted: int = 0
    delivered: int = 0
    by_month: dict[date, Counts] = dataclasses.field(default_factory=dict)
    by_neighbourhood: dict[int, Counts] = dataclasses.field(default_factory=dict)
    by_area: dict[str, Counts] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class ParticipantCounts:
    current: int = 0
    previous: int = 0
    by_neighbourhood: dict[int, int] = dataclasses.field(default_factory=dict)
    by_area: dict[str, int] = dataclasses.field(default_factory=dict)


def _area_params() -> dict[str, Any]:
    params: dict[str, Any] = {}
    for index, code in enumerate(AREAS):
        params[f"code_{index}"] = code
        params[f"bit_{index}"] = AREA_BIT[code]
    return params


# Memory for one figures query's sorts and hashes: with PostgreSQL's default 4 MB, five years'
# grouping sets spill to a sort on disk; 32 MB lets them hash in memory (measured: the
# applications query 164 -> 125 ms). For this transaction only.
SET_WORK_MEM = "SET LOCAL work_mem = '32MB';\n"


def _rows(sql: str, params: dict[str, Any]) -> Sequence[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        # One message, so one transaction even in autocommit: SET LOCAL lasts just for it.
        cursor.execute(SET_WORK_MEM + sql, params)
        return cursor.fetchall()


def _application_filters(scope: Scope, params: dict[str, Any]) -> list[str]:
    """Conditions on applications ``a`` submitted in the period (and the scope's filters)."""
    where = ["a.submitted_at >= %(start)s", "a.submitted_at < %(end)s"]
    if scope.district_id is not None:
        where.append("a.district_id = %(district)s")
        params["district"] = scope.district_id
    if scope.neighbourhood_id is not None:
        where.append("a.neighbourhood_id = %(neighbourhood)s")
        params["neighbourhood"] = scope.neighbourhood_id
    if scope.area is not None:
        where.append("a.areas @> %(area)s::jsonb")
        params["area"] = json.dumps([scope.area])
    return where


def application_counts(*, period: Period, scope: Scope) -> ApplicationCounts:
    """Applications submitted in the period and how far each got, in total, by month of
    submission, by neighbourhood and by area (one query).

    Each application's events are first reduced to the furthest stage it ever reached; the
    counts are then taken per (month, neighbourhood) and per set of areas, and added up here:
    a few hundred rows, whatever the number of applications.
    """
    params: dict[str, Any] = {
        "start": period.start_at,
        "end": period.end_before,
        "tz": str(district_zone()),
        "stages": [Status.PROPOSED, Status.ON_HOLD, Status.ACCEPTED, Status.DELIVERED],
        "accepted": Status.ACCEPTED,
        "delivered": Status.DELIVERED,
    }
    where = " AND ".join(_application_filters(scope, params))
    sql = f"""
        SELECT GROUPING(app.areas), app.month, app.neighbourhood_id, app.areas,
               COUNT(*),
               COUNT(*) FILTER (WHERE app.stage >= {STAGE_PROPOSED}),
               COUNT(*) FILTER (WHERE app.stage >= {STAGE_ACCEPTED}),
               COUNT(*) FILTER (WHERE app.stage >= {STAGE_DELIVERED})
        FROM (
            SELECT a.neighbourhood_id, a.areas,
                   date_trunc('month', a.submitted_at AT TIME ZONE %(tz)s)::date AS month,
                   reached.stage
            FROM {SupportApplication._meta.db_table} a
            LEFT JOIN (
                -- Each application's furthest stage, from its events alone, before the join:
                -- grouping by an integer is far cheaper than grouping the joined rows. An
                -- event never precedes its application's submission, hence the time bound.
                SELECT e.application_id,
                       MAX(CASE WHEN e.to_status = %(delivered)s THEN {STAGE_DELIVERED}
                                WHEN e.to_status = %(accepted)s THEN {STAGE_ACCEPTED}
                                ELSE {STAGE_PROPOSED} END) AS stage
                FROM {ApplicationEvent._meta.db_table} e
                WHERE e.to_status = ANY(%(stages)s) AND e.created_at >= %(start)s
                GROUP BY e.application_id
            ) reached ON reached.application_id = a.id
            WHERE {where}
        ) app
        GROUP BY GROUPING SETS ((app.month, app.neighbourhood_id), (app.areas))
    """  # noqa: S608  # nosec  # table names are the models' own; values are parameters
    counts = ApplicationCounts(by_area={code: Counts() for code in AREAS})
    for (
        by_areas,
        month,
        neighbourhood_id,
        areas,
        applications,
        proposed,
        accepted,
        delivered,
    ) in _rows(sql, params):
        if not by_areas:  # a set of areas (Django hands jsonb over as its text)
            for code in json.loads(areas) if isinstance(areas, str) else areas:
                if code in counts.by_area and (scope.area is None or code == scope.area):
                    counts.by_area[code].applications += applications
                    counts.by_area[code].delivered += delivered
            continue
        counts.applications += applications
        counts.proposed += proposed
        counts.accepted += accepted
        counts.delivered += delivered
        for key, table in ((month, counts.by_month), (neighbourhood_id, counts.by_neighbourhood)):
            cell = table.setdefault(key, Counts())
            cell.applications += applications
            cell.delivered += delivered
    return counts


def _area_bits_of_json(column: str) -> str:
    # "?" (the list holds this string) rather than "@>": measurably cheaper, row by row.
    return " | ".join(
        f"(CASE WHEN {column} ? %(code_{i})s THEN %(bit_{i})s ELSE 0 END)"
        for i in range(len(AREAS))
    )


def _area_bits_of_code(column: str) -> str:
    whens = " ".join(f"WHEN %(code_{i})s THEN %(bit_{i})s" for i in range(len(AREAS)))
    return f"(CASE {column} {whens} ELSE 0 END)"


# Flags of a resident beyond the area bits: took part in the period, in the one before.
_CURRENT, _PREVIOUS = 1 << len(AREAS), 1 << (len(AREAS) + 1)


def participant_counts(*, period: Period, previous: Period, scope: Scope) -> ParticipantCounts:
    """Different residents who took part in the period (and in the previous one), in total,
    by the neighbourhood they live in and by area (one query).

    The five ways of taking part are gathered, then reduced to one row per resident: the
    same resident twice is one participant. (UNION ALL followed by GROUP BY resident does what
    a UNION would, and in the same pass gathers each resident's flags in one integer: the
    areas they took part in during the period, whether they took part in the period, and in
    the one before.) The neighbourhood is looked up for each resident once, afterwards.
    """
    params: dict[str, Any] = {
        "since": previous.start_at,
        "since_day": previous.start,
        "start": period.start_at,
        "end": period.end_before,
        "end_day": period.end,
        "tz": str(district_zone()),
        "cancelled_pledge": DonationPledge.Status.CANCELLED,
        "cancelled_place": Participation.Status.CANCELLED,
        "talent_bit": AREA_BIT[Area.TALENT],
        "network_bit": AREA_BIT[Area.NETWORK],
        "current": _CURRENT,
        "previous": _PREVIOUS,
        **_area_params(),
    }
    project = Project._meta.db_table
    project_areas = _area_bits_of_code("p.area")
    source = f"""
        SELECT a.applicant_id, a.submitted_at, {_area_bits_of_json("a.areas")}
        FROM {SupportApplication._meta.db_table} a
        WHERE a.applicant_id IS NOT NULL
          AND a.submitted_at >= %(since)s AND a.submitted_at < %(end)s
        UNION ALL
        SELECT d.donor_id, d.created_at, {project_areas}
        FROM {DonationPledge._meta.db_table} d JOIN {project} p ON p.id = d.project_id
        WHERE d.status <> %(cancelled_pledge)s
          AND d.created_at >= %(since)s AND d.created_at < %(end)s
        UNION ALL
        SELECT t.resident_id, t.created_at, %(talent_bit)s
        FROM {TalentOffer._meta.db_table} t
        WHERE t.created_at >= %(since)s AND t.created_at < %(end)s
        UNION ALL
        SELECT r.referrer_id, r.created_at, %(network_bit)s
        FROM {Referral._meta.db_table} r
        WHERE r.referrer_id IS NOT NULL
          AND r.created_at >= %(since)s AND r.created_at < %(end)s
        UNION ALL
        SELECT pa.resident_id, pa.started_on::timestamp AT TIME ZONE %(tz)s, {project_areas}
        FROM {Participation._meta.db_table} pa JOIN {project} p ON p.id = pa.project_id
        WHERE pa.status <> %(cancelled_place)s
          AND pa.started_on >= %(since_day)s AND pa.started_on <= %(end_day)s
    """  # noqa: S608  # nosec  # table names are the models' own; values are parameters
    profile = ResidentProfile._meta.db_table
    # The area narrows what counts as taking part; where one lives is a resident's own,
    # asked of the much shorter list of residents after their activities are gathered.
    activity_where, resident_where = ["TRUE"], ["TRUE"]
    if scope.area is not None:
        activity_where.append("(source.areas & %(area_bit)s) <> 0")
        params["area_bit"] = AREA_BIT[scope.area]
    if scope.neighbourhood_id is not None:
        resident_where.append("pf.neighbourhood_id = %(neighbourhood)s")
        params["neighbourhood"] = scope.neighbourhood_id
    if scope.district_id is not None:
        resident_where.append(
            f"pf.neighbourhood_id IN (SELECT id FROM {Neighbourhood._meta.db_table}"  # noqa: S608  # nosec  # the model's table name
            " WHERE district_id = %(district)s)"
        )
        params["district"] = scope.district_id
    area_columns = ", ".join(
        f"COUNT(*) FILTER (WHERE (flags & %(current)s) <> 0 AND (flags & %(bit_{i})s) <> 0)"
        for i in range(len(AREAS))
    )
    sql = f"""
        SELECT pf.neighbourhood_id,
               COUNT(*) FILTER (WHERE (flags & %(current)s) <> 0),
               COUNT(*) FILTER (WHERE (flags & %(previous)s) <> 0),
               {area_columns}
        FROM (
            SELECT source.resident_id,
                   bit_or(CASE WHEN source.at >= %(start)s THEN source.areas | %(current)s
                               ELSE %(previous)s END) AS flags
            FROM ({source}) AS source (resident_id, at, areas)
            WHERE {" AND ".join(activity_where)}
            GROUP BY source.resident_id
        ) people
        LEFT JOIN {profile} pf ON pf.user_id = people.resident_id
        WHERE {" AND ".join(resident_where)}
        GROUP BY pf.neighbourhood_id
    """  # noqa: S608  # nosec  # table names are the models' own; values are parameters
    # One row per neighbourhood (and one for residents without a profile): each resident is
    # in exactly one, so the totals are their sums.
    counts = ParticipantCounts(by_area=dict.fromkeys(AREAS, 0))
    for neighbourhood_id, current, previous_count, *areas in _rows(sql, params):
        counts.current += current
        counts.previous += previous_count
        for code, count in zip(AREAS, areas, strict=True):
            counts.by_area[code] += count
        if neighbourhood_id is not None:
            counts.by_neighbourhood[neighbourhood_id] = current
    return counts


@dataclasses.dataclass(frozen=True)
class Waiting:
    """Applications waiting now for want of a free place, and for how many days."""

    applications: int
    median_days: Decimal
    longest_days: int


def waiting_for_places(*, scope: Scope) -> tuple[dict[int, Waiting], dict[str, Waiting]]:
    """Pending applications matching could not place for want of a free place, today, by
    neighbourhood and by area (an application with two areas waits in both); one query."""
    params: dict[str, Any] = {
        "now": timezone.now(),
        "pending": Status.PENDING,
        "no_place": SupportApplication.UnmatchedReason.NO_FREE_PLACE,
    }
    where = ["a.status = %(pending)s", "a.unmatched_reason = %(no_place)s"]
    if scope.district_id is not None:
        where.append("a.district_id = %(district)s")
        params["district"] = scope.district_id
    if scope.neighbourhood_id is not None:
        where.append("a.neighbourhood_id = %(neighbourhood)s")
        params["neighbourhood"] = scope.neighbourhood_id
    if scope.area is not None:
        where.append("a.areas @> %(area)s::jsonb")
        params["area"] = json.dumps([scope.area])
    sql = f"""
        WITH waiting AS (
            SELECT a.neighbourhood_id, a.areas,
                   GREATEST(0, FLOOR(EXTRACT(EPOCH FROM %(now)s - a.submitted_at) / 86400))
                       AS days
            FROM {SupportApplication._meta.db_table} a
            WHERE {" AND ".join(where)}
        )
        SELECT 'neighbourhood', neighbourhood_id::text, COUNT(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY days), MAX(days)
        FROM waiting
        GROUP BY neighbourhood_id
        UNION ALL
        SELECT 'area', area.code, COUNT(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY days), MAX(days)
        FROM waiting CROSS JOIN LATERAL jsonb_array_elements_text(waiting.areas) AS area(code)
        GROUP BY area.code
    """  # noqa: S608  # nosec  # the table name is the model's own; values are parameters
    by_neighbourhood: dict[int, Waiting] = {}
    by_area: dict[str, Waiting] = {}
    for kind, key, count, median, longest in _rows(sql, params):
        waiting = Waiting(
            applications=count,
            median_days=Decimal(str(median)).quantize(Decimal("0.1"), ROUND_HALF_UP),
            longest_days=int(longest),
        )
        if kind == "neighbourhood":
            by_neighbourhood[int(key)] = waiting
        elif key in AREA_BIT and (scope.area is None or key == scope.area):
            by_area[key] = waiting
    return by_neighbourhood, by_area
