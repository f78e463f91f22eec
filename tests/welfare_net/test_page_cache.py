"""Whole public pages cached for anonymous visitors (welfare_net.page_cache)."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import add_message, constants
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse

from projects.models import Project
from tests.factories import ProjectFactory, UserFactory
from welfare_net import page_cache
from welfare_net.page_cache import PLACEHOLDER, page_key, public_page

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def tokens(html: str) -> set[str]:
    return set(TOKEN.findall(html))


def test_an_anonymous_page_is_served_from_the_cache_with_no_query(
    client: Client, django_assert_num_queries
) -> None:
    project = ProjectFactory.create(title="반찬 나눔", status=Project.Status.OPEN)
    url = reverse("projects:detail", args=[project.pk])
    first = client.get(url)
    assert first.status_code == 200

    with django_assert_num_queries(0):
        again = client.get(url)

    assert again.status_code == 200
    assert "반찬 나눔" in again.content.decode()


def test_a_cached_page_says_what_it_said_for_a_minute_to_anonymous_visitors_only(
    client: Client,
) -> None:
    project = ProjectFactory.create(title="Old title", status=Project.Status.OPEN)
    url = reverse("projects:detail", args=[project.pk])
    client.get(url)
    Project.objects.filter(pk=project.pk).update(title="New title")

    assert "Old title" in client.get(url).content.decode()

    resident = UserFactory.create()
    other = Client()
    other.force_login(resident)
    assert "New title" in other.get(url).content.decode()


def test_each_visitor_gets_their_own_csrf_token_and_it_works(client: Client) -> None:
    home = reverse("home")
    client.get(home)  # the page is cached now
    a, b = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    page_a, page_b = a.get(home), b.get(home)

    for page in (page_a, page_b):
        html = page.content.decode()
        assert PLACEHOLDER not in html
        assert len(tokens(html)) == 1
        assert "csrftoken" in page.cookies
    assert tokens(page_a.content.decode()) != tokens(page_b.content.decode())
    # The cached page's form (the language switch) posts with the visitor's own token.
    token = tokens(page_a.content.decode()).pop()
    switched = a.post(
        reverse("set_language"), {"language": "en", "next": home, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    # Another visitor's token does not pass.
    other_token = tokens(page_b.content.decode()).pop()
    refused = a.post(
        reverse("set_language"),
        {"language": "en", "next": home, "csrfmiddlewaretoken": other_token},
    )
    assert refused.status_code == 403


def test_a_logged_in_resident_is_never_served_or_stored_a_shared_page(client: Client) -> None:
    resident = UserFactory.create()
    client.get(reverse("home"))  # an anonymous copy is cached
    mine = Client()
    mine.force_login(resident)

    page = mine.get(reverse("home")).content.decode()

    assert reverse("matching:my_page") in page  # the logged-in menu, not the cached one
    assert reverse("matching:my_page") not in client.get(reverse("home")).content.decode()


def test_a_page_a_logged_in_person_saw_first_is_not_put_in_the_cache() -> None:
    resident = UserFactory.create()
    mine = Client()
    mine.force_login(resident)
    response = mine.get(reverse("projects:list"))
    assert response.status_code == 200
    assert cache.get(page_key(response.wsgi_request)) is None


def test_the_languages_are_cached_apart(client: Client) -> None:
    korean = client.get(reverse("impact:page"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    english = Client().get(reverse("impact:page"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    again = Client().get(reverse("impact:page"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert 'lang="ko"' in korean and 'lang="ko"' in again
    assert 'lang="en"' in english


def test_only_the_pages_own_short_query_parameters_are_cached(client: Client) -> None:
    base = reverse("projects:list")

    def stored(query: str) -> bool:
        response = client.get(base + query)
        assert response.status_code == 200
        return cache.get(page_key(response.wsgi_request)) is not None

    assert stored("?area=health")
    assert stored("?area=health&page=2")
    assert not stored("?utm_source=newsletter")
    assert not stored("?q=" + "x" * 41)
    assert not stored("?area=health&area=donation")


def test_a_missing_project_is_not_found_and_not_cached(client: Client) -> None:
    response = client.get(reverse("projects:detail", args=[999_999]))
    assert response.status_code == 404
    assert cache.get(page_key(response.wsgi_request)) is None


# -- the decorator on its own -----------------------------------------------------------------

TEMPLATE = engines["django"].from_string("<form>{% csrf_token %}</form> count {{ count }}")


def counting_view() -> tuple[list[int], Callable[[HttpRequest], HttpResponse]]:
    calls: list[int] = []

    @public_page
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        return HttpResponse(TEMPLATE.render({"count": len(calls)}, request))

    return calls, view


def anonymous_request(path: str = "/somewhere/") -> HttpRequest:
    request = RequestFactory().get(path)
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    MessageMiddleware(lambda r: HttpResponse()).process_request(request)
    request.user = AnonymousUser()
    return request


def test_a_page_with_a_message_waiting_is_made_fresh_and_not_stored() -> None:
    calls, view = counting_view()
    request = anonymous_request()
    add_message(request, constants.SUCCESS, "Your application was sent.")

    view(request)
    view(anonymous_request())
    view(anonymous_request())

    assert len(calls) == 2  # the first (with its message) and one for the cache


def test_a_page_that_sets_a_cookie_or_touches_the_session_is_not_stored() -> None:
    calls: list[int] = []

    @public_page
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        request.session["seen"] = True
        return HttpResponse(TEMPLATE.render({"count": 1}, request))

    first = view(anonymous_request())
    view(anonymous_request())

    assert len(calls) == 2
    assert PLACEHOLDER.encode() not in first.content


def test_the_placeholder_never_reaches_a_visitor() -> None:
    calls, view = counting_view()
    first = view(anonymous_request())
    second = view(anonymous_request())

    assert len(calls) == 1
    for response in (first, second):
        assert PLACEHOLDER.encode() not in response.content
        assert b'name="csrfmiddlewaretoken"' in response.content


def test_the_cache_key_prefix_is_the_tests_own() -> None:
    # tests/conftest.py gives each test its own prefix, so no test sees another's pages.
    assert page_cache.KEY_PREFIX.startswith("public-page:test-")
