"""Settings for the pytest suite.

The suite runs against a real PostgreSQL and Redis. Where the PostgreSQL server of
``DATABASE_URL`` cannot be reached, it runs on the embedded PostgreSQL server in ``var/``
(``welfare_net.embedded_postgres``, started by ``tests/conftest.py``): PostgreSQL either way,
never another engine. Where Redis cannot be reached, the tests marked ``redis``/``worker`` are
skipped and counted. With ``CI=true`` an unreachable server is an error instead.
"""

import socket
import uuid
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from welfare_net import embedded_postgres

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

POSTGRES_URL = env.str("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/welfare_net")
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {}


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 1
        ):
            return True
    except OSError:
        return False


SERVICES_REACHABLE = {
    "postgres": _reachable(POSTGRES_URL, 5432),
    "redis": _reachable(REDIS_URL, 6379),
}
_missing = [name for name, ok in SERVICES_REACHABLE.items() if not ok]
if _missing and env.bool("CI", default=False):
    raise ImproperlyConfigured(
        f"CI=true but {', '.join(_missing)} cannot be reached "
        f"(DATABASE_URL={POSTGRES_URL}, REDIS_URL={REDIS_URL})."
    )

# Without a reachable server, the embedded one (tests/conftest.py starts it).
EMBEDDED_POSTGRES = not SERVICES_REACHABLE["postgres"]
if EMBEDDED_POSTGRES:
    DATABASES = {"default": embedded_postgres.database_settings(VAR_DIR)}
    SERVICES_REACHABLE["postgres"] = True
else:
    DATABASES = {"default": env.db_url_config(POSTGRES_URL)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

if SERVICES_REACHABLE["redis"]:
    CACHES = {
        "default": {
            "BACKEND": "welfare_net.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            # A prefix per test run: no run sees another's cached pages or rate-limit counts.
            "KEY_PREFIX": f"welfare_net_test_{uuid.uuid4().hex[:8]}",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Test workers take only test tasks, whatever else shares the Redis server.
CELERY_TASK_DEFAULT_QUEUE = "welfare_net_test"
