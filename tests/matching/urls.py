"""The site's URLs, plus stand-ins for the residents' profile and consent steps while those
pages do not exist yet (once ``residents.urls`` names them, the real ones are used)."""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from residents import urls as residents_urls
from welfare_net.urls import urlpatterns as site_urlpatterns


def _stand_in(request: HttpRequest) -> HttpResponse:
    return HttpResponse("profile step stand-in")


_named = {getattr(pattern, "name", None) for pattern in residents_urls.urlpatterns}
_stand_ins = [
    path(f"stand-in/{name}/", _stand_in, name=name)
    for name in ("profile", "consents")
    if name not in _named
]

# The first "residents" namespace wins when reversing: the real patterns and the stand-ins.
_residents: list[URLPattern | URLResolver] = [*residents_urls.urlpatterns, *_stand_ins]
urlpatterns: list[URLPattern | URLResolver] = [
    path("me/", include((_residents, "residents"))),
    *cast(list[URLPattern | URLResolver], site_urlpatterns),
]
