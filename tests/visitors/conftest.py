"""Each visitors test gets a cache of its own (counting keeps its state there), and a count
that fails fails the test: the middleware only logs such errors, so it never breaks a page."""

import logging
import uuid
from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def own_cache(settings: Settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"visitors-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture(autouse=True)
def counting_errors_fail_the_test(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """A test that makes counting fail on purpose clears ``caplog`` once it has checked it."""
    caplog.set_level(logging.ERROR, logger="visitors")
    yield
    failures = [r for r in caplog.get_records("call") if r.name.startswith("visitors")]
    assert not failures, failures[0].getMessage()
