"""The API's routes, included at /api/ under the namespace "api" (``reverse("api:schema")``).

Each app's routes come from its own ``<app>/api_urls.py``, included here with the prefix "".
"""

from csp.decorators import csp_update
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from residents.apis import LogoutAllApi, LogoutApi, TokenObtainApi

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
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
