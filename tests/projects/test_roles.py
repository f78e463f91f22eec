"""The two staff roles, created as groups by a reversible data migration."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

roles = importlib.import_module("projects.migrations.0004_roles")


def _permissions(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_district_staff_run_projects_and_read_the_residents_side() -> None:
    assert _permissions("district staff") == {
        "projects.add_project",
        "projects.change_project",
        "projects.view_project",
        "projects.delete_project",
        "projects.add_organisation",
        "projects.change_organisation",
        "projects.view_organisation",
        "projects.delete_organisation",
        "projects.add_participation",
        "projects.change_participation",
        "projects.view_participation",
        "projects.delete_participation",
        "projects.view_targetgroup",
        "donations.view_donationpledge",
        "donations.change_donationpledge",
        "donations.view_donationreceipt",
        "donations.change_donationreceipt",
        "talents.view_talentoffer",
        "talents.change_talentoffer",
        "residents.view_residentprofile",
        # matching.0003_district_staff_read_matching: applications and proposals, read only.
        "matching.view_supportapplication",
        "matching.view_applicationevent",
        "matching.view_referral",
        "matching.view_matchrun",
        "matching.view_matchproposal",
        # matching.0006: the notifications sent, read only (their words: district staff only).
        "matching.view_notification",
        # projects.0005: they assign coordinators (the admin narrows it to coordinators).
        "projects.add_staffmember",
        "projects.change_staffmember",
        "projects.view_staffmember",
        "projects.delete_staffmember",
        # projects.0007: they invite coordinators (the admin adds none directly any more).
        "projects.add_coordinatorinvitation",
        "projects.view_coordinatorinvitation",
        # surveys.0002_district_staff_run_surveys: surveys and questions; responses read only.
        "surveys.add_survey",
        "surveys.change_survey",
        "surveys.view_survey",
        "surveys.delete_survey",
        "surveys.add_question",
        "surveys.change_question",
        "surveys.view_question",
        "surveys.delete_question",
        "surveys.view_response",
        "surveys.view_answer",
        # visitors.0002_district_staff_view_daily_visitors: the daily counts, read only.
        "visitors.view_dailyvisitors",
    }


def test_coordinators_read_projects_organisations_and_neighbourhoods() -> None:
    assert _permissions("coordinator") == {
        "projects.view_project",
        "projects.view_organisation",
        "projects.view_neighbourhood",
    }


def test_the_roles_migration_reverses_and_applies_again() -> None:
    state = MigrationExecutor(connection).loader.project_state(("projects", "0004_roles"))

    roles.remove_roles(state.apps, None)
    assert not Group.objects.filter(name__in=["district staff", "coordinator"]).exists()

    roles.create_roles(state.apps, None)
    assert len(_permissions("district staff")) == 20
    assert len(_permissions("coordinator")) == 3
