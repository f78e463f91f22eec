"""A real Celery worker process starts from the project's app and answers on Redis."""

import pytest

from tests.workers import running_worker
from welfare_net.celery import app


@pytest.mark.worker
def test_a_real_worker_starts_with_the_project_app_and_answers_a_ping() -> None:
    with running_worker() as worker_name:
        replies = app.control.ping(destination=[worker_name], timeout=2)

    assert replies == [{worker_name: {"ok": "pong"}}]


@pytest.mark.worker
def test_the_worker_registers_the_json_only_acks_late_configuration() -> None:
    with running_worker() as worker_name:
        stats = app.control.inspect(destination=[worker_name], timeout=5).conf(with_defaults=True)

    assert stats is not None
    conf = stats[worker_name]
    assert conf["task_serializer"] == "json"
    assert conf["accept_content"] == ["json"]
    assert conf["task_acks_late"] is True
    assert conf["task_reject_on_worker_lost"] is True
