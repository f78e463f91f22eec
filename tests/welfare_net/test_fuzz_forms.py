"""The site's forms never answer 5xx, and a refused post writes nothing: a property-based
fuzz of every address of the site and its accounts that takes a write (the authorisation
matrix's rows with ``write``), each asked as a role allowed to use it, with the fields its
forms really have (read from the pages that show them) filled with NUL, broken UTF-8, huge
values, wrong choices, repeated fields and bodies that are no form at all; and of every
page's query string (the filters).
"""

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.welfare_net import fuzz
from tests.welfare_net.test_authorisation_matrix import (  # noqa: F401
    ACCOUNTS,
    ADMIN_SITE,
    SITE,
    Row,
    World,
    clients,
    world,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture(autouse=True)
def _no_login_rate_limits(settings: Any) -> None:
    """allauth counts failed logins per address in the cache, past the test's end: the fuzz's
    hundreds from 127.0.0.1 would leave the next tests' logins refused (429)."""
    settings.ACCOUNT_RATE_LIMITS = False


PAGES = {**SITE, **ACCOUNTS}
WRITES = {route: row for route, row in PAGES.items() if row.write is not None}
ADMIN_WRITES = {route: row for route, row in ADMIN_SITE.items() if row.write is not None}
# The admin has a few pages per model: each gets fewer examples.
ADMIN_FUZZ = settings(fuzz.FUZZ, max_examples=max(2, fuzz.FUZZ.max_examples // 6))
# A page's query string is read by one filter form at most: fewer examples too.
QUERY_FUZZ = settings(fuzz.FUZZ, max_examples=max(2, fuzz.FUZZ.max_examples // 2))


class _Forms(HTMLParser):
    """Each form of a page: its action, method and fields with the values it offers."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": {}}
            )
        elif not self.forms:
            return
        elif tag in ("input", "textarea", "select", "button") and a.get("name"):
            values = self.forms[-1]["fields"].setdefault(a["name"], [])
            if a.get("value"):
                values.append(a["value"])
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._select:
            self.forms[-1]["fields"][self._select].append(a.get("value", ""))


def forms_on(client: Client, url: str) -> list[dict[str, Any]]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _Forms()
    parser.feed(response.content.decode(errors="replace"))
    for form in parser.forms:
        form["action"] = urlsplit(form["action"]).path or urlsplit(url).path
    return parser.forms


# The forms of every page, once per role's client (the module's clients live as long).
_EVERY_FORM: dict[Client, list[dict[str, Any]]] = {}


def fields_for(client: Client, w: World, url: str) -> dict[str, list[str]]:
    """The fields of every form that posts to ``url``: on its own page, or else on any page
    of the site (a queue decision is a form on the case's page)."""
    fields: dict[str, list[str]] = {}
    own = forms_on(client, url)
    if not own and client not in _EVERY_FORM:
        _EVERY_FORM[client] = [
            form for row in PAGES.values() for form in forms_on(client, row.url(w))
        ]
    for form in own or _EVERY_FORM[client]:
        if form["method"].lower() == "post" and form["action"] == urlsplit(url).path:
            for name, values in form["fields"].items():
                fields.setdefault(name, []).extend(values)
    return fields


# A form value: any bytes percent-encoded (NUL, broken UTF-8, an encoded surrogate), a huge
# one, or a value the form itself offers.
RAW_VALUES = st.one_of(
    st.binary(max_size=30).map(lambda raw: quote(raw, safe="")),
    st.text(fuzz.ANY_CHARACTER, max_size=20).map(
        lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="")
    ),
    st.sampled_from(
        ["%00", "a%00b", "%ED%A0%80", "%FF", "9" * 40, "-1", "2026-13-45", "x" * 20_000, ""]
    ),
)
CONTENT_TYPES = st.sampled_from(
    ["application/x-www-form-urlencoded"] * 8
    + ["multipart/form-data; boundary=x", "multipart/form-data", "application/json", "text/plain"]
)


def form_bodies(fields: dict[str, list[str]]) -> st.SearchStrategy[bytes]:
    names = [*fields, "unknown", "csrfmiddlewaretoken"]
    offered = [quote(value, safe="") for values in fields.values() for value in values]
    value = st.one_of(RAW_VALUES, st.sampled_from(offered)) if offered else RAW_VALUES
    pairs = st.lists(st.tuples(st.sampled_from(names), value), max_size=len(names) + 3)
    as_form = pairs.map(lambda ps: "&".join(f"{n}={v}" for n, v in ps).encode())
    return st.one_of(as_form, as_form, as_form, fuzz.GARBAGE)


# A page that shows personal data logs each view of it (residents.PersonalDataAccess), a POST
# answered as a GET included.
READING_LOG = frozenset({"residents_personaldataaccess"})


def exchange(
    client: Client,
    method: str,
    url: str,
    body: bytes,
    content_type: str,
    may_change: frozenset[str] = frozenset(),
) -> None:
    what = f"{method.upper()} {url} {content_type} {body[:300]!r}"
    response, before = fuzz.ask(
        client, lambda c: c.generic(method.upper(), url, body, content_type=content_type), what
    )
    # A form shown again with its errors (200) or refused (4xx) wrote nothing; a redirect is
    # the form accepted, and what it wrote must be whole.
    after = fuzz.table_counts()
    if response.status_code in (301, 302, 303):
        fuzz.assert_whole(before, after)
    else:
        changed = {
            t: (before[t], after[t])
            for t in before
            if before[t] != after[t] and t not in may_change
        }
        assert not changed, f"{response.status_code} but rows changed {changed}: {what}"


def test_the_fuzz_finds_the_fields_of_the_sites_forms(
    world: World,  # noqa: F811
    clients: dict[str, Client],  # noqa: F811
) -> None:
    """The forms are read from the pages, not listed here: this keeps the reading honest."""
    fields = fields_for(clients["resident_a"], world, "/support/apply/")

    assert {"description", "submission_key"} <= set(fields)


@pytest.mark.parametrize("route", sorted(WRITES))
def test_no_site_form_answers_5xx_or_writes_half_a_row(
    route: str,
    world: World,  # noqa: F811
    clients: dict[str, Client],  # noqa: F811
) -> None:
    fuzz_form(WRITES[route], world, clients, fuzz.FUZZ, each=True)


@pytest.mark.parametrize("route", sorted(PAGES.keys() - WRITES.keys()))
def test_no_page_without_a_form_answers_a_post_with_5xx_or_a_write(
    route: str,
    world: World,  # noqa: F811
    clients: dict[str, Client],  # noqa: F811
) -> None:
    """Many pages answer a POST as a GET: a form added to one without a ``write`` in the
    matrix is still fuzzed here, and must write nothing."""
    fuzz_form(PAGES[route], world, clients, QUERY_FUZZ, each=False, may_change=READING_LOG)


@pytest.mark.parametrize("route", sorted(ADMIN_WRITES))
def test_no_admin_form_answers_5xx_or_writes_half_a_row(
    route: str,
    world: World,  # noqa: F811
    clients: dict[str, Client],  # noqa: F811
) -> None:
    fuzz_form(ADMIN_WRITES[route], world, clients, ADMIN_FUZZ, each=False)


def fuzz_form(
    row: Row,
    world: World,  # noqa: F811
    clients: dict[str, Client],  # noqa: F811
    config: settings,
    *,
    each: bool,
    may_change: frozenset[str] = frozenset(),
) -> None:
    url = row.url(world)
    fields = fields_for(clients[fuzz.role_for(row, world)], world, url)
    client = fuzz.client_of(row, world, clients)

    for body in fixed_bodies(fields, each=each):
        exchange(client(), row.method, url, body, "application/x-www-form-urlencoded", may_change)

    @config
    @given(body=form_bodies(fields), content_type=CONTENT_TYPES)
    def fuzzed(body: bytes, content_type: str) -> None:
        exchange(client(), row.method, url, body, content_type, may_change)

    fuzzed()


FIXED_VALUES = ("%00", "a%00b", "%ED%A0%80", "x" * 100_000)


def fixed_bodies(fields: dict[str, list[str]], *, each: bool) -> Iterator[bytes]:
    """NUL, broken UTF-8 and a huge value in each field (``each``) or in all fields at
    once, whatever hypothesis draws."""
    names = list(fields) or ["name"]
    for value in FIXED_VALUES:
        if each:
            yield from (f"{name}={value}".encode() for name in names)
        else:
            yield "&".join(f"{name}={value}" for name in names).encode()


@pytest.mark.parametrize("route", sorted(PAGES))
def test_no_query_string_makes_a_page_answer_5xx(
    route: str,
    world: World,  # noqa: F811
    clients: dict[str, Client],  # noqa: F811
) -> None:
    row = PAGES[route]
    url = row.url(world)
    client = clients[fuzz.role_for(row, world)]
    names = ["page", "next", "q", "unknown"]
    for form in forms_on(client, url):
        if form["method"].lower() == "get":
            names += list(form["fields"])

    @QUERY_FUZZ
    @given(pairs=st.lists(st.tuples(st.sampled_from(names), RAW_VALUES), max_size=4))
    def fuzzed(pairs: list[tuple[str, str]]) -> None:
        query = "&".join(f"{name}={value}" for name, value in pairs)
        separator = "&" if "?" in url else "?"
        what = f"GET {url}{separator}{query}"
        response, before = fuzz.ask(client, lambda c: c.get(f"{url}{separator}{query}"), what)
        fuzz.assert_nothing_or_whole(response, before, what)

    fuzzed()
