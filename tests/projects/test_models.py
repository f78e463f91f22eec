"""The database itself refuses impossible projects, whatever code writes them."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_an_update_of_places_taken_past_capacity_is_refused_by_the_database() -> None:
    project = ProjectFactory.create(capacity=5, places_taken=5)

    with (
        pytest.raises(IntegrityError, match="project_places_taken_within_capacity"),
        transaction.atomic(),
    ):
        Project.objects.filter(pk=project.pk).update(places_taken=6)

    project.refresh_from_db()
    assert project.places_taken == 5


def test_places_taken_up_to_capacity_is_accepted_by_the_database() -> None:
    project = ProjectFactory.create(capacity=5, places_taken=0)

    Project.objects.filter(pk=project.pk).update(places_taken=5)

    project.refresh_from_db()
    assert project.places_left == 0


def test_an_end_before_the_start_is_refused_by_the_database() -> None:
    project = ProjectFactory.create(starts_on=datetime.date(2026, 5, 1), apply_by=None)

    with pytest.raises(IntegrityError, match="project_ends_after_start"), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(ends_on=datetime.date(2026, 4, 30))


def test_a_deadline_after_the_end_is_refused_by_the_database() -> None:
    project = ProjectFactory.create(ends_on=datetime.date(2026, 6, 30))

    with (
        pytest.raises(IntegrityError, match="project_deadline_not_after_end"),
        transaction.atomic(),
    ):
        Project.objects.filter(pk=project.pk).update(apply_by=datetime.date(2026, 7, 1))
