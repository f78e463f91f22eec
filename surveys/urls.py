from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.survey_list, name="list"),
    path("<int:pk>/", views.answer, name="answer"),
    path("<int:pk>/thanks/", views.thanks, name="thanks"),
    path("follow-up/<int:pk>/", views.follow_up, name="follow_up"),
]
