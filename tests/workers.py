"""Start a real Celery worker process for a test, on the test database and Redis."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from welfare_net.celery import app

ROOT = Path(__file__).resolve().parents[1]


def _worker_env(database_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    db = connection.settings_dict
    # The worker must read and write the database the test is using (pytest-django's test_ db),
    # unless the test names another (a private server it restarts).
    env["DATABASE_URL"] = database_url or (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{db['NAME']}"
    )
    env["DJANGO_SETTINGS_MODULE"] = "welfare_net.settings.test"
    env["DJANGO_READ_DOT_ENV_FILE"] = "false"
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    env["REDIS_URL"] = settings.REDIS_URL
    return env


@contextmanager
def running_worker(
    concurrency: int = 1, timeout: float = 30.0, database_url: str | None = None
) -> Iterator[str]:
    """Yield the node name of a worker that answers pings; stop it afterwards."""
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "welfare_net",
            "worker",
            "--hostname",
            name,
            "--concurrency",
            str(concurrency),
            "--pool",
            "prefork",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=_worker_env(database_url),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while not app.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None:
                raise RuntimeError(f"worker exited with {process.returncode} before answering")
            if time.monotonic() > deadline:
                raise TimeoutError(f"worker {name} did not answer within {timeout}s")
        yield name
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
