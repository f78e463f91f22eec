from django.urls import URLPattern, URLResolver

app_name = "talents"

urlpatterns: list[URLPattern | URLResolver] = []
