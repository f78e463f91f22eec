"""The backup procedure: a pg_dump of the database, restored with pg_restore into a fresh
one, gives the same figures; the fresh database is dropped afterwards."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks.backup_restore import ToolMissingError, check, database_exists, figures, pg_tool


def url_of_the_test_database() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_gives_the_same_figures(tmp_path: Path) -> None:
    call_command("seed_demo", scale="small", stdout=io.StringIO())
    url = url_of_the_test_database()

    report = check(source_url=url, workdir=tmp_path)

    before = report["figures_before"]
    assert before == figures(url)  # read from the test database itself
    assert min(before["applications"], before["delivered"], before["participants"]) > 0
    assert report["figures_after"] == before
    assert report["same"] is True
    assert report["dump_bytes"] > 0
    assert not database_exists(url, report["restored_into"])


def test_a_missing_pg_dump_of_the_servers_version_is_named_precisely() -> None:
    with pytest.raises(ToolMissingError, match=r"pg_dump of PostgreSQL 99 not found"):
        pg_tool("pg_dump", 99)
