"""The talents app's API routes, included at /api/ (names in the "api" namespace): the
requester's own talent offers, below me/."""

from django.urls import URLPattern, URLResolver, path

from . import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/talent-offers/", apis.TalentOfferListApi.as_view(), name="talent-offer-list"),
    path(
        "me/talent-offers/create/",
        apis.TalentOfferCreateApi.as_view(),
        name="talent-offer-create",
    ),
    path(
        "me/talent-offers/<int:pk>/",
        apis.TalentOfferDetailApi.as_view(),
        name="talent-offer-detail",
    ),
    path(
        "me/talent-offers/<int:pk>/withdraw/",
        apis.TalentOfferWithdrawApi.as_view(),
        name="talent-offer-withdraw",
    ),
]
