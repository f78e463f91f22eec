"""The surveys app's API routes, included at /api/ (names in the "api" namespace): the
requester's surveys, follow-ups and responses, below me/."""

from django.urls import URLPattern, URLResolver, path

from . import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/surveys/", apis.SurveyListApi.as_view(), name="survey-list"),
    path("me/surveys/<int:pk>/", apis.SurveyDetailApi.as_view(), name="survey-detail"),
    path("me/surveys/<int:pk>/answer/", apis.SurveyAnswerApi.as_view(), name="survey-answer"),
    path("me/follow-ups/", apis.FollowUpListApi.as_view(), name="follow-up-list"),
    path("me/follow-ups/<int:pk>/", apis.FollowUpDetailApi.as_view(), name="follow-up-detail"),
    path(
        "me/follow-ups/<int:pk>/answer/",
        apis.FollowUpAnswerApi.as_view(),
        name="follow-up-answer",
    ),
    path(
        "me/survey-responses/",
        apis.SurveyResponseListApi.as_view(),
        name="survey-response-list",
    ),
]
