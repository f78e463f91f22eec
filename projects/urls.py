from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "projects"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.project_list, name="list"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/join/", views.project_join, name="join"),
    path(
        "invitations/<str:token>/",
        views.coordinator_invitation,
        name="coordinator_invitation",
    ),
]
