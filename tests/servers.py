"""Private Redis and PostgreSQL servers, and the site under gunicorn, for the fault tests.

The shared servers (Redis on 6379, PostgreSQL on 5432) serve other test runs and CI at the
same time, so a fault test never stops them: it starts its own server from a temporary
directory on a free port, stops and starts that one, and removes it afterwards. Where the
server's programs are not installed (``redis-server``; PostgreSQL's ``initdb`` and
``pg_ctl``), ``needs_redis_server`` and ``needs_postgres_server`` skip the test and say why.
"""

import contextlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def _postgres_bin_dir() -> Path | None:
    """Where initdb and pg_ctl live: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    candidates = [Path(found).parent] if found else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for directory in candidates:
        if all((directory / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return directory
    return None


def _postgres_user() -> str | None:
    """The account the server runs as: initdb refuses root, so root runs it as ``postgres``."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    return "postgres" if shutil.which("runuser") else None


def _postgres_client(name: str) -> str | None:
    """pg_dump or psql: beside the server's programs, else on PATH."""
    directory = _postgres_bin_dir()
    if directory is not None and (directory / name).exists():
        return str(directory / name)
    return shutil.which(name)


REDIS_SERVER = shutil.which("redis-server")
POSTGRES_BIN = _postgres_bin_dir()
PG_DUMP = _postgres_client("pg_dump")
PSQL = _postgres_client("psql")

needs_redis_server = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed: no private Redis to stop"
)
needs_postgres_server = pytest.mark.skipif(
    None in (POSTGRES_BIN, PG_DUMP, PSQL, _postgres_user()),
    reason="PostgreSQL's initdb, pg_ctl, pg_dump and psql (and, as root, a postgres account) "
    "are not all available: no private PostgreSQL to restart",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing answered on port {port} within {timeout}s")


# --- Redis --------------------------------------------------------------------------------


class PrivateRedis:
    """A Redis server that keeps nothing on disk, like the one the platform runs on."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        assert REDIS_SERVER is not None
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None


@contextlib.contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    with tempfile.TemporaryDirectory(prefix="welfare_net_redis_") as directory:
        server = PrivateRedis(Path(directory))
        server.start()
        try:
            yield server
        finally:
            server.stop()


# --- PostgreSQL ---------------------------------------------------------------------------


class PrivatePostgres:
    """A throwaway PostgreSQL cluster: trust authentication, no fsync, its own port."""

    def __init__(self, directory: Path) -> None:
        assert POSTGRES_BIN is not None
        self.bin = POSTGRES_BIN
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "server.log"
        self.port = free_port()
        self.user = _postgres_user()

    def _as_server_user(self, *command: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", str(self.user), "--", *command]
        return list(command)

    def init(self) -> None:
        if os.geteuid() == 0 and self.user is not None:
            shutil.chown(self.directory, user=self.user)
        subprocess.run(
            self._as_server_user(
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory} -c fsync=off -c full_page_writes=off"
        )
        subprocess.run(
            self._as_server_user(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "-t",
                "30",
                "start",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends every session and shuts down cleanly, as an operator's restart does."""
        subprocess.run(
            self._as_server_user(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def url(self, dbname: str, **options: str | int) -> str:
        query = "&".join(f"{key}={value}" for key, value in options.items())
        url = f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"
        return f"{url}?{query}" if query else url

    def copy_database(self, *, source_url: str, dbname: str) -> None:
        """Create ``dbname`` here as a copy (schema and rows) of the database at ``source_url``."""
        assert PG_DUMP is not None and PSQL is not None
        subprocess.run(
            [
                PSQL,
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                f"CREATE DATABASE {dbname}",
                self.url("postgres"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        dump = subprocess.run(
            [PG_DUMP, "--no-owner", "--no-privileges", source_url],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [PSQL, "-q", "-v", "ON_ERROR_STOP=1", self.url(dbname)],
            input=dump.stdout,
            check=True,
            stdout=subprocess.DEVNULL,
        )


@contextlib.contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    directory = Path(tempfile.mkdtemp(prefix="welfare_net_pg_"))
    server = PrivatePostgres(directory)
    try:
        server.init()
        server.start()
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop(mode="immediate")
        shutil.rmtree(directory, ignore_errors=True)


# --- The site -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status: int
    body: str

    def json(self) -> dict[str, object]:
        loaded = json.loads(self.body)
        assert isinstance(loaded, dict)
        return loaded


class Site:
    def __init__(self, port: int) -> None:
        self.port = port

    def get(self, path: str) -> Response:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", headers={"User-Agent": "fault-test"}
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return Response(answer.status, answer.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.read().decode())


@contextlib.contextmanager
def running_site(*, database_url: str, log: Path) -> Iterator[Site]:
    """The site under gunicorn, one sync worker: one process whose database connection lives
    from request to request (CONN_MAX_AGE in the URL), as in production."""
    port = free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="welfare_net.settings.test",
        DJANGO_READ_DOT_ENV_FILE="false",
        REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "welfare_net.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for_port(port, timeout=30)
            yield Site(port)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
