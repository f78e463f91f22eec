from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "donations"

urlpatterns: list[URLPattern | URLResolver] = [
    path("pledge/", views.pledge, name="pledge"),
]
