"""Counts the visitors of the site's pages (see ``visitors.services`` for how and what is kept).

What counts: a successful (200) GET of an HTML page by a browser. Not counted: static files,
the health check, the admin, the API, redirects and errors, prefetches, and clients whose user
agent names a bot or tool, or gives none.

``DNT`` (Do Not Track) is not a reason to skip: nothing is tracked. The count keeps no address
and no identifier beyond the day, like a clicker at the door, and a figure that depended on a
browser setting would undercount the district's visitors by an unknown share.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from .services import visitor_record

logger = logging.getLogger(__name__)

# Lower-case pieces of the user agents of crawlers, link previews, monitors and HTTP tools.
BOT_MARKERS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "curl",
    "wget",
    "python-requests",
    "python-urllib",
    "python-httpx",
    "aiohttp",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "headless",
    "phantomjs",
    "lighthouse",
    "facebookexternalhit",
    "daumoa",  # Daum's crawler (Daum's app, "DaumApps", is people)
    "yeti/",  # Naver's crawler
    "preview",
    "monitor",
    "uptime",
)
# Paths that are never pages a visitor reads, besides STATIC_URL and the admin.
SKIPPED_PREFIXES = ("/healthz", "/api/", "/i18n/", "/media/", "/favicon", "/robots.txt")


def is_bot(user_agent: str) -> bool:
    agent = user_agent.lower()
    return not agent.strip() or any(marker in agent for marker in BOT_MARKERS)


def client_address(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the first X-Forwarded-For entry when the
    deployment says a proxy in front sets it (VISITORS_TRUST_X_FORWARDED_FOR)."""
    if settings.VISITORS_TRUST_X_FORWARDED_FOR:
        first = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[0].strip()
        if first:
            return first
    return str(request.META.get("REMOTE_ADDR", ""))


def is_page_view(request: HttpRequest, response: HttpResponseBase) -> bool:
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    path = request.path_info
    skipped = (*SKIPPED_PREFIXES, settings.STATIC_URL or "/static/", f"/{settings.ADMIN_URL}")
    if path.startswith(skipped):
        return False
    # A page the browser fetched ahead in case it is opened is not a visit (yet).
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" not in purpose.lower()


class VisitorCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user_agent = request.headers.get("User-Agent", "")
        if is_page_view(request, response) and not is_bot(user_agent):
            try:
                visitor_record(
                    address=client_address(request),
                    user_agent=user_agent,
                    day=timezone.localdate(),
                )
            except Exception:
                # A count is never worth a broken page. The message names no visitor.
                logger.exception("visitor count failed; the page was served")
        return response
