"""What the fuzz tests share (``test_fuzz_api.py``, ``test_fuzz_forms.py``): the nasty values
they send, the role each address is asked as, and the check that a refused request wrote
nothing and an accepted one wrote whole rows.

The addresses and roles come from the authorisation matrix (``test_authorisation_matrix``):
a row's write codes name, for each role, what an empty write gets, and ``*`` marks a role
that may use it. A new address without a row fails the matrix; a new write without a
``write`` there is not fuzzed, and ``test_fuzz_api`` fails on that.
"""

import json
import os
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction
from django.http.response import HttpResponseBase
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle

from tests.welfare_net.test_authorisation_matrix import (
    REFUSALS,
    ROLES,
    Row,
    World,
    client_for,
    codes_of,
)

# Bounded: every address runs these few examples, so the whole fuzz stays within minutes
# (FUZZ_EXAMPLES=200 for a longer hunt).
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")),
    deadline=None,
    database=None,  # no example database in the tree: each run draws afresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Rows a request may write whatever its outcome: the login session, django-axes' record of
# a failed login (the token door counts wrong passwords), the admin's log of its actions.
NOT_COUNTED = {"sessions.session", "axes.accessattempt", "axes.accessfailurelog", "axes.accesslog"}


def role_for(row: Row, world: World) -> str:
    """The first role that may use the row's write (``*``), or else the first its write or
    its GET does not refuse."""
    asks = [row.write, row.get] if row.write is not None else [row.get]
    for codes in asks:
        found = list(zip(ROLES, codes_of(codes, world), strict=True))
        allowed = [role for role, code in found if code == "*"]
        allowed += [role for role, code in found if code not in REFUSALS | {"P"}]
        if allowed:
            return allowed[0]
    return ROLES[0]


def client_of(row: Row, world: World, clients: dict[str, Client]) -> Callable[[], Client]:
    """The client of the row's role: the module's, logged in once, or for a write that ends
    the session (logging out, deleting the account) a new one each time."""
    role = role_for(row, world)
    if row.ends_session:
        return lambda: client_for(world, role)
    return lambda: clients[role]


# --- Values -------------------------------------------------------------------------------

# Lone surrogates, NUL and the rest of the control characters, besides ordinary text.
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())
NASTY_TEXT = st.one_of(
    st.text(ANY_CHARACTER, max_size=30),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\ud800x",
            "\udfff",
            "\ud83d",
            "\ufeff",
            "\u202e",
            "'; DROP TABLE x; --",
            "%00",
            "../../etc/passwd",
            "x" * 10_000,
            "가" * 100_000,
            " ",
            "",
        ]
    ),
)
NASTY_NUMBER = st.one_of(
    st.integers(),
    st.sampled_from([0, -1, 2**31, 2**63, -(2**63) - 1, 10**40]),
    st.floats(allow_nan=False, allow_infinity=False),
)
SCALAR = st.one_of(st.none(), st.booleans(), NASTY_NUMBER, NASTY_TEXT)


def values(known: Iterable[Any] = ()) -> st.SearchStrategy[Any]:
    """A field's value: a nasty scalar, a nested list or object of them, or one of ``known``
    (the field's choices, a real id), so that some requests get past the first check."""
    nested = st.recursive(
        SCALAR,
        lambda children: (
            st.lists(children, max_size=3) | st.dictionaries(NASTY_TEXT, children, max_size=3)
        ),
        max_leaves=6,
    )
    known = list(known)
    return st.one_of(nested, st.sampled_from(known)) if known else nested


def json_bytes(value: Any, *, ascii_only: bool) -> bytes:
    """``value`` as a JSON body: escaped (a lone surrogate as ``\\ud800``) or raw UTF-8 (a lone
    surrogate as the bytes no UTF-8 decoder takes)."""
    text = json.dumps(value, ensure_ascii=ascii_only)
    return text.encode("utf-8", "surrogatepass")


def deep(n: int, *, kind: str) -> bytes:
    if kind == "list":
        return b"[" * n + b"]" * n
    if kind == "object":
        return b'{"a":' * n + b"1" + b"}" * n
    return b"[" * n  # unclosed


DEEP_BODIES = st.builds(
    deep,
    st.integers(min_value=33, max_value=50_000),
    kind=st.sampled_from(["list", "object", "open"]),
)
GARBAGE = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"", b"{", b"nul", b"NaN", b"[1,]", b'{"a":1,}', b"\xef\xbb\xbf{}", b"\x00"]),
    st.just(b'{"a": ' + b"9" * 5000 + b"}"),  # past Python's 4300 digits
)


# --- What the database holds --------------------------------------------------------------


def counted_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_COUNTED and model._meta.managed
    ]


def table_counts() -> dict[str, int]:
    """Every table's row count, in one query."""
    tables = sorted({model._meta.db_table for model in counted_models()})
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*) FROM {quote(table)}"  # table names, not input
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


def assert_whole(before: dict[str, int], after: dict[str, int]) -> None:
    """The rows an accepted request added pass their models' own validation."""
    for model in counted_models():
        added = after[model._meta.db_table] - before[model._meta.db_table]
        # django-simple-history's copies are not validated (their change reason is "blank").
        if added <= 0 or model._meta.auto_created or hasattr(model, "instance_type"):
            continue
        for obj in model._default_manager.order_by("-pk")[:added]:
            obj.full_clean(validate_unique=False, validate_constraints=False)


# --- Asking -------------------------------------------------------------------------------

Send = Callable[[Client], HttpResponseBase]


def ask(client: Client, send: Send, what: str) -> tuple[HttpResponseBase, dict[str, int]]:
    """Sends one request; a 5xx (or an exception the test client re-raises, which Django would
    answer with a 500) fails with ``what``. Returns the response and the counts before it."""
    # Each request counts the API's rate limits afresh (every test request is 127.0.0.1).
    fresh = f"throttle_{uuid.uuid4().hex[:12]}_%(scope)s_%(ident)s"
    SimpleRateThrottle.cache_format = fresh
    before = table_counts()
    started = time.monotonic()
    try:
        # A savepoint: a request that breaks the transaction leaves the test's usable.
        with transaction.atomic():
            response = send(client)
    except Exception as error:
        raise AssertionError(f"500 ({type(error).__name__}: {error}) for {what}") from error
    assert response.status_code < 500, f"{response.status_code} for {what}"
    assert time.monotonic() - started < 10, f"took {time.monotonic() - started:.1f} s: {what}"
    return response, before


def assert_nothing_or_whole(response: HttpResponseBase, before: dict[str, int], what: str) -> None:
    after = table_counts()
    if response.status_code >= 400:
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        assert not changed, f"{response.status_code} but rows changed {changed}: {what}"
    else:
        assert_whole(before, after)
