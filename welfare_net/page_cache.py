"""Whole public pages cached for visitors who are not logged in.

The home page, the project list and pages, and the impact page are the same for every
anonymous visitor who reads them in the same language at the same address, and they hold no
personal data. ``@public_page`` keeps each such page in the cache for a minute, so a busy day's
visitors cost a cache read each instead of a page render.

What keeps it safe:

- Only ``GET`` from a visitor who is not logged in, with no message waiting to be shown, and
  only a ``200`` answer that set no cookie and touched no session, is stored. A logged-in
  resident, coordinator or staff member always gets a page made for them.
- The key is the language and the full address. Only the query parameters a page names are
  cached, each once and short; any other address is rendered fresh, not stored, so odd
  addresses cannot fill the cache.
- Every page carries forms (the language switch) with a CSRF token, which is each visitor's
  own. The page is rendered for the cache with a placeholder in its place
  (``csrf_placeholder``, a context processor), and each answer gets the visitor's own token.
- The middleware still runs for every answer: security headers, CSP, the CSRF cookie, the
  visitor count.

Pages may be up to ``PAGE_TIMEOUT`` seconds old for anonymous visitors (a project just
published appears within a minute); staff, logged in, see it at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

PAGE_TIMEOUT = 60
KEY_PREFIX = "public-page:v1"
MAX_VALUE_LENGTH = 40
# Stands where the visitor's CSRF token goes; replaced in every answer.
PLACEHOLDER = "csrf-token-of-this-visitor-8c1e5b"
_RENDERING_FOR_CACHE = "_public_page_rendering"

View = Callable[..., HttpResponse]


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """A context processor: while a page is rendered for the cache, its CSRF token is the
    placeholder (Django's own ``csrf`` processor runs first; this one overrides it)."""
    if getattr(request, _RENDERING_FOR_CACHE, False):
        return {"csrf_token": PLACEHOLDER}
    return {}


def _cacheable_request(request: HttpRequest, query: frozenset[str]) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    for name, values in request.GET.lists():
        if name not in query or len(values) != 1 or len(values[0]) > MAX_VALUE_LENGTH:
            return False
    # Reading the count does not mark the messages shown.
    return len(get_messages(request)) == 0


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.modified)
    )


def page_key(request: HttpRequest) -> str:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{KEY_PREFIX}:{get_language()}:{address}"


def _own_token(request: HttpRequest, content: bytes) -> bytes:
    if PLACEHOLDER.encode() not in content:
        return content
    return content.replace(PLACEHOLDER.encode(), get_token(request).encode())


def _answer(request: HttpRequest, content: bytes, content_type: str) -> HttpResponse:
    return HttpResponse(_own_token(request, content), content_type=content_type)


def public_page(
    view: View | None = None, *, query: Iterable[str] = (), timeout: int = PAGE_TIMEOUT
) -> Any:
    """Cache ``view``'s page for anonymous visitors (see the module's text).

    ``query`` names the query parameters the page reads; an address with any other is not
    cached.
    """
    allowed = frozenset(query)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request, allowed):
                return view(request, *args, **kwargs)
            key = page_key(request)
            stored = cache.get(key)
            if isinstance(stored, tuple) and len(stored) == 2:
                return _answer(request, *stored)
            setattr(request, _RENDERING_FOR_CACHE, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                setattr(request, _RENDERING_FOR_CACHE, False)
            if not _cacheable_response(request, response):
                if not response.streaming:
                    response.content = _own_token(request, response.content)
                return response
            stored = (response.content, response["Content-Type"])
            cache.set(key, stored, timeout)
            return _answer(request, *stored)

        return wrapped

    return decorator(view) if view is not None else decorator
