"""The cache fails open: with Redis down, pages answer and the error is logged."""

import logging
import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import Settings

from welfare_net import cache as cache_module

BACKEND = "welfare_net.cache.FailOpenRedisCache"


@pytest.fixture
def redis_down(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing listens on port 1: every operation is a real, refused connection.
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": "redis://127.0.0.1:1/0"}}
    monkeypatch.setattr(cache_module, "_last_logged", -cache_module.LOG_EVERY_SECONDS)


@pytest.mark.usefixtures("redis_down")
def test_with_redis_down_reads_are_misses_writes_are_dropped_and_add_goes_on() -> None:
    cache.set("key", "value")
    cache.set_many({"a": 1, "b": 2})

    assert cache.get("key") is None
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert not cache.has_key("key")
    assert cache.add("key", "value") is True
    assert cache.get_or_set("key", "computed") == "computed"
    assert cache.delete("key") is False
    cache.delete_many(["a", "b"])
    assert cache.touch("key") is False


@pytest.mark.usefixtures("redis_down")
def test_with_redis_down_the_failure_is_logged_once_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="welfare_net.cache"):
        for _ in range(5):
            cache.get("key")

    assert len(caplog.records) == 1
    assert "ConnectionError" in caplog.records[0].getMessage()


def test_a_redis_that_does_not_answer_is_given_up_on_within_seconds(settings: Settings) -> None:
    settings.CACHES = {"default": {"BACKEND": BACKEND, "LOCATION": "redis://127.0.0.1:1/0"}}

    options = cache._cache._pool_options  # type: ignore[attr-defined]

    assert options["socket_connect_timeout"] == 1.0
    assert options["socket_timeout"] == 2.0


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
@pytest.mark.parametrize("path", ["/", "/impact/", "/projects/", "/accounts/login/"])
def test_with_redis_down_the_public_pages_answer(client: Client, path: str) -> None:
    assert client.get(path).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
def test_with_redis_down_a_failed_login_is_answered_with_the_form_again(client: Client) -> None:
    response = client.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.django_db
@pytest.mark.usefixtures("redis_down")
def test_with_redis_down_the_health_check_still_reports_the_cache_down(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "down"


@pytest.mark.redis
def test_with_redis_up_it_is_an_ordinary_redis_cache(settings: Settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": BACKEND,
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": f"welfare_net_test_cache_{uuid.uuid4().hex[:8]}",
        }
    }

    try:
        assert cache.add("key", "first") is True
        assert cache.add("key", "second") is False
        assert cache.get("key") == "first"
        assert cache.has_key("key")
    finally:
        cache.delete("key")
