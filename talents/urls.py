from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "talents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("offer/", views.offer, name="offer"),
]
