"""Suite-wide fixtures and the real-server switch.

Tests marked ``redis`` or ``worker`` need the real server; where ``welfare_net.settings.test``
found it unreachable they are skipped (and counted by pytest). PostgreSQL is always there:
the server of ``DATABASE_URL``, or else the embedded one, started here.

``tests/embedded_default/`` is collected only under `make run`'s settings
(``welfare_net.settings.local``): ``tests/welfare_net/test_embedded_default.py`` runs it so.
"""

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings

if TYPE_CHECKING:
    from rest_framework.test import APIClient

NEEDS = {
    "postgres": ("postgres",),
    "redis": ("redis",),
    "worker": ("postgres", "redis"),
}


EMBEDDED_DEFAULT_TESTS = Path(__file__).parent / "embedded_default"
EMBEDDED_DEFAULT_SETTINGS = "welfare_net.settings.local"
_STARTED_EMBEDDED = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    if settings.EMBEDDED_POSTGRES:
        from welfare_net import embedded_postgres

        # A server `make run` started is left running at the end; one started here is not.
        config.stash[_STARTED_EMBEDDED] = embedded_postgres.running_pid(settings.VAR_DIR) is None
        embedded_postgres.start(settings.VAR_DIR)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_STARTED_EMBEDDED, False):
        from welfare_net import embedded_postgres

        embedded_postgres.stop(settings.VAR_DIR)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if collection_path == EMBEDDED_DEFAULT_TESTS:
        return settings.SETTINGS_MODULE != EMBEDDED_DEFAULT_SETTINGS
    return None


def pytest_report_header(config: pytest.Config) -> str:
    if settings.SETTINGS_MODULE == EMBEDDED_DEFAULT_SETTINGS:
        return f"services: `make run`'s own, in {settings.VAR_DIR}"
    database = (
        f"the embedded PostgreSQL server in {settings.VAR_DIR}"
        if settings.EMBEDDED_POSTGRES
        else "PostgreSQL of DATABASE_URL"
    )
    if settings.SERVICES_REACHABLE["redis"]:
        return f"services: {database} and Redis, running against them"
    return (
        f"services: {database}; Redis unreachable: an in-memory cache and broker, the tests "
        "that need Redis are skipped (CI=true makes this an error)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reachable = getattr(settings, "SERVICES_REACHABLE", {"postgres": True, "redis": False})
    for item in items:
        for marker, services in NEEDS.items():
            missing = [s for s in services if not reachable[s]]
            if item.get_closest_marker(marker) and missing:
                item.add_marker(
                    pytest.mark.skip(reason=f"needs {', '.join(missing)} (unreachable)")
                )


@pytest.fixture
def api_client() -> "APIClient":
    """DRF's test client: ``api_client.post(url, data, format="json")``."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _own_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test counts the API's and allauth's rate limits afresh: requests of other tests
    from the same address (127.0.0.1) must not use up its allowance."""
    import uuid
    from typing import Any

    from allauth.core.internal import ratelimit
    from rest_framework.throttling import SimpleRateThrottle

    prefix = f"throttle_{uuid.uuid4().hex[:12]}_"
    monkeypatch.setattr(SimpleRateThrottle, "cache_format", prefix + "%(scope)s_%(ident)s")
    allauth_key = ratelimit.get_cache_key

    def own_key(*args: Any, **kwargs: Any) -> str:
        return prefix + allauth_key(*args, **kwargs)

    monkeypatch.setattr(ratelimit, "get_cache_key", own_key)


@pytest.fixture(autouse=True)
def _own_page_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the public pages as its own data makes them: a page another test cached
    (welfare_net.page_cache, a minute in the shared cache) must not answer for it."""
    import uuid

    from welfare_net import page_cache

    monkeypatch.setattr(page_cache, "KEY_PREFIX", f"public-page:test-{uuid.uuid4().hex[:12]}")
