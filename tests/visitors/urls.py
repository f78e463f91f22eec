"""A small site for the middleware tests: a page, and the kinds of responses it must not count."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>page</title>")


def missing(request: HttpRequest) -> HttpResponse:
    return HttpResponse("<!doctype html><title>not here</title>", status=404)


def data(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def stylesheet(request: HttpRequest) -> HttpResponse:
    return HttpResponse("body {}", content_type="text/css")


urlpatterns = [
    path("", page),
    path("projects/", page),
    path("admin/", page),  # an HTML 200 at the admin's address: still not counted
    path("static/page.html", page),
    path("healthz", page),
    path("api/things/", data),
    path("page.json", data),
    path("style.css", stylesheet),
    path("missing/", missing),
]
