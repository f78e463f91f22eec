from django.urls import URLPattern, URLResolver, path

from . import views

# No app_name: the home page keeps the plain name "home" that the site layout links to
# ({% url 'home' %} in base.html). Later pages of this app can live in a namespaced include.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
]
