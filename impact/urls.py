from django.urls import URLPattern, URLResolver

app_name = "impact"

urlpatterns: list[URLPattern | URLResolver] = []
