import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.postgres
@pytest.mark.redis
def test_healthz_is_ok_when_database_cache_and_broker_answer(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
@pytest.mark.redis
def test_healthz_is_503_and_names_the_broker_when_it_does_not_answer(
    client: Client, settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from welfare_net.celery import app

    # Nothing listens on port 1: a real connection attempt that is refused.
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    # Celery prefers the environment's CELERY_BROKER_URL over its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app, "_pool", None)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"] == "down"
    assert body["checks"]["database"] == "ok"


def test_healthz_needs_no_login_and_rejects_writes(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
