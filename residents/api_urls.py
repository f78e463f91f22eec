"""The residents app's API routes, included at /api/ (names in the "api" namespace): the
consent texts, and the resident's own profile and consents below me/."""

from django.urls import URLPattern, URLResolver, path

from . import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("consent-texts/", apis.ConsentTextListApi.as_view(), name="consent-text-list"),
    path("me/profile/", apis.ProfileDetailApi.as_view(), name="profile-detail"),
    path("me/profile/update/", apis.ProfileUpdateApi.as_view(), name="profile-update"),
    path("me/consents/", apis.ConsentListApi.as_view(), name="consent-list"),
    path("me/consents/give/", apis.ConsentGiveApi.as_view(), name="consent-give"),
    path(
        "me/consents/<str:kind>/withdraw/",
        apis.ConsentWithdrawApi.as_view(),
        name="consent-withdraw",
    ),
]
