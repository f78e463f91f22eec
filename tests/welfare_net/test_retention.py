"""The retention policy in the settings: its defaults, its environment overrides, and the
system check that refuses a period the run cannot apply or the law does not allow."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from privacy.checks import retention_settings_check
from welfare_net.retention import retention_cutoff, retention_problems

ROOT = Path(__file__).resolve().parents[2]
DEFAULTS = {
    "applications": 1095,
    "referrals": 365,
    "notifications": 365,
    "survey_free_text": 730,
    "access_log": 730,
}


def test_the_default_policy_keeps_cases_three_years_and_the_access_log_two() -> None:
    assert settings.RETENTION_DAYS == DEFAULTS
    assert retention_problems(settings.RETENTION_DAYS) == []


def test_a_deployment_changes_a_period_through_the_environment() -> None:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "welfare_net.settings.test",
        "DJANGO_READ_DOT_ENV_FILE": "false",
        "RETENTION_APPLICATIONS_DAYS": "1826",
        "RETENTION_ACCESS_LOG_DAYS": "1095",
    }
    script = "import django, json; django.setup(); from django.conf import settings; "
    script += "print(json.dumps(settings.RETENTION_DAYS))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {**DEFAULTS, "applications": 1826, "access_log": 1095}


@pytest.mark.parametrize(
    "days",
    [
        {**DEFAULTS, "access_log": 365},  # less than the legal two years
        {**DEFAULTS, "referrals": 0},
        {**DEFAULTS, "notifications": True},
        {key: value for key, value in DEFAULTS.items() if key != "applications"},
    ],
    ids=["access log under two years", "zero days", "not a number", "a kind missing"],
)
def test_the_system_check_refuses_a_policy_the_run_cannot_apply(days: dict) -> None:
    with override_settings(RETENTION_DAYS=days):
        errors = retention_settings_check(None)
        with pytest.raises(ImproperlyConfigured):
            retention_cutoff("applications", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

    assert [error.id for error in errors] == ["privacy.E001"]


def test_the_cutoff_is_the_period_before_now() -> None:
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)

    assert retention_cutoff("access_log", now=now) == now - dt.timedelta(days=730)
