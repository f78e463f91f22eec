"""The API never answers 5xx, and a refused request writes nothing: a property-based fuzz of
every write the OpenAPI schema documents (malformed bodies, wrong types, huge strings, NUL,
lone surrogates, deep nesting, other content types), of every path parameter and of every
query parameter, each asked as a role allowed to use the address.

The addresses and roles are the authorisation matrix's (``fuzz.py``); the schema is
drf-spectacular's, so a new write that the matrix does not name fails
``test_every_write_the_schema_documents_is_fuzzed``.
"""

import functools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import given
from hypothesis import strategies as st

from tests.welfare_net import fuzz
from tests.welfare_net.test_authorisation_matrix import API, World, clients, world  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(autouse=True)
def _no_login_rate_limits(settings: Any) -> None:
    """allauth counts failed logins per address in the cache, past the test's end: the fuzz's
    hundreds from 127.0.0.1 would leave the next tests' logins refused (429)."""
    settings.ACCOUNT_RATE_LIMITS = False


WRITES = {route: row for route, row in API.items() if row.write is not None}
WRITE_METHODS = ("post", "put", "patch", "delete")


def normal(path: str) -> str:
    """A route (``api/x/<int:pk>/``) or a schema path (``/api/x/{id}/``) as one spelling."""
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path.strip("/"))


@functools.cache
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def operations(route: str, methods: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """The schema's operations on the route, by method."""
    for path, item in schema()["paths"].items():
        if normal(path) == normal(route):
            return {method: op for method, op in item.items() if method in methods}
    return {}


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def body_fields(op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return {}
    return {
        name: resolve(prop)
        for name, prop in resolve(content["schema"]).get("properties", {}).items()
    }


def choices_of(prop: dict[str, Any]) -> list[Any]:
    found = list(prop.get("enum", []))
    for part in prop.get("allOf", []) + prop.get("oneOf", []) + [prop.get("items", {})]:
        found += resolve(part).get("enum", [])
    return [value for value in found if value is not None]


def real_ids(w: World) -> list[Any]:
    """Ids the world holds, so that some bodies name real records."""
    return [
        w.n1.pk,
        w.n2.pk,
        w.project.pk,
        str(w.project.public_id),
        w.health_project.pk,
        w.target_group.pk,
        w.a.proposal.pk,
        str(w.a.application.public_id),
        w.users["coordinator"].pk,  # type: ignore[union-attr]
        w.survey.pk,
    ]


def fixed_bodies(fields: dict[str, dict[str, Any]]) -> list[bytes]:
    """What every write is sent, whatever hypothesis draws: the classes seen to answer 500."""
    bodies = [fuzz.deep(5000, kind="list"), fuzz.deep(5000, kind="object")]
    nasty: list[Any] = ["\ud800x", "a\x00b", "x" * 100_000, 10**30, [[]], {}]
    for name in fields or {"kind": {}}:
        for value in nasty:
            bodies.append(fuzz.json_bytes({name: value}, ascii_only=True))
        bodies.append(fuzz.json_bytes({name: "\ud800"}, ascii_only=False))
    return bodies


CONTENT_TYPES = st.sampled_from(
    ["application/json"] * 8
    + [
        "application/json; charset=latin-1",
        "application/json; charset=no-such-charset",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "multipart/form-data",
    ]
)


def bodies(fields: dict[str, dict[str, Any]], known: list[Any]) -> st.SearchStrategy[bytes]:
    named = st.fixed_dictionaries(
        {}, optional={name: fuzz.values(choices_of(prop) + known) for name, prop in fields.items()}
    )
    objects = st.builds(
        lambda given, extra: {**extra, **given},
        named,
        st.dictionaries(fuzz.NASTY_TEXT, fuzz.values(), max_size=2),
    )
    as_json = st.builds(
        fuzz.json_bytes, st.one_of(objects, objects, fuzz.values()), ascii_only=st.booleans()
    )
    truncated = st.builds(lambda body, n: body[:n], as_json, st.integers(0, 60))
    return st.one_of(as_json, as_json, truncated, fuzz.DEEP_BODIES, fuzz.GARBAGE)


# Documents, not data: they answer in their own formats (HTML, YAML), errors included.
DOCUMENTS = ("/api/docs/", "/api/schema/")


def assert_api_error_shape(response: Any, what: str) -> None:
    if response.status_code >= 400 and not response.request["PATH_INFO"].startswith(DOCUMENTS):
        assert response["Content-Type"].startswith("application/json"), what
        assert set(response.json()) == {"code", "message", "errors"}, what


def exchange(
    client: Callable[[], Client], method: str, url: str, body: bytes, content_type: str, lang: str
) -> None:
    what = f"{method.upper()} {url} {content_type} {body[:300]!r}"
    response, before = fuzz.ask(
        client(),
        lambda c: c.generic(
            method.upper(), url, body, content_type=content_type, HTTP_ACCEPT_LANGUAGE=lang
        ),
        what,
    )
    assert_api_error_shape(response, what)
    fuzz.assert_nothing_or_whole(response, before, what)


# --- The tests ----------------------------------------------------------------------------


def test_every_write_the_schema_documents_is_fuzzed() -> None:
    documented = {
        normal(path)
        for path, item in schema()["paths"].items()
        if any(method in WRITE_METHODS for method in item)
    }

    assert documented == {normal(route) for route in WRITES}, (
        "Writes the schema documents and the matrix's API rows with a write differ: give the "
        "new door a row with its write codes in test_authorisation_matrix.API"
    )


def fuzz_write(
    client: Callable[[], Client], method: str, url: str, body: st.SearchStrategy[bytes]
) -> Callable[[], None]:
    @fuzz.FUZZ
    @given(body=body, content_type=CONTENT_TYPES, lang=st.sampled_from(["ko", "en"]))
    def fuzzed(body: bytes, content_type: str, lang: str) -> None:
        exchange(client, method, url, body, content_type, lang)

    return fuzzed  # type: ignore[no-any-return]


@pytest.mark.parametrize("route", sorted(WRITES))
def test_no_write_answers_5xx_or_writes_half_a_row(
    route: str,
    world: World,  # noqa: F811
    clients: dict[str, Client],  # noqa: F811
) -> None:
    row = WRITES[route]
    url = row.url(world)
    client = fuzz.client_of(row, world, clients)
    ops = operations(route, WRITE_METHODS) or {row.method: {}}
    known = real_ids(world)
    for method, op in ops.items():
        fields = body_fields(op)
        for body in fixed_bodies(fields):
            exchange(client, method, url, body, "application/json", "ko")

        fuzz_write(client, method, url, bodies(fields, known))()


# A path segment: any bytes, percent-encoded (NUL, invalid UTF-8, an encoded surrogate).
SEGMENTS = st.one_of(
    st.binary(min_size=1, max_size=40).map(lambda raw: quote(raw, safe="")),
    st.sampled_from(["%00", "a%00", "%ED%A0%80", "%FF", "9" * 30, "-1", "0", "x" * 3000]),
)
PARAMETER = re.compile(r"<[^>]+>")
WITH_PARAMETERS = sorted(route for route in API if PARAMETER.search(route))


@pytest.mark.parametrize("route", WITH_PARAMETERS)
def test_no_path_parameter_makes_an_address_answer_5xx(
    route: str,
    world: World,  # noqa: F811
    clients: dict[str, Client],  # noqa: F811
) -> None:
    row = API[route]
    client = fuzz.client_of(row, world, clients)
    methods = ["get"] if row.write is None else ["get", row.method]

    @fuzz.FUZZ
    @given(segments=st.lists(SEGMENTS, min_size=3, max_size=3))
    def fuzzed(segments: list[str]) -> None:
        parts = iter(segments)
        url = "/" + PARAMETER.sub(lambda _: next(parts), route)
        for method in methods:
            exchange(client, method, url, b"{}", "application/json", "ko")

    fuzzed()


def query_parameters(route: str) -> list[str]:
    op = operations(route, ("get",)).get("get", {})
    return [p["name"] for p in op.get("parameters", []) if p["in"] == "query"]


QUERY_VALUES = st.one_of(
    st.binary(max_size=40).map(lambda raw: quote(raw, safe="")),
    st.sampled_from(["%00", "%ED%A0%80", "9" * 40, "-1", "2026-13-45", "x" * 5000, ""]),
)


@pytest.mark.parametrize("route", sorted(API))
def test_no_query_parameter_makes_an_address_answer_5xx(
    route: str,
    world: World,  # noqa: F811
    clients: dict[str, Client],  # noqa: F811
) -> None:
    row = API[route]
    names = [*query_parameters(route), "page", "ordering", "format", "unknown"]
    url = row.url(world)
    client = fuzz.client_of(row, world, clients)

    @fuzz.FUZZ
    @given(pairs=st.lists(st.tuples(st.sampled_from(names), QUERY_VALUES), max_size=4))
    def fuzzed(pairs: list[tuple[str, str]]) -> None:
        # Percent-encoded by hand, to send bytes no encoder would (NUL, broken UTF-8).
        query = "&".join(f"{name}={value}" for name, value in pairs)
        what = f"GET {url}?{query}"
        response, before = fuzz.ask(client(), lambda c: c.get(f"{url}?{query}"), what)
        assert_api_error_shape(response, what)
        fuzz.assert_nothing_or_whole(response, before, what)

    fuzzed()
