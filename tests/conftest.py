"""Suite-wide fixtures and the real-server switch.

Tests marked ``postgres``, ``redis`` or ``worker`` need the real server; where
``welfare_net.settings.test`` found it unreachable they are skipped (and counted by pytest).
"""

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


def pytest_report_header(config: pytest.Config) -> str:
    reachable = settings.SERVICES_REACHABLE
    missing = [name for name, ok in reachable.items() if not ok]
    if not missing:
        return "services: PostgreSQL and Redis reachable, running against them"
    return (
        f"services: {' and '.join(missing)} unreachable: running on SQLite/in-memory, "
        "tests that need a real server are skipped (CI=true makes this an error)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reachable = settings.SERVICES_REACHABLE
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
    """Each test counts the API's rate limits afresh: requests of other tests from the same
    address (127.0.0.1) must not use up its allowance."""
    import uuid

    from rest_framework.throttling import SimpleRateThrottle

    prefix = f"throttle_{uuid.uuid4().hex[:12]}_"
    monkeypatch.setattr(SimpleRateThrottle, "cache_format", prefix + "%(scope)s_%(ident)s")


@pytest.fixture(autouse=True)
def _own_page_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the public pages as its own data makes them: a page another test cached
    (welfare_net.page_cache, a minute in the shared cache) must not answer for it."""
    import uuid

    from welfare_net import page_cache

    monkeypatch.setattr(page_cache, "KEY_PREFIX", f"public-page:test-{uuid.uuid4().hex[:12]}")
