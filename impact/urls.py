from django.urls import URLPattern, URLResolver, include, path

from . import views

# The impact pages under their own namespace ("impact:page", "impact:report").
impact_patterns: list[URLPattern | URLResolver] = [
    path("", views.impact_page, name="page"),
    path("report/", views.report, name="report"),
]

# No app_name here: the home page keeps the plain name "home" that the site layout links to
# ({% url 'home' %} in base.html); the impact pages are a namespaced include beside it.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("impact/", include((impact_patterns, "impact"))),
]
