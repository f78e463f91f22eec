"""What the visitors tests share: browsers, and a search of every stored value."""

from django.apps import apps
from django.core.cache import cache

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
# From the documentation range (RFC 5737): nothing else in a test database looks like it.
ADDRESS = "203.0.113.77"
OTHER_ADDRESS = "198.51.100.23"


def stored_values() -> list[str]:
    """Every value of every row of every table, as text."""
    values = []
    for model in apps.get_models(include_auto_created=True):
        for row in model._default_manager.values_list():
            values += [str(value) for value in row]
    return values


def cached_keys() -> list[str]:
    """The keys of the test's local-memory cache (see conftest.own_cache)."""
    return [str(key) for key in cache._cache]  # type: ignore[attr-defined]
