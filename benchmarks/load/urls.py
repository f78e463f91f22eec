"""The site's addresses and ``/load-bench/bare``: a Django view that only answers "ok".

It runs behind the same middleware as every page (sessions, CSRF, locale, CSP, the visitor
count, ...), so the project list's throughput divided by this one's says what the page itself
costs, apart from the framework and the server.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from welfare_net.urls import handler404, handler500
from welfare_net.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


@require_safe
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("load-bench/bare", bare, name="load_bench_bare"), *site_urlpatterns]
