"""HEAD is a safe method: every address that answers a GET answers a HEAD the same way
(RFC 9110 9.3.2), without a body. A crawler, a link checker or an uptime probe asks HEAD.

Every route of the authorisation matrix (which has a row for each URL the project defines) is
asked by the first role whose GET gets a 200 there."""

import pytest
from django.test import Client

from tests.welfare_net.matrix_world import ROLES, World
from tests.welfare_net.test_authorisation_matrix import MATRIX, clients, codes_of, seen, world

__all__ = ["clients", "world"]  # the matrix's fixtures, shared

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]

ANSWERING = sorted(
    route for route, row in MATRIX.items() if not callable(row.get) and "200" in row.get.split()
)


@pytest.mark.parametrize("route", ANSWERING)
def test_an_address_that_answers_get_answers_head_too(
    route: str, world: World, clients: dict[str, Client]
) -> None:
    row = MATRIX[route]
    role = ROLES[codes_of(row.get, world).index("200")]

    response = clients[role].head(row.url(world))

    assert seen(response) == "200", f"HEAD {row.url(world)} as {role}: {response.status_code}"
    assert response.content == b""


def test_the_home_projects_and_impact_pages_are_among_those_asked() -> None:
    assert {"", "projects/", "impact/"} <= set(ANSWERING)


def test_a_head_on_the_account_deletion_page_deletes_nothing(
    world: World, clients: dict[str, Client]
) -> None:
    resident = world.users["resident_a"]
    assert resident is not None

    clients["resident_a"].head(MATRIX["support/me/delete/"].url(world))

    resident.refresh_from_db()
    assert resident.is_active
    assert clients["resident_a"].get(MATRIX["support/me/"].url(world)).status_code == 200
