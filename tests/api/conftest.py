"""The API exercised through Django's WSGI application, as a real client reaches it."""

from collections.abc import Iterator

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections


@pytest.fixture
def wsgi_app(db: None) -> Iterator[WSGIHandler]:
    """The site's WSGI application, sharing the test's database transaction.

    Outside Django's test client, every request would end by closing the database connection
    (``close_old_connections``) and with it the test's transaction; the test client switches
    that off in the same way.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
