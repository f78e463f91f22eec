"""The cache backend the site runs on: Redis, failing open.

Everything the platform keeps in the cache may be lost without harm: figures (computed again),
the visitors seen today (the database counts each once anyway), rate-limit counts (allauth's
logins, the API's throttle). So when Redis is down a page must not fail because its cache
did, as Django's own ``RedisCache`` makes it (the home page, the impact page and the login
answered 500). Here a read is a miss, a write is dropped, ``add`` says "stored" (its callers,
allauth's lock and the visitor count, then go on: the database makes that safe), and the
error goes to the log, at most once a minute per process.

What an outage costs: pages compute what they would have read, and rate limits count nothing
until Redis is back. The health check still reports the cache down (it reads back a value).
"""

import logging
import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 60.0
# redis-py waits for the operating system's TCP timeout by default: minutes per request when
# the Redis host stops answering. A cache that answers later than this is worth nothing.
DEFAULT_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 2.0}

_last_logged = -LOG_EVERY_SECONDS


def _log_failure(operation: str, error: RedisError) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= LOG_EVERY_SECONDS:
        _last_logged = now
        logger.error("cache %s failed, going on without the cache: %r", operation, error)


class FailOpenRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        """One ``redis.Redis`` per connection pool, kept. Django's makes a new one for every
        call, and each builds its table of some eighty reply callbacks: a tenth of a
        millisecond per cache call, two or three calls per page. Thread-safe: the client
        holds no connection of its own, it borrows one from the pool per command."""
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        try:
            return bool(super().add(key, value, timeout))
        except RedisError as error:
            _log_failure("add", error)
            return True

    def get(self, key: Any, default: Any) -> Any:
        try:
            return super().get(key, default)
        except RedisError as error:
            _log_failure("get", error)
            return default

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        try:
            super().set(key, value, timeout)
        except RedisError as error:
            _log_failure("set", error)

    def touch(self, key: Any, timeout: Any) -> bool:
        try:
            return bool(super().touch(key, timeout))
        except RedisError as error:
            _log_failure("touch", error)
            return False

    def delete(self, key: Any) -> bool:
        try:
            return bool(super().delete(key))
        except RedisError as error:
            _log_failure("delete", error)
            return False

    def get_many(self, keys: Iterable[Any]) -> dict[Any, Any]:
        try:
            return dict(super().get_many(keys))
        except RedisError as error:
            _log_failure("get_many", error)
            return {}

    def has_key(self, key: Any) -> bool:
        try:
            return bool(super().has_key(key))
        except RedisError as error:
            _log_failure("has_key", error)
            return False

    def set_many(self, data: Mapping[Any, Any], timeout: Any) -> None:
        try:
            super().set_many(data, timeout)
        except RedisError as error:
            _log_failure("set_many", error)

    def delete_many(self, keys: Iterable[Any]) -> None:
        try:
            super().delete_many(keys)
        except RedisError as error:
            _log_failure("delete_many", error)

    def clear(self) -> bool:
        try:
            return bool(super().clear())
        except RedisError as error:
            _log_failure("clear", error)
            return False


class FailOpenRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` that a Redis outage cannot break.

    ``incr``/``decr`` still raise (for a missing key they raise anyway); nothing here uses them.
    """

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = {**DEFAULT_OPTIONS, **(params.get("OPTIONS") or {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = FailOpenRedisCacheClient
