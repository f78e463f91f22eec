"""The deployable stack: the compose file, the Procfile and production settings."""

import os
import shlex
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _module_named_by(command: list[str]) -> str | None:
    """The Python module a service command starts, or None for a command that starts none."""
    program = command[0]
    if program == "gunicorn":
        return command[1].split(":")[0]
    if program == "celery":
        return command[command.index("-A") + 1]
    if program == "python" and command[1] == "manage.py":
        return None
    raise AssertionError(f"unknown program in a compose command: {command}")


def test_compose_defines_the_whole_stack_with_health_checks_and_a_named_volume() -> None:
    compose = _compose()
    services = compose["services"]

    assert set(services) == {"db", "redis", "web", "worker", "beat", "migrate"}
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "pgdata" in compose["volumes"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_every_compose_command_names_a_module_or_command_that_exists() -> None:
    for name, service in _compose()["services"].items():
        command = service.get("command")
        if command is None:
            continue
        module = _module_named_by(command)
        if module is None:
            subcommand = command[2]
            assert subcommand in {"migrate", "collectstatic"}, name
            continue
        assert find_spec(module) is not None, f"{name}: module {module} does not exist"


def test_every_procfile_process_names_a_module_that_exists() -> None:
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        module = _module_named_by(shlex.split(command))
        assert module is not None and find_spec(module) is not None, name
    assert [line.split(":")[0] for line in (ROOT / "Procfile").read_text().splitlines()] == [
        "web",
        "worker",
        "beat",
    ]


def test_production_settings_pass_check_deploy_without_any_warning() -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "welfare_net.settings.production",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "SECRET_KEY": "a-real-deployment-sets-a-long-random-secret-key-" + "x" * 20,
        "ALLOWED_HOSTS": "welfare.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/welfare_net",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "welfare_net.settings.production",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "ALLOWED_HOSTS": "welfare.example.org",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/welfare_net",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
