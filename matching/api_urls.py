"""The matching app's API routes for residents, included at /api/ (names in the "api"
namespace): the requester's own applications and referrals, below me/."""

from django.urls import URLPattern, URLResolver, path

from . import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/applications/", apis.ApplicationListApi.as_view(), name="application-list"),
    path("me/applications/create/", apis.ApplicationCreateApi.as_view(), name="application-create"),
    path(
        "me/applications/<uuid:public_id>/",
        apis.ApplicationDetailApi.as_view(),
        name="application-detail",
    ),
    path(
        "me/applications/<uuid:public_id>/withdraw/",
        apis.ApplicationWithdrawApi.as_view(),
        name="application-withdraw",
    ),
    path("me/referrals/", apis.ReferralListApi.as_view(), name="referral-list"),
    path("me/referrals/create/", apis.ReferralCreateApi.as_view(), name="referral-create"),
    path(
        "me/referrals/<uuid:public_id>/", apis.ReferralDetailApi.as_view(), name="referral-detail"
    ),
]
