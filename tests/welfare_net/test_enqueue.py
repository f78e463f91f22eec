"""Tasks are sent after the commit, and a broker that is down never undoes a saved page."""

import logging
import time
from typing import Any

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from matching import tasks
from welfare_net.celery import app
from welfare_net.enqueue import enqueue_on_commit


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        tasks.match_district, "apply_async", lambda args, **options: calls.append(args)
    )
    return calls


@pytest.mark.django_db(transaction=True)
def test_the_task_is_sent_once_the_transaction_commits_and_not_before(
    sent: list[tuple[Any, ...]],
) -> None:
    with transaction.atomic():
        enqueue_on_commit(tasks.match_district, 7)
        assert sent == []

    assert sent == [(7,)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing(sent: list[tuple[Any, ...]]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(tasks.match_district, 7)
        raise RuntimeError("the write failed")

    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_a_broker_error_after_the_commit_is_logged_with_the_ids_and_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.match_district, "apply_async", refuse)

    with caplog.at_level(logging.ERROR, logger="welfare_net.enqueue"), transaction.atomic():
        enqueue_on_commit(tasks.match_district, 7)

    [record] = caplog.records
    assert "matching.tasks.match_district(7,)" in record.getMessage()
    assert record.exc_info is not None


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_refuses_connections_holds_the_caller_about_a_second(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on port 1: a real connection attempt that is refused, with the real
    # retry policy. Celery prefers the environment's CELERY_BROKER_URL over its configuration.
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)

    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="welfare_net.enqueue"), transaction.atomic():
        enqueue_on_commit(tasks.match_district, 7)
    seconds = time.monotonic() - started

    assert seconds < 3
    assert [record.name for record in caplog.records] == ["welfare_net.enqueue"]


@pytest.mark.django_db(transaction=True)
def test_an_error_that_is_not_the_brokers_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong(*args: Any, **kwargs: Any) -> None:
        raise TypeError("match_district() takes 1 positional argument but 2 were given")

    monkeypatch.setattr(tasks.match_district, "apply_async", wrong)

    with pytest.raises(TypeError), transaction.atomic():
        enqueue_on_commit(tasks.match_district, 7)
