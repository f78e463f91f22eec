"""The load benchmark: gunicorn with production settings on PostgreSQL, under locust.

    python -m benchmarks.load                  # seed, serve, run every scenario, report
    python -m benchmarks.load --reuse          # keep the database of the last run (no seeding)
    python -m benchmarks.load --seconds 20     # shorter scenarios

What it does, in order:

1. Builds its own database, ``welfare_net_load`` (dropped and created again unless ``--reuse``),
   on the server DATABASE_URL names (default postgres://postgres@127.0.0.1:5432): migrate,
   ``seed_demo --scale district-year`` (the model district's first year), collectstatic.
2. Writes the simulated people's sessions and the project ids (``benchmarks.load.prepare``).
3. Starts gunicorn on a free local port, as the Dockerfile does (``welfare_net.wsgi``, three
   sync workers, an access log), with ``benchmarks.load.settings``: the production settings
   plus the bare view. Redis db 14 of REDIS_URL's server (default 127.0.0.1:6379) is its
   cache and broker, emptied before and after. No Celery worker runs: the matching tasks the
   applications enqueue wait in Redis and are thrown away at the end.
4. Runs locust headless, one scenario at a time, each with ``--users`` (50) simulated people:
   - ``public``: visitors not logged in, on the home page, the project list (plain and
     searched), project pages and the impact page, each asking ``--public-pace`` (8) pages a
     second: 400 a second offered. The public targets are judged here.
   - ``submit``: logged-in residents, each having opened the application form once, sending
     ``--submit-pace`` (1.2) applications a second: 60 a second offered. The submit targets
     are judged here.
   - ``public-max``, ``submit-max``: the same people with no pause at all: the most the
     server gives, and the latency at that load.
   - ``form``: logged-in residents opening the application form, no pause (not a target).
   - ``list`` and ``bare``: the project list alone, then the bare view alone, no pause;
     their throughputs' ratio.
5. Checks that every submit the server answered "saved" is in the database, once.
6. Prints the figures against the targets, writes them to ``var/load/report.json`` and exits
   1 when a target is missed or any request failed.

Locust runs on the same machine as gunicorn and PostgreSQL, so it takes part of the same CPUs.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks.backup_restore import (
    connect,
    create_database,
    database_exists,
    database_of,
    drop_database,
    url_with_database,
)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "load"
DATABASE = "welfare_net_load"
REDIS_DB = 14
PUBLIC_TARGET_RPS = 300.0
PUBLIC_TARGET_P95_MS = 100.0
SUBMIT_TARGET_RPS = 50.0
SUBMIT_TARGET_P95_MS = 300.0


@dataclass
class Figures:
    """One request name's (or a scenario's aggregate) figures, as locust's CSV gives them."""

    name: str
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float


@dataclass
class Scenario:
    name: str
    users: list[str]
    seconds: int
    pace: float  # tasks a second per simulated person; 0: no pause at all
    aggregate: Figures | None = None
    per_request: list[Figures] = field(default_factory=list)


def _database_url(base: str | None, name: str) -> str:
    return url_with_database(base or "postgres://postgres@127.0.0.1:5432/postgres", name)


def _redis_url(base: str | None, db: int) -> str:
    parts = urlsplit(base or "redis://127.0.0.1:6379/0")
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))


def _reset_database(url: str) -> None:
    """Drop and create the benchmark's own database (never one without ``load`` in its name)."""
    name = database_of(url)
    if "load" not in name:
        raise ValueError(f"not a load benchmark database: {name!r}")
    drop_database(url, name)
    create_database(url, name)


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(database_url: str, redis_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.load.settings",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def build(env: dict[str, str], database_url: str, reuse: bool, scale: str) -> None:
    if reuse and database_exists(database_url, database_of(database_url)):
        print(f"reusing the database {database_of(database_url)}")
        _manage(env, "migrate", "--noinput", "-v0")
    else:
        started = time.monotonic()
        _reset_database(database_url)
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "seed_demo", "--scale", scale)
        print(f"seeded {database_of(database_url)} ({scale}) in {time.monotonic() - started:.0f} s")
    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "compilemessages", "--ignore", ".venv", "--ignore", "var", "-v0")


def _gunicorn(env: dict[str, str], port: int, workers: int, out: Path) -> subprocess.Popen[bytes]:
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log = (out / "gunicorn.log").open("wb")
    return subprocess.Popen(
        [
            gunicorn,
            "welfare_net.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            str(out / "access.log"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _wait_until_up(base: str, out: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer at {base}/healthz: see {out}/gunicorn.log")
        time.sleep(0.5)


def _warm(base: str, project_ids: Sequence[int]) -> None:
    """Each worker's first requests load templates and translations; not part of the figures."""
    paths = ["/", "/projects/", "/impact/", "/load-bench/bare"]
    paths += [f"/projects/{pk}/" for pk in project_ids[:5]]
    for _ in range(6):
        for path in paths:
            request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()


def _figures(row: dict[str, str]) -> Figures:
    return Figures(
        name=row["Name"],
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        rps=float(row["Requests/s"]),
        median_ms=float(row["50%"]),
        p95_ms=float(row["95%"]),
        p99_ms=float(row["99%"]),
        max_ms=float(row["Max Response Time"]),
    )


def run_scenario(
    scenario: Scenario, base: str, users: int, env: dict[str, str], out: Path
) -> Scenario:
    prefix = out / scenario.name
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).with_name("locustfile.py")),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{scenario.seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        base,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *scenario.users,
    ]
    who = ", ".join(scenario.users)
    pace = f"{scenario.pace:g} tasks/s each" if scenario.pace else "no pause"
    print(f"\n== {scenario.name}: {users} users ({who}, {pace}), {scenario.seconds} s")
    env = {**env, "LOAD_PACE": str(scenario.pace)}
    subprocess.run(command, cwd=ROOT, env=env, check=False)
    with prefix.with_name(f"{prefix.name}_stats.csv").open(newline="") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                scenario.aggregate = _figures(row)
            else:
                scenario.per_request.append(_figures(row))
    return scenario


def _applications_since(database_url: str, since: float) -> tuple[int, int]:
    """Applications submitted since ``since`` (epoch seconds), and distinct submission keys."""
    with connect(database_url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT submission_key) FROM matching_supportapplication"
            " WHERE submitted_at >= to_timestamp(%s)",
            [since],
        )
        total, distinct = cursor.fetchone()
        return int(total), int(distinct)


def _check_saved(scenario: Scenario, database_url: str, since: float) -> None:
    """Every submit answered "saved" is in the database, once. More rows than answers are
    harmless (each has its own submission key, so none is doubled): the submits in flight
    when locust stopped, and in very short runs some that locust's count misses."""
    saved, distinct = _applications_since(database_url, since)
    submitted = _by_name(scenario, "application submit")
    answered = submitted.requests - submitted.failures
    print(
        f"applications in the database: {saved} ({distinct} distinct submission keys); "
        f"answered saved: {answered}"
    )
    lost = max(answered - saved, 0)
    doubled = saved - distinct
    if lost or doubled:
        print(f"LOST {lost}, DOUBLED {doubled}")
        submitted.failures += lost + doubled
        if scenario.aggregate is not None:
            scenario.aggregate.failures += lost + doubled


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def _by_name(scenario: Scenario, name: str) -> Figures:
    for figures in scenario.per_request:
        if figures.name == name:
            return figures
    raise KeyError(name)


def verdicts(scenarios: dict[str, Scenario]) -> list[tuple[str, bool, str]]:
    public = scenarios["public"].aggregate
    submit = _by_name(scenarios["submit"], "application submit")
    checks: list[tuple[str, bool, str]] = []
    assert public is not None
    checks.append(
        (
            f"public pages >= {PUBLIC_TARGET_RPS:.0f} req/s",
            public.rps >= PUBLIC_TARGET_RPS,
            f"{public.rps:.0f} req/s",
        )
    )
    checks.append(
        (
            f"public pages p95 < {PUBLIC_TARGET_P95_MS:.0f} ms",
            public.p95_ms < PUBLIC_TARGET_P95_MS,
            f"{public.p95_ms:.0f} ms",
        )
    )
    checks.append(
        (
            f"application submit >= {SUBMIT_TARGET_RPS:.0f}/s",
            submit.rps >= SUBMIT_TARGET_RPS,
            f"{submit.rps:.1f}/s",
        )
    )
    checks.append(
        (
            f"application submit p95 < {SUBMIT_TARGET_P95_MS:.0f} ms",
            submit.p95_ms < SUBMIT_TARGET_P95_MS,
            f"{submit.p95_ms:.0f} ms",
        )
    )
    failures = sum(s.aggregate.failures for s in scenarios.values() if s.aggregate)
    checks.append(("no failed request", failures == 0, f"{failures} failed"))
    return checks


def _print_table(scenarios: dict[str, Scenario]) -> None:
    print(
        f"\n{'scenario':<8} {'request':<26} {'count':>7} {'fail':>5} {'req/s':>8} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    for scenario in scenarios.values():
        rows = [*scenario.per_request, *([scenario.aggregate] if scenario.aggregate else [])]
        for row in rows:
            label = "all" if row.name == "Aggregated" else row.name
            print(
                f"{scenario.name:<8} {label:<26} {row.requests:>7} {row.failures:>5} "
                f"{row.rps:>8.1f} {row.median_ms:>7.0f} {row.p95_ms:>7.0f} {row.p99_ms:>7.0f}"
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--users", type=int, default=50, help="simulated people at once")
    parser.add_argument("--seconds", type=int, default=60, help="length of each scenario")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    parser.add_argument(
        "--public-pace", type=float, default=8.0, help="pages a second per visitor (targets)"
    )
    parser.add_argument(
        "--submit-pace", type=float, default=1.2, help="applications a second per resident"
    )
    parser.add_argument("--out", default=str(OUT), help="where the CSVs and report go")
    parser.add_argument("--scale", default="district-year", help="seed_demo's --scale")
    parser.add_argument("--database", default=DATABASE, help="the benchmark's own database")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="its own Redis db")
    parser.add_argument("--residents", type=int, default=500, help="resident sessions to make")
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    database_url = _database_url(os.environ.get("DATABASE_URL"), args.database)
    redis_url = _redis_url(os.environ.get("REDIS_URL"), args.redis_db)
    env = server_environment(database_url, redis_url)
    _flush_redis(redis_url)
    build(env, database_url, args.reuse, args.scale)
    world_path = out / "world.json"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.load.prepare", str(world_path), str(args.residents)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    world = json.loads(world_path.read_text())
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    locust_env = {
        **os.environ,
        "LOAD_WORLD": str(world_path),
        "LOAD_HOST_HEADER": f"127.0.0.1:{port}",
        "PYTHONPATH": str(ROOT),
    }
    server = _gunicorn(env, port, args.workers, out)
    scenarios: dict[str, Scenario] = {}
    try:
        _wait_until_up(base, out)
        _warm(base, world["project_ids"])
        plan = [
            Scenario("public", ["Visitor"], args.seconds, args.public_pace),
            Scenario("submit", ["Applicant"], args.seconds, args.submit_pace),
            Scenario("public-max", ["Visitor"], args.seconds, 0),
            Scenario("submit-max", ["Applicant"], args.seconds, 0),
            Scenario("form", ["FormReader"], args.seconds, 0),
            Scenario("list", ["ListReader"], args.seconds, 0),
            Scenario("bare", ["BareReader"], args.seconds, 0),
        ]
        for scenario in plan:
            since = time.time()
            scenarios[scenario.name] = run_scenario(scenario, base, args.users, locust_env, out)
            if scenario.name.startswith("submit"):
                _check_saved(scenario, database_url, since)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        _flush_redis(redis_url)

    _print_table(scenarios)
    list_rps = scenarios["list"].aggregate.rps if scenarios["list"].aggregate else 0.0
    bare_rps = scenarios["bare"].aggregate.rps if scenarios["bare"].aggregate else 0.0
    ratio = list_rps / bare_rps if bare_rps else 0.0
    print(f"\nproject list / bare view throughput: {list_rps:.0f} / {bare_rps:.0f} = {ratio:.2f}")
    checks = verdicts(scenarios)
    print()
    for label, passed, value in checks:
        print(f"{'met   ' if passed else 'MISSED'} {label}: {value}")
    report = {
        "machine": machine(),
        "scale": args.scale,
        "users": args.users,
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "public_pace": args.public_pace,
        "submit_pace": args.submit_pace,
        "scenarios": {name: asdict(s) for name, s in scenarios.items()},
        "list_to_bare_ratio": round(ratio, 3),
        "checks": [{"target": c[0], "met": c[1], "measured": c[2]} for c in checks],
    }
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nmachine: {report['machine']}; report: {out / 'report.json'}")
    return 0 if all(passed for _, passed, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
