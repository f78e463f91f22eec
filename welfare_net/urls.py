from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path(f"{settings.ADMIN_URL}", admin.site.urls),
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
]
