from collections.abc import Iterator

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def own_cache(settings: Settings) -> Iterator[None]:
    """A private in-memory cache: the figures are cached, and Redis is shared with other runs."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "impact-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()
