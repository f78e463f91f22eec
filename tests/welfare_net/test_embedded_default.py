"""Every page answers under `make run`'s own configuration, not only under the suite's.

The suite runs on ``welfare_net.settings.test``; a newcomer's first page is served by
``welfare_net.settings.local`` with the embedded PostgreSQL server, a file cache and a
filesystem broker. A green suite once hid a home page that answered 500 there (the figures'
SQL ran on PostgreSQL only, and `make run` ran on SQLite). So this test runs
``tests/embedded_default/`` (every URL pattern, as every role of the authorisation matrix,
on the small demo) in a pytest process of its own under those settings, on a scratch var/.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

from welfare_net import embedded_postgres

# Variables that would point `make run`'s settings at the suite's servers instead.
NOT_A_NEWCOMERS = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")


def test_every_page_answers_without_a_server_error_on_the_embedded_default() -> None:
    # Short: the embedded server's Unix socket lives in var/postgres.
    var_dir = Path(tempfile.mkdtemp(prefix="wn-embedded-"))
    (var_dir / "staticfiles").mkdir()  # as `make install` makes it
    env = {key: value for key, value in os.environ.items() if key not in NOT_A_NEWCOMERS}
    env |= {"VAR_DIR": str(var_dir), "DJANGO_READ_DOT_ENV_FILE": "false"}
    try:
        run = subprocess.run(  # our own interpreter and test folder
            [
                sys.executable,
                "-m",
                "pytest",
                "--ds=welfare_net.settings.local",
                "-p",
                "no:cacheprovider",
                "-q",
                "tests/embedded_default",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    finally:
        embedded_postgres.stop(var_dir)
        shutil.rmtree(var_dir, ignore_errors=True)
    summary = run.stdout[-6000:] + run.stderr[-3000:]
    assert run.returncode == 0, summary
    assert " passed" in run.stdout and " failed" not in run.stdout, summary
