from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .health import healthz

# Below /api/ these answer in the API's JSON error shape; elsewhere with the site's pages.
handler404 = "welfare_net.api.handler404"
handler500 = "welfare_net.api.handler500"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("me/", include("residents.urls")),
    path("projects/", include("projects.urls")),
    path("support/", include("matching.urls")),
    path("queue/", include("matching.queue.urls")),
    path("donations/", include("donations.urls")),
    path("talents/", include("talents.urls")),
    path("surveys/", include("surveys.urls")),
    path("api/impact/", include("impact.api_urls")),
    path("api/", include("welfare_net.api_urls")),
    path("", include("impact.urls")),
]
