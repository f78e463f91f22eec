"""The donations app's API routes, included at /api/ (names in the "api" namespace): the
requester's own pledges and receipts, below me/."""

from django.urls import URLPattern, URLResolver, path

from . import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("me/pledges/", apis.PledgeListApi.as_view(), name="pledge-list"),
    path("me/pledges/create/", apis.PledgeCreateApi.as_view(), name="pledge-create"),
    path("me/pledges/<int:pk>/", apis.PledgeDetailApi.as_view(), name="pledge-detail"),
    path("me/receipts/", apis.ReceiptListApi.as_view(), name="receipt-list"),
    path("me/receipts/<int:pk>/", apis.ReceiptDetailApi.as_view(), name="receipt-detail"),
]
