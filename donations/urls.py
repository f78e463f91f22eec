from django.urls import URLPattern, URLResolver

app_name = "donations"

urlpatterns: list[URLPattern | URLResolver] = []
