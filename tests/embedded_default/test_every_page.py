"""Every URL pattern of the site, queue, admin and API, asked by every role of the
authorisation matrix, answers without a server error under `make run`'s own configuration:
its settings module, the embedded PostgreSQL server, the file cache and the filesystem broker.

The URL list and the roles are the matrix's (``tests/welfare_net/test_authorisation_matrix``),
so a new page is asked here as soon as it has its row there; the records it names are the
small demo's (``demo_world``). What each role may see is the matrix's business; here only a
5xx fails.
"""

import pytest
from django.conf import settings
from django.test import Client

from tests.welfare_net.matrix_world import ROLES, World
from tests.welfare_net.test_authorisation_matrix import MATRIX, ask, client_for

pytestmark = [pytest.mark.django_db]


def test_this_run_is_on_the_embedded_default() -> None:
    assert settings.SETTINGS_MODULE == "welfare_net.settings.local"
    assert settings.EMBEDDED_POSTGRES
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.DATABASES["default"]["HOST"] == str(settings.VAR_DIR / "postgres")
    assert settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache")
    assert settings.CELERY_BROKER_URL.startswith("filesystem://")


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_role_gets_an_answer_that_is_not_a_server_error(
    route: str, world: World, clients: dict[str, Client]
) -> None:
    row = MATRIX[route]
    url = row.url(world)
    methods = ["get"] + ([row.method] if row.write is not None else [])
    failed = []
    for method in methods:
        for role in ROLES:
            ending = row.ends_session and method != "get"
            client = client_for(world, role) if ending else clients[role]
            got, _ = ask(client, method, url)
            if got.startswith("5"):
                failed.append(f"{method.upper()} {url} as {role}: {got}")
    assert not failed, f"{route}:\n" + "\n".join(failed)
