"""Back up the database with ``pg_dump``, restore the dump into a fresh database with
``pg_restore``, and check the restored one gives the same figures: the backup procedure of
the README, run end to end.

    python -m benchmarks.backup_restore                # the database named by DATABASE_URL
    python -m benchmarks.backup_restore --seed-small   # a scratch copy of the small demo
    python -m benchmarks.backup_restore --keep         # keep the restored database to look at

The source database is only read. The restored copy goes into a database of the script's own,
``<source>_restore_<random>``, dropped at the end (unless ``--keep``); with ``--seed-small``
the source is also the script's own, ``welfare_net_backup_source``, made with
``manage.py migrate`` and ``manage.py seed_demo --scale small`` and dropped at the end.

``pg_dump`` and ``pg_restore`` must be of the server's major version (a dump of a newer server
cannot be read by an older ``pg_restore``): the script takes the ones on PATH when they match,
else those of Debian's ``/usr/lib/postgresql/<major>/bin``, else stops and says which it needs.

Prints one JSON object: the figures before and after, whether they are the same, the dump's
size and the seconds each step took. Exits 1 when the figures differ.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[1]
SCRATCH_SOURCE = "welfare_net_backup_source"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/welfare_net"

# The figures compared: the impact page's kind of numbers, read with plain SQL so that they
# mean the same on any copy, whatever the code of the day computes on top of them.
FIGURES: dict[str, str] = {
    "applications": "SELECT count(*) FROM matching_supportapplication",
    "delivered": "SELECT count(*) FROM matching_supportapplication WHERE status = 'delivered'",
    "application_events": "SELECT count(*) FROM matching_applicationevent",
    "participants": (
        "SELECT count(*) FROM (SELECT resident_id FROM projects_participation "
        "UNION SELECT donor_id FROM donations_donationpledge "
        "UNION SELECT resident_id FROM talents_talentoffer) AS people"
    ),
    "projects": "SELECT count(*) FROM projects_project WHERE status <> 'draft'",
    "pledged_won": (
        "SELECT coalesce(sum(amount_won), 0) FROM donations_donationpledge "
        "WHERE status <> 'cancelled'"
    ),
    "survey_answers": "SELECT count(*) FROM surveys_answer",
    "visitors": "SELECT coalesce(sum(visitors), 0) FROM visitors_dailyvisitors",
    "residents": "SELECT count(*) FROM residents_user",
    "migrations": "SELECT count(*) FROM django_migrations",
}


class ToolMissingError(RuntimeError):
    """No pg_dump/pg_restore of the server's major version on this machine."""


def url_with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


@contextmanager
def connect(url: str) -> Iterator[Any]:
    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def server_major(url: str) -> int:
    with connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def tool_major(path: str) -> int | None:
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    found = re.search(r"\)\s+(\d+)", output)
    return int(found.group(1)) if found else None


def pg_tool(name: str, major: int) -> str:
    """The path of ``pg_dump``/``pg_restore`` of the server's major version."""
    candidates = [shutil.which(name), f"/usr/lib/postgresql/{major}/bin/{name}"]
    seen = []
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            version = tool_major(candidate)
            if version == major:
                return candidate
            seen.append(f"{candidate} is version {version}")
    raise ToolMissingError(
        f"{name} of PostgreSQL {major} not found ({'; '.join(seen) or 'none on PATH'}). "
        f"Install it (Debian: apt-get install postgresql-client-{major}) or run it in the "
        f"server's container (docker compose exec db {name} ...)."
    )


def create_database(url: str, name: str) -> None:
    with connect(url_with_database(url, "postgres")) as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str, name: str) -> None:
    with connect(url_with_database(url, "postgres")) as connection, connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def database_exists(url: str, name: str) -> bool:
    with connect(url_with_database(url, "postgres")) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def figures(url: str) -> dict[str, int]:
    with connect(url) as connection, connection.cursor() as cursor:
        result = {}
        for name, query in FIGURES.items():
            cursor.execute(query)
            result[name] = int(cursor.fetchone()[0])
        return result


def dump(url: str, path: Path, *, pg_dump: str) -> None:
    """The backup: PostgreSQL's custom format (compressed; pg_restore picks what to restore
    and can restore in parallel). No owners or grants: it restores under any role."""
    subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={path}", url],
        check=True,
    )


def restore(path: Path, url: str, *, pg_restore: str, jobs: int = 2) -> None:
    """Into an empty database; stops at the first error rather than leave half a copy."""
    subprocess.run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--jobs={jobs}",
            f"--dbname={url}",
            str(path),
        ],
        check=True,
    )


def check(*, source_url: str, workdir: Path, keep: bool = False) -> dict[str, Any]:
    """Dump the source database, restore it into a new one, compare the figures of both.
    The new database is dropped afterwards unless ``keep``."""
    major = server_major(source_url)
    pg_dump, pg_restore = pg_tool("pg_dump", major), pg_tool("pg_restore", major)
    source = database_of(source_url)
    target = f"{source[:40]}_restore_{uuid.uuid4().hex[:8]}"
    target_url = url_with_database(source_url, target)
    path = workdir / f"{source}.dump"

    before = figures(source_url)
    started = time.monotonic()
    dump(source_url, path, pg_dump=pg_dump)
    dumped = time.monotonic()
    create_database(source_url, target)
    try:
        restore(path, target_url, pg_restore=pg_restore)
        restored = time.monotonic()
        after = figures(target_url)
    finally:
        if not keep:
            drop_database(source_url, target)
    return {
        "server_major_version": major,
        "pg_dump": pg_dump,
        "pg_restore": pg_restore,
        "source": source,
        "restored_into": target,
        "restored_database_kept": keep,
        "dump_bytes": path.stat().st_size,
        "dump_seconds": round(dumped - started, 2),
        "restore_seconds": round(restored - dumped, 2),
        "figures_before": before,
        "figures_after": after,
        "same": before == after,
    }


def seed_scratch_source(url: str) -> str:
    """A database of the script's own with the small demo in it (made afresh)."""
    drop_database(url, SCRATCH_SOURCE)
    create_database(url, SCRATCH_SOURCE)
    scratch_url = url_with_database(url, SCRATCH_SOURCE)
    env = {
        **os.environ,
        "DATABASE_URL": scratch_url,
        "DJANGO_SETTINGS_MODULE": "welfare_net.settings.local",
        "DJANGO_READ_DOT_ENV_FILE": "false",
    }
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--scale", "small"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return scratch_url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seed-small",
        action="store_true",
        help=f"back up a scratch database ({SCRATCH_SOURCE}) seeded with the small demo",
    )
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("DATABASE_URL must name a PostgreSQL database")
    source_url = seed_scratch_source(url) if args.seed_small else url
    try:
        with tempfile.TemporaryDirectory(prefix="welfare-net-backup-") as workdir:
            report = check(source_url=source_url, workdir=Path(workdir), keep=args.keep)
    finally:
        if args.seed_small:
            drop_database(url, SCRATCH_SOURCE)
    print(json.dumps(report, indent=2))
    return 0 if report["same"] else 1


if __name__ == "__main__":
    sys.exit(main())
