"""End-to-end benchmark of the matching engine on PostgreSQL: read, solve, write proposals.

Builds synthetic district-years (10,389 pending applications, 347 projects, five areas,
sixteen neighbourhoods, fewer places than demand) in a database of its own,
``welfare_net_bench``, which it drops and creates again on every run, then times
``match_run_execute`` for each district one after another.

    python -m benchmarks.matching_e2e                  # one district-year
    python -m benchmarks.matching_e2e --districts 25   # a city of 25 districts (~260,000)

The server comes from DATABASE_URL (host, port, user; its database name is ignored), or
postgres://postgres@127.0.0.1:5432 without it. Prints JSON; ``end_to_end`` returns the same
dict for benchmarks/matching.py.
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2

BENCH_DATABASE = "welfare_net_bench"
APPLICATIONS_PER_DISTRICT = 10_389
PROJECTS_PER_DISTRICT = 347
NEIGHBOURHOODS_PER_DISTRICT = 16
TARGET_DISTRICT_SECONDS = 5.0
TARGET_CITY_SECONDS = 60.0

AREAS = ["donation", "network", "talent", "health", "education"]
AREA_WEIGHTS = [0.15, 0.25, 0.2, 0.25, 0.15]
SUPPORT_TYPES = {
    "donation": ["goods", "cash"],
    "network": ["service"],
    "talent": ["service"],
    "health": ["health_care", "programme"],
    "education": ["mentoring", "programme"],
}
HOUSEHOLDS = ["single_person", "couple", "with_children", "single_parent", "multi_generation"]
GROUPS = [
    "older-alone",
    "basic-livelihood",
    "near-poor",
    "single-parent",
    "disability",
    "multicultural",
    "children-youth",
    "isolated-young-adult",
    "single-person",
    "crisis",
]
AGE_LIMITS = [(None, None)] * 7 + [(65, None), (None, 18), (19, 39)]


def bench_database_url(database_url: str | None = None) -> str:
    parts = urlsplit(database_url or "postgres://postgres@127.0.0.1:5432/postgres")
    return urlunsplit((parts.scheme, parts.netloc, f"/{BENCH_DATABASE}", "", ""))


def reset_database(url: str) -> None:
    """Drop and create the benchmark's own database (never any other)."""
    parts = urlsplit(url)
    assert parts.path.lstrip("/") == BENCH_DATABASE
    admin = psycopg2.connect(
        dbname="postgres",
        user=parts.username or "postgres",
        password=parts.password,
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    finally:
        admin.close()


def setup_django(url: str) -> None:
    import django
    from django.conf import settings

    if settings.configured:
        name = settings.DATABASES["default"]["NAME"]
        if name != BENCH_DATABASE:
            raise RuntimeError(f"Django is already set up on {name!r}, not {BENCH_DATABASE!r}")
        return
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_READ_DOT_ENV_FILE"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "welfare_net.settings.local"
    os.environ["LOG_LEVEL"] = "WARNING"
    django.setup()


def build_district(index: int, rng: random.Random, today: dt.date) -> int:
    """One synthetic district-year of pending applications; returns the district id."""
    from django.utils import timezone

    from matching.models import SupportApplication
    from projects.models import District, Neighbourhood, Organisation, Project, TargetGroup

    groups = {group.code: group for group in TargetGroup.objects.filter(code__in=GROUPS)}
    for code in GROUPS:
        if code not in groups:
            groups[code] = TargetGroup.objects.create(code=code, name=code)
    district = District.objects.create(code=f"bench-{index:02d}", name=f"벤치{index:02d}구")
    neighbourhoods = Neighbourhood.objects.bulk_create(
        Neighbourhood(district=district, code=f"n{n:02d}", name=f"{n:02d}동")
        for n in range(NEIGHBOURHOODS_PER_DISTRICT)
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(district=district, name=f"기관 {n}", kind="welfare_centre") for n in range(20)
    )

    # As many places as applications, but some are taken, paused or closed, and not every
    # place suits every applicant: some demand is left unserved.
    weights = [rng.expovariate(1) for _ in range(PROJECTS_PER_DISTRICT)]
    scale = APPLICATIONS_PER_DISTRICT / sum(weights)
    capacities = [max(1, round(weight * scale)) for weight in weights]
    projects: list[Project] = []
    project_groups: list[list[str]] = []
    project_nbhds: list[list[Neighbourhood]] = []
    for n, capacity in enumerate(capacities):
        area = rng.choices(AREAS, AREA_WEIGHTS)[0]
        min_age, max_age = rng.choice(AGE_LIMITS)
        whole_district = rng.random() < 0.35
        starts_on = today - dt.timedelta(days=rng.randint(0, 300))
        ends_on = None if rng.random() < 0.4 else today + dt.timedelta(days=rng.randint(0, 200))
        projects.append(
            Project(
                district=district,
                organisation=rng.choice(organisations),
                title=f"Project {index}-{n}",
                area=area,
                support_type=rng.choice(SUPPORT_TYPES[area]),
                whole_district=whole_district,
                min_age=min_age,
                max_age=max_age,
                household_types=(
                    rng.sample(HOUSEHOLDS, rng.randint(1, 3)) if rng.random() < 0.2 else []
                ),
                capacity=capacity,
                places_taken=rng.randint(0, capacity // 4),
                starts_on=starts_on,
                ends_on=ends_on,
                status=rng.choices(["open", "paused", "closed"], [0.9, 0.05, 0.05])[0],
            )
        )
        project_groups.append(rng.sample(GROUPS, rng.randint(1, 2)) if rng.random() < 0.5 else [])
        project_nbhds.append(
            [] if whole_district else rng.sample(neighbourhoods, rng.randint(1, 4))
        )
    Project.objects.bulk_create(projects)
    Project.neighbourhoods.through.objects.bulk_create(
        Project.neighbourhoods.through(project_id=project.pk, neighbourhood_id=nbhd.pk)
        for project, nbhds in zip(projects, project_nbhds, strict=True)
        for nbhd in nbhds
    )
    Project.target_groups.through.objects.bulk_create(
        Project.target_groups.through(project_id=project.pk, targetgroup_id=groups[code].pk)
        for project, codes in zip(projects, project_groups, strict=True)
        for code in codes
    )

    now = timezone.now()
    by_area: dict[str, list[Project]] = {area: [] for area in AREAS}
    for project in projects:
        by_area[project.area].append(project)
    applications = []
    application_groups = []
    for _ in range(APPLICATIONS_PER_DISTRICT):
        areas = sorted(set(rng.choices(AREAS, AREA_WEIGHTS, k=rng.choice([1, 1, 1, 2]))))
        preferred = rng.choice(by_area[areas[0]]) if rng.random() < 0.1 else None
        applications.append(
            SupportApplication(
                district=district,
                neighbourhood=rng.choice(neighbourhoods),
                areas=areas,
                support_type=rng.choice(SUPPORT_TYPES[areas[0]]) if rng.random() < 0.5 else "",
                urgency=rng.choices([1, 2, 3, 4], [0.2, 0.4, 0.3, 0.1])[0],
                description="benchmark",
                preferred_project=preferred,
                applicant_name="benchmark",
                birth_year=rng.randint(1930, 2015),
                household_type=rng.choice(HOUSEHOLDS),
                submitted_at=now - dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
                submission_key=uuid.UUID(int=rng.getrandbits(128)),
            )
        )
        application_groups.append(rng.sample(GROUPS, rng.choice([0, 1, 1, 2])))
    SupportApplication.objects.bulk_create(applications, batch_size=2000)
    SupportApplication.target_groups.through.objects.bulk_create(
        (
            SupportApplication.target_groups.through(
                supportapplication_id=application.pk, targetgroup_id=groups[code].pk
            )
            for application, codes in zip(applications, application_groups, strict=True)
            for code in codes
        ),
        batch_size=5000,
    )
    return district.pk


def end_to_end(
    *,
    districts: int = 1,
    seed: int = 2026,
    workers: int | None = None,
    database_url: str | None = None,
) -> dict:
    """Build ``districts`` district-years in welfare_net_bench and time a match run of each.

    The districts run one after another in one process (``all_districts_seconds``); with more
    than one district they then run again from the same state in ``workers`` processes at once
    (default: one per CPU), as the beat's one-task-per-district pass runs on a worker pool
    (``all_districts_parallel_seconds``).
    """
    workers = workers or os.cpu_count() or 1
    url = bench_database_url(database_url or os.environ.get("DATABASE_URL"))
    reset_database(url)
    setup_django(url)

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(seed)
    today = timezone.localdate()
    clock = time.perf_counter()
    district_ids = [build_district(index, rng, today) for index in range(districts)]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    build_seconds = time.perf_counter() - clock

    runs = [_timed_run(district_id, today) for district_id in district_ids]
    city_seconds = sum(run["seconds"] for run in runs)
    # The machine may be busy: the district-year figure is the median of three runs of the
    # first district, its state reset in between.
    repeats = [runs[0]["seconds"]]
    for _ in range(2):
        _reset_district(district_ids[0])
        repeats.append(_timed_run(district_ids[0], today)["seconds"])
    district_year = {**runs[0], "seconds": statistics.median(repeats), "seconds_each": repeats}
    parallel_seconds = None
    if districts > 1 and workers > 1:
        _reset_district(None)
        parallel_seconds = round(_parallel_pass(district_ids, workers), 3)
    city_seconds = min(city_seconds, parallel_seconds or city_seconds)
    return {
        "database": BENCH_DATABASE,
        "districts": districts,
        "applications": APPLICATIONS_PER_DISTRICT * districts,
        "projects": PROJECTS_PER_DISTRICT * districts,
        "build_seconds": round(build_seconds, 1),
        "district_year": district_year,
        "all_districts_seconds": round(sum(run["seconds"] for run in runs), 3),
        "all_districts_parallel_seconds": parallel_seconds,
        "workers": workers if parallel_seconds is not None else 1,
        "slowest_district_seconds": max(run["seconds"] for run in runs),
        "targets": {
            "district_year_seconds": TARGET_DISTRICT_SECONDS,
            "city_seconds": TARGET_CITY_SECONDS,
        },
        "met": district_year["seconds"] < TARGET_DISTRICT_SECONDS
        and (districts < 25 or city_seconds < TARGET_CITY_SECONDS),
        "runs": [run["seconds"] for run in runs] if districts > 1 else None,
    }


def _parallel_pass(district_ids: list[int], workers: int) -> float:
    from django.db import connections

    connections.close_all()  # each forked process opens its own connection
    clock = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        proposed = list(pool.map(_run_district, district_ids))
    seconds = time.perf_counter() - clock
    assert all(proposed), "a district proposed nothing in the parallel pass"
    return seconds


def _run_district(district_id: int) -> int:
    from matching.services import match_run_execute

    return match_run_execute(district_id=district_id).proposed


def _timed_run(district_id: int, today: dt.date) -> dict[str, Any]:
    from matching import eligibility
    from matching.services import match_run_execute
    from matching.services.match_snapshot import district_snapshot

    # The number of edges, for the record (not timed: the run builds its own).
    snapshot = district_snapshot(district_id=district_id)
    edges = eligibility.build_edges(snapshot.applications, list(snapshot.projects.values()), today)
    clock = time.perf_counter()
    run = match_run_execute(district_id=district_id)
    seconds = time.perf_counter() - clock
    return {
        "seconds": round(seconds, 3),
        "solver_seconds": round(run.solver_seconds, 3),
        "considered": run.considered,
        "edges": len(edges),
        "proposed": run.proposed,
        "unmatched_no_eligible": run.unmatched_no_eligible,
        "unmatched_no_place": run.unmatched_no_place,
    }


def _reset_district(district_id: int | None) -> None:
    """Put a district (None: all) back as before its run: every application pending."""
    from django.db import connection

    from matching.models import ApplicationEvent, MatchProposal, MatchRun, SupportApplication

    where = {} if district_id is None else {"district_id": district_id}
    MatchProposal.objects.filter(**{f"run__{k}": v for k, v in where.items()}).delete()
    MatchRun.objects.filter(**where).delete()
    ApplicationEvent.objects.filter(**{f"application__{k}": v for k, v in where.items()}).delete()
    SupportApplication.objects.filter(**where).update(status="pending", unmatched_reason="")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=None, help="default: one per CPU")
    args = parser.parse_args(argv)
    figures = end_to_end(districts=args.districts, seed=args.seed, workers=args.workers)
    json.dump(figures, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if figures["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
