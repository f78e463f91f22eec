"""The visitor count against the real Redis cache the site runs on."""

import uuid

import pytest
from django.core.cache import cache
from pytest_django.fixtures import Settings

from visitors.models import DailyVisitors
from visitors.services import visitor_record

from .helpers import ADDRESS, FIREFOX
from .test_services import DAY

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_cache(settings: Settings) -> str:
    prefix = f"welfare_net_test_visitors_{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    return prefix


def test_on_redis_a_visitor_counts_once_and_no_key_holds_the_address(redis_cache: str) -> None:
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY)
    visitor_record(address=ADDRESS, user_agent=FIREFOX, day=DAY)

    client = cache._cache.get_client()  # type: ignore[attr-defined]
    keys = [key.decode() for key in client.scan_iter(match=f"{redis_cache}:*")]
    try:
        assert DailyVisitors.objects.get(day=DAY).visitors == 1
        assert len(keys) == 2  # the day's salt, and the visitor seen today
        assert not [key for key in keys if ADDRESS in key]
        assert all(0 < client.ttl(key) <= 26 * 3600 for key in keys)
    finally:
        if keys:
            client.delete(*keys)
