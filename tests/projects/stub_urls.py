"""URL confs for tests: the real site with the pages other parts build stubbed in or left out.

The project and home pages show a button only when its page exists; these let the tests
decide that, whatever the rest of the site has built so far.
"""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from welfare_net.urls import urlpatterns as site_urlpatterns

OTHER_PAGES = {
    "matching": ["apply", "refer"],
    "donations": ["pledge"],
    "talents": ["offer"],
}


def _stub(request: HttpRequest) -> HttpResponse:
    return HttpResponse("stub")


def _without_other_pages() -> list[URLPattern | URLResolver]:
    # welfare_net.urls leaves its list untyped; mypy infers list[object].
    patterns = cast(list[URLPattern | URLResolver], site_urlpatterns)
    return [p for p in patterns if getattr(p, "namespace", None) not in OTHER_PAGES]


def _with_stubs() -> list[URLPattern | URLResolver]:
    stubs: list[URLPattern | URLResolver] = [
        path(
            f"stub-{namespace}/",
            include(([path(f"{name}/", _stub, name=name) for name in names], namespace)),
        )
        for namespace, names in OTHER_PAGES.items()
    ]
    return stubs + _without_other_pages()


class WithOtherPages:
    urlpatterns = _with_stubs()


class WithoutOtherPages:
    urlpatterns = _without_other_pages()
