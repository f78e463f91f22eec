from django.urls import URLPattern, path

from .apis import ImpactAPI

urlpatterns: list[URLPattern] = [path("", ImpactAPI.as_view(), name="impact-api")]
