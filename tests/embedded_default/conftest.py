"""The embedded default's own test run: collected only under `make run`'s settings
(``welfare_net.settings.local``), which ``tests/welfare_net/test_embedded_default.py``
starts in a process of its own, on a scratch var/ (its embedded PostgreSQL server, file
cache and filesystem broker)."""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from pytest_django import DjangoDbBlocker

from tests.embedded_default.demo_world import demo_world
from tests.welfare_net.matrix_world import ROLES, World
from tests.welfare_net.test_authorisation_matrix import client_for


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> None:
    """The test database holds the small demo, loaded as `make run` loads its demo."""
    with django_db_blocker.unblock():
        call_command("seed_demo", scale="small", seed=7, stdout=StringIO())


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """Built once, in a transaction rolled back at the end; each test runs in a savepoint."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def clients(world: World, django_db_blocker: DjangoDbBlocker) -> dict[str, Client]:
    with django_db_blocker.unblock():
        return {role: client_for(world, role) for role in ROLES}
