"""Counting site visitors, the way Plausible Analytics does without cookies.

A visitor of a day is the keyed hash (HMAC-SHA256) of their address and user agent, the key
being that day's random salt. The address itself is only an input to the hash: it is never
written to the database, the cache or the log. When the day is over, ``visitors_discard_before``
deletes the day's hashes and its salt; the day's number stays in ``DailyVisitors``.

Cost under load: a request of a visitor already counted today costs two cache round trips
(the salt, then ``cache.add`` of the hash) and no query. Only the first request of each visitor
of the day writes: the hash row (``ON CONFLICT DO NOTHING``) and, only when that row was new,
one added to the day's count. So the count stays right when the cache was flushed: a visitor
seen again finds the hash row and adds nothing.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from .models import DailySalt, DailyVisitors, VisitorHash

# Longer than a day, so a key made just after midnight still stands at the next midnight.
SEEN_TIMEOUT = 26 * 60 * 60  # seconds
# Browsers send a few hundred characters; anything longer is cut before hashing.
USER_AGENT_MAX = 512


def salt_cache_key(day: date) -> str:
    return f"visitors:salt:{day.isoformat()}"


def seen_cache_key(day: date, digest: str) -> str:
    return f"visitors:{day.isoformat()}:{digest}"


def daily_salt_get(*, day: date) -> str:
    """The day's salt, made on the first visit of the day (once, whoever asks at once)."""
    salt = cache.get(salt_cache_key(day))
    if not isinstance(salt, str):
        row, _ = DailySalt.objects.get_or_create(day=day, defaults={"salt": secrets.token_hex(32)})
        salt = row.salt
        cache.set(salt_cache_key(day), salt, SEEN_TIMEOUT)
    return salt


def visitor_digest(*, salt: str, address: str, user_agent: str) -> str:
    """The day's name of a visitor: nothing of the address can be read back from it."""
    message = f"{address}\n{user_agent[:USER_AGENT_MAX]}".encode()
    return hmac.new(bytes.fromhex(salt), message, hashlib.sha256).hexdigest()


def visitor_record(*, address: str, user_agent: str, day: date) -> bool:
    """Count the visitor once on ``day``; True when this was their first visit of the day."""
    digest = visitor_digest(salt=daily_salt_get(day=day), address=address, user_agent=user_agent)
    key = seen_cache_key(day, digest)
    if not cache.add(key, 1, SEEN_TIMEOUT):
        return False
    try:
        with transaction.atomic():
            inserted = _hash_insert(day=day, digest=digest)
            if inserted:
                _count_one(day=day)
    except BaseException:
        # Not written: let the visitor's next request try again rather than go uncounted.
        cache.delete(key)
        raise
    return inserted


def _hash_insert(*, day: date, digest: str) -> bool:
    """Insert the day's hash unless it is there; True when this call inserted it.

    ``bulk_create(ignore_conflicts=True)`` makes the same INSERT but cannot say whether the
    row went in, which is what the count needs; ``RETURNING`` says it.
    """
    quote = connection.ops.quote_name
    table, cols, pk = (
        quote(VisitorHash._meta.db_table),
        f"({quote('day')}, {quote('digest')})",
        quote("id"),
    )
    sql = f"INSERT INTO {table} {cols} VALUES (%s, %s) ON CONFLICT {cols} DO NOTHING RETURNING {pk}"  # noqa: S608  # nosec  # quoted names from the model, values bound
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(day), digest])
        return cursor.fetchone() is not None


def _count_one(*, day: date) -> None:
    # An UPDATE with F() adds one in the database: two visitors at once both count.
    if DailyVisitors.objects.filter(day=day).update(visitors=F("visitors") + 1):
        return
    # The day's first visitor: make the row (or find the one a concurrent request just made).
    DailyVisitors.objects.bulk_create([DailyVisitors(day=day, visitors=0)], ignore_conflicts=True)
    DailyVisitors.objects.filter(day=day).update(visitors=F("visitors") + 1)


@dataclass(frozen=True)
class Discarded:
    hashes: int
    salts: int


def visitors_discard_before(*, day: date) -> Discarded:
    """Delete the hashes and salts of the days before ``day``; their counts stay.

    Safe to run twice: a second run finds nothing to delete.
    """
    with transaction.atomic():
        days = list(DailySalt.objects.filter(day__lt=day).values_list("day", flat=True))
        hashes, _ = VisitorHash.objects.filter(day__lt=day).delete()
        salts, _ = DailySalt.objects.filter(day__lt=day).delete()
    # The cached copy of a deleted salt would outlive it by up to a day otherwise.
    cache.delete_many([salt_cache_key(d) for d in days])
    return Discarded(hashes=hashes, salts=salts)
