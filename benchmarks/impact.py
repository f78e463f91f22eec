"""Benchmark of the impact figures on PostgreSQL: one year and five years of a district.

    python -m benchmarks.impact                     # 10,389 applications a year
    python -m benchmarks.impact --per-year 2000     # smaller, quicker

Builds, in a database of its own (``welfare_net_bench``, dropped and created again on every
run, as ``benchmarks.matching_e2e`` does), a district of sixteen neighbourhoods with one year
of data shaped like the model district's first year -- applications with their events
(proposed, accepted, delivered or closed), residents who take part, project places,
donation pledges, talent offers and referrals -- and times ``impact.selectors.impact_figures``
(uncached) for that year. Then it adds four earlier years to the same district and times the
five years, the last year of the five, and the five years for one neighbourhood and one area.
Rows are written with COPY, so building five years takes seconds, not minutes.

Prints a small table (median milliseconds of several runs) and the target: under 200 ms for
five years. The server comes from DATABASE_URL (host, port, user; the database name is
ignored), or postgres://postgres@127.0.0.1:5432 without it. Exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks.matching_e2e import bench_database_url, reset_database, setup_django

PER_YEAR = 10_389  # applications a year, as in the model district's first year
NEIGHBOURHOODS = 16
TARGET_FIVE_YEARS_MS = 200.0
SEOUL = ZoneInfo("Asia/Seoul")
AREAS = ["donation", "network", "talent", "health", "education"]
AREA_WEIGHTS = [30, 15, 15, 25, 15]

# Per application of a year, roughly as in the demo year (domain.md's first year).
RESIDENTS_PER_APPLICATION = 1.37
PROJECTS_PER_APPLICATION = 347 / 10_389
PARTICIPATIONS_PER_APPLICATION = 4_967 / 10_389
PLEDGES_PER_APPLICATION = 3_001 / 10_389
TALENTS_PER_APPLICATION = 901 / 10_389
REFERRALS_PER_APPLICATION = 381 / 10_389


@dataclasses.dataclass
class Built:
    district_id: int
    neighbourhood_ids: list[int]
    years: list[int]
    applications: int = 0
    events: int = 0
    residents: int = 0


class _Ids:
    """The next free id of each table (rows are copied in with their ids)."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, table: str, count: int) -> int:
        from django.db import connection

        if table not in self.next:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
                self.next[table] = cursor.fetchone()[0]
        first = self.next[table]
        self.next[table] += count
        return first

    def reset_sequences(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            for table, following in self.next.items():
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [table, following]
                )


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows into a table (CSV; None is NULL, written as an unquoted empty field)."""
    from django.db import connection

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for row in rows:
        writer.writerow(["\\N" if value is None else value for value in row])
        count += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )
    return count


def _moment(rng: random.Random, day: date) -> datetime:
    minutes = rng.randrange(8 * 60, 21 * 60)
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=SEOUL)


def _day_in(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def build_district(*, per_year: int, seed: int) -> Built:
    """A district with its sixteen neighbourhoods and no data yet."""
    from projects.models import District, Neighbourhood, Organisation

    district = District.objects.create(code=f"bench-impact-{seed}", name="벤치구")
    neighbourhoods = Neighbourhood.objects.bulk_create(
        Neighbourhood(district=district, code=f"n{n:02d}", name=f"{n:02d}동", name_en=f"Dong {n}")
        for n in range(NEIGHBOURHOODS)
    )
    Organisation.objects.create(district=district, name="벤치 복지관", kind="welfare_centre")
    return Built(district.pk, [n.pk for n in neighbourhoods], [])


def add_year(built: Built, *, year: int, per_year: int, rng: random.Random, ids: _Ids) -> None:
    """One year of the district's activity, written with COPY."""
    from donations.models import DonationPledge
    from matching.models import ApplicationEvent, Referral, SupportApplication
    from projects.models import Organisation, Participation, Project
    from residents.models import ResidentProfile, User
    from talents.models import TalentOffer

    table = {
        "user": User._meta.db_table,
        "profile": ResidentProfile._meta.db_table,
        "project": Project._meta.db_table,
        "application": SupportApplication._meta.db_table,
        "event": ApplicationEvent._meta.db_table,
        "participation": Participation._meta.db_table,
        "pledge": DonationPledge._meta.db_table,
        "talent": TalentOffer._meta.db_table,
        "referral": Referral._meta.db_table,
    }
    organisation_id = Organisation.objects.get(district_id=built.district_id).pk
    stamp = _moment(rng, date(year, 1, 1)).isoformat()

    # New residents each year (the district's participants grow), living in a neighbourhood.
    new_residents = round(per_year * RESIDENTS_PER_APPLICATION / (1 + len(built.years) * 0.5))
    first_user = ids.take(table["user"], new_residents)
    user_ids = list(range(first_user, first_user + new_residents))
    _copy(
        table["user"],
        ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
         "is_staff", "is_active", "date_joined"],
        (
            (uid, "!", False, f"bench{uid}", "", "", f"bench{uid}@example.org", False, True, stamp)
            for uid in user_ids
        ),
    )  # fmt: skip
    first_profile = ids.take(table["profile"], new_residents)
    _copy(
        table["profile"],
        ["id", "user_id", "neighbourhood_id", "birth_year", "household_type", "phone",
         "preferred_language", "notification_channel", "created_at", "updated_at"],
        (
            (first_profile + n, uid, rng.choice(built.neighbourhood_ids), rng.randint(1930, 2010),
             "single_person", "", "ko", "email", stamp, stamp)
            for n, uid in enumerate(user_ids)
        ),
    )  # fmt: skip
    residents = _all_residents(built) + user_ids
    built.residents = len(residents)

    project_count = max(5, round(per_year * PROJECTS_PER_APPLICATION))
    first_project = ids.take(table["project"], project_count)
    projects = [
        (first_project + n, rng.choices(AREAS, AREA_WEIGHTS)[0]) for n in range(project_count)
    ]
    _copy(
        table["project"],
        ["id", "public_id", "district_id", "organisation_id", "title", "description", "area",
         "support_type", "whole_district", "household_types", "eligibility_note", "capacity",
         "places_taken", "starts_on", "status", "contact_name", "contact_phone", "contact_email",
         "created_at", "updated_at"],
        (
            (pid, uuid.UUID(int=rng.getrandbits(128)), built.district_id, organisation_id,
             f"사업 {pid}", "", area, "service", True, "[]", "", 50, 0, date(year, 1, 1),
             "closed" if year < max([year, *built.years]) else "open", "", "", "",
             _moment(rng, _day_in(rng, year)).isoformat(), stamp)
            for pid, area in projects
        ),
    )  # fmt: skip

    applications, events = _applications(built, year=year, per_year=per_year, rng=rng, ids=ids,
                                          residents=residents, tables=table)  # fmt: skip
    built.applications += applications
    built.events += events

    def dated(count: int) -> Iterable[tuple[int, datetime]]:
        for _ in range(count):
            yield rng.choice(residents), _moment(rng, _day_in(rng, year))

    # One active place per resident, project and role (the database's rule).
    places: dict[tuple[int, int, str], tuple[datetime, str]] = {}
    for who, at in dated(round(per_year * PARTICIPATIONS_PER_APPLICATION)):
        role = rng.choice(["volunteer", "participant"])
        status = "cancelled" if rng.random() < 0.05 else "active"
        places.setdefault((who, rng.choice(projects)[0], role), (at, status))
    first = ids.take(table["participation"], len(places))
    _copy(
        table["participation"],
        ["id", "resident_id", "project_id", "role", "status", "started_on", "ended_on",
         "created_at", "updated_at"],
        (
            (first + n, who, project_id, role, status, at.date(),
             at.date() if status == "cancelled" else None, at.isoformat(), at.isoformat())
            for n, ((who, project_id, role), (at, status)) in enumerate(places.items())
        ),
    )  # fmt: skip
    count = round(per_year * PLEDGES_PER_APPLICATION)
    first = ids.take(table["pledge"], count)
    _copy(
        table["pledge"],
        ["id", "donor_id", "project_id", "kind", "amount_won", "goods_description", "status",
         "anonymous", "created_at", "updated_at"],
        (
            (first + n, who, rng.choice(projects)[0], "money", 10_000 * rng.randint(1, 20), "",
             "cancelled" if rng.random() < 0.07 else "pledged", False, at.isoformat(),
             at.isoformat())
            for n, (who, at) in enumerate(dated(count))
        ),
    )  # fmt: skip
    count = round(per_year * TALENTS_PER_APPLICATION)
    first = ids.take(table["talent"], count)
    _copy(
        table["talent"],
        ["id", "resident_id", "category", "description", "availability", "status", "created_at",
         "updated_at"],
        (
            (first + n, who, "repairs", "수리", "", "offered", at.isoformat(), at.isoformat())
            for n, (who, at) in enumerate(dated(count))
        ),
    )  # fmt: skip
    count = round(per_year * REFERRALS_PER_APPLICATION)
    first = ids.take(table["referral"], count)
    _copy(
        table["referral"],
        ["id", "public_id", "referrer_id", "district_id", "neighbourhood_id", "neighbour_name",
         "situation", "how_to_reach", "neighbour_knows", "status", "closed_reason",
         "submission_key", "created_at", "updated_at"],
        (
            (first + n, uuid.UUID(int=rng.getrandbits(128)), who, built.district_id,
             rng.choice(built.neighbourhood_ids), "", "혼자 사시는 어르신", "101동", False,
             "closed", "", uuid.UUID(int=rng.getrandbits(128)), at.isoformat(), at.isoformat())
            for n, (who, at) in enumerate(dated(count))
        ),
    )  # fmt: skip
    built.years.append(year)


def _all_residents(built: Built) -> list[int]:
    from residents.models import ResidentProfile

    return list(
        ResidentProfile.objects.filter(neighbourhood__district_id=built.district_id).values_list(
            "user_id", flat=True
        )
    )


def _applications(
    built: Built,
    *,
    year: int,
    per_year: int,
    rng: random.Random,
    ids: _Ids,
    residents: list[int],
    tables: dict[str, str],
) -> tuple[int, int]:
    """A year of applications and their events: 88% delivered, the rest closed or withdrawn,
    and, in the last weeks of the year, some still waiting (for want of a place, too)."""
    first = ids.take(tables["application"], per_year)
    application_rows = []
    event_rows: list[tuple[Any, ...]] = []
    for n in range(per_year):
        app_id = first + n
        submitted = _moment(rng, _day_in(rng, year))
        areas = sorted(set(rng.choices(AREAS, AREA_WEIGHTS, k=2 if rng.random() < 0.2 else 1)))
        chance = rng.random()
        late = submitted.month == 12 and submitted.day > 15
        steps: list[tuple[str, str]] = [("", "pending")]
        if chance < 0.05:  # rejected once, proposed again
            steps += [("pending", "proposed"), ("proposed", "pending")]
        if late and chance < 0.2:
            status, reason = "pending", rng.choice(["no_free_place", "no_eligible_project", ""])
        elif chance < 0.884:
            steps += [("pending", "proposed"), ("proposed", "accepted"), ("accepted", "delivered")]
            status, reason = "delivered", ""
        elif chance < 0.92:
            steps += [("pending", "proposed"), ("proposed", "accepted"), ("accepted", "closed")]
            status, reason = "closed", ""
        elif chance < 0.96:
            steps += [("pending", "closed")]
            status, reason = "closed", "no_eligible_project"
        else:
            steps += [("pending", "withdrawn")]
            status, reason = "withdrawn", ""
        application_rows.append(
            (app_id, uuid.UUID(int=rng.getrandbits(128)), rng.choice(residents),
             built.district_id, rng.choice(built.neighbourhood_ids), json.dumps(areas), "", 2,
             "benchmark", "benchmark", "", "", 1950, "single_person", status, reason,
             submitted.isoformat(), uuid.UUID(int=rng.getrandbits(128)), submitted.isoformat(),
             submitted.isoformat())
        )  # fmt: skip
        at = submitted
        for from_status, to_status in steps:
            event_rows.append((app_id, from_status, to_status, "", at.isoformat()))
            at += timedelta(days=rng.randint(0, 6), minutes=rng.randint(1, 600))
    _copy(
        tables["application"],
        ["id", "public_id", "applicant_id", "district_id", "neighbourhood_id", "areas",
         "support_type", "urgency", "description", "applicant_name", "contact_phone",
         "contact_email", "birth_year", "household_type", "status", "unmatched_reason",
         "submitted_at", "submission_key", "created_at", "updated_at"],
        application_rows,
    )  # fmt: skip
    first_event = ids.take(tables["event"], len(event_rows))
    _copy(
        tables["event"],
        ["id", "application_id", "from_status", "to_status", "note", "created_at"],
        ((first_event + n, *row) for n, row in enumerate(event_rows)),
    )
    return len(application_rows), len(event_rows)


def analyse(*, vacuum: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def time_figures(
    *,
    start: date,
    end: date,
    runs: int,
    neighbourhood_id: int | None = None,
    area: str | None = None,
) -> dict[str, Any]:
    """Median milliseconds of ``runs`` uncached calls of impact_figures (after one warm-up)."""
    from impact.selectors import impact_figures
    from projects.models import Neighbourhood

    neighbourhood = Neighbourhood.objects.get(pk=neighbourhood_id) if neighbourhood_id else None
    figures = impact_figures(start=start, end=end, neighbourhood=neighbourhood, area=area)
    each = []
    for _ in range(runs):
        clock = time.perf_counter()
        impact_figures(start=start, end=end, neighbourhood=neighbourhood, area=area)
        each.append((time.perf_counter() - clock) * 1000)
    return {
        "median_ms": round(statistics.median(each), 1),
        "each_ms": [round(ms, 1) for ms in each],
        "applications": figures.applications,
        "connections": figures.connections,
        "participants": figures.participants,
    }


def measure(*, per_year: int, runs: int, seed: int, last_year: int, vacuum: bool) -> dict[str, Any]:
    """Build one year, time it; add four earlier years, time five. Uses Django's connection."""
    rng = random.Random(seed)
    ids = _Ids()
    clock = time.perf_counter()
    built = build_district(per_year=per_year, seed=seed)
    add_year(built, year=last_year, per_year=per_year, rng=rng, ids=ids)
    ids.reset_sequences()
    analyse(vacuum=vacuum)
    build_seconds = time.perf_counter() - clock
    year = (date(last_year, 1, 1), date(last_year, 12, 31))
    rows: list[dict[str, Any]] = [
        {"data": "1 year", "period": f"{last_year}",
         **time_figures(start=year[0], end=year[1], runs=runs)}
    ]  # fmt: skip
    clock = time.perf_counter()
    for earlier in range(last_year - 1, last_year - 5, -1):
        add_year(built, year=earlier, per_year=per_year, rng=rng, ids=ids)
    ids.reset_sequences()
    analyse(vacuum=vacuum)
    build_seconds += time.perf_counter() - clock
    five = (date(last_year - 4, 1, 1), date(last_year, 12, 31))
    rows.append({"data": "5 years", "period": f"{last_year - 4}-{last_year}",
                 **time_figures(start=five[0], end=five[1], runs=runs)})  # fmt: skip
    rows.append({"data": "5 years", "period": f"{last_year}",
                 **time_figures(start=year[0], end=year[1], runs=runs)})  # fmt: skip
    dong = built.neighbourhood_ids[0]
    rows.append({"data": "5 years", "period": f"{last_year - 4}-{last_year}, 1 dong, health",
                 **time_figures(start=five[0], end=five[1], runs=runs, neighbourhood_id=dong,
                                area="health")})  # fmt: skip
    five_years_ms = rows[1]["median_ms"]
    return {
        "per_year": per_year,
        "applications": built.applications,
        "events": built.events,
        "residents": built.residents,
        "build_seconds": round(build_seconds, 1),
        "runs": runs,
        "rows": rows,
        "target_five_years_ms": TARGET_FIVE_YEARS_MS,
        "met": five_years_ms < TARGET_FIVE_YEARS_MS,
    }


def table(report: dict[str, Any]) -> str:
    lines = [
        f"impact_figures, uncached, median of {report['runs']} runs "
        f"({report['applications']:,} applications, {report['events']:,} events, "
        f"{report['residents']:,} residents; built in {report['build_seconds']}s)",
        "",
        f"{'data':<8} {'period':<32} {'applications':>12} {'median ms':>10}",
    ]
    for row in report["rows"]:
        applications = "-" if row["applications"] is None else f"{row['applications']:,}"
        lines.append(
            f"{row['data']:<8} {row['period']:<32} {applications:>12} {row['median_ms']:>10.1f}"
        )
    verdict = "met" if report["met"] else "MISSED"
    lines += ["", f"target: five years under {report['target_five_years_ms']:.0f} ms -- {verdict}"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.impact", description=__doc__)
    parser.add_argument("--per-year", type=int, default=PER_YEAR, help="applications a year")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    url = bench_database_url(os.environ.get("DATABASE_URL"))
    reset_database(url)
    setup_django(url)

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    report = measure(
        per_year=args.per_year,
        runs=args.runs,
        seed=args.seed,
        last_year=timezone.localdate().year - 1,
        vacuum=True,
    )
    print(json.dumps(report, indent=2) if args.json else table(report))
    return 0 if report["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
