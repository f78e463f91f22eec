"""The API's routes, included at /api/ under the namespace "api" (``reverse("api:schema")``).

Each app's routes come from its own ``<app>/api_urls.py``, included here with the prefix "".
"""

from typing import Any

from csp.decorators import csp_update
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

from residents.apis import LogoutAllApi, LogoutApi, TokenObtainApi

from .api_schema import DOCUMENT_LANGUAGE

app_name = "api"


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, always drawn and written in English: names, titles and
    descriptions never change with Accept-Language or ``?lang=``."""

    @extend_schema(exclude=True)  # the document does not describe itself (as drf-spectacular's)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # drf-spectacular's own get() would switch to the language of ?lang=.
        with translation.override(DOCUMENT_LANGUAGE):
            response: Response = self._get_schema_response(request)
            return response

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with translation.override(DOCUMENT_LANGUAGE):
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, Response):
                response.render()  # now, while English is active: lazy texts become English
        response["Content-Language"] = DOCUMENT_LANGUAGE
        return response


urlpatterns: list[URLPattern | URLResolver] = [
    # Always in English: one document whatever the request's language (welfare_net/api_schema.py).
    path("schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its script from this address rather than inline, and our template
    # takes its style from a file: no inline script or style. The one loosening of the site's
    # Content-Security-Policy: Swagger UI's stylesheet draws its icons as data: images.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="api/docs.html"
            )
        ),
        name="docs",
    ),
    path("auth/token/", TokenObtainApi.as_view(), name="auth-token"),
    path("auth/logout/", LogoutApi.as_view(), name="auth-logout"),
    path("auth/logout-all/", LogoutAllApi.as_view(), name="auth-logout-all"),
    path("", include("projects.api_urls")),
    path("", include("matching.queue.api_urls")),
    path("", include("residents.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("talents.api_urls")),
    path("", include("donations.api_urls")),
    path("", include("surveys.api_urls")),
]
