"""`manage.py apply_retention [--dry-run]`: what it would do, then doing it."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from residents.models import PersonalDataAccess
from tests.residents.test_retention import access_at

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_each_kind_with_what_would_change_and_changes_nothing() -> None:
    access_at(timezone.now() - dt.timedelta(days=800))

    printed = run("--dry-run")

    assert "access_log        kept 730 days" in printed
    assert "1 would be deleted" in printed
    assert "applications      kept 1095 days" in printed
    assert "1 rows would change (dry run)" in printed
    assert PersonalDataAccess.objects.count() == 1


def test_a_run_prints_what_it_changed_and_a_second_finds_nothing() -> None:
    access_at(timezone.now() - dt.timedelta(days=800))

    first = run()
    second = run()

    assert "access_log" in first
    assert "1 deleted" in first
    assert "apply_retention: 1 rows changed" in first
    assert "apply_retention: 0 rows changed" in second
    assert not PersonalDataAccess.objects.exists()
