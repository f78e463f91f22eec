"""The coordinator queue's API routes and the staff's match runs, included at /api/ (names in
the "api" namespace)."""

from django.urls import URLPattern, URLResolver, path

from .. import runs_apis
from . import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("queue/", apis.QueueListApi.as_view(), name="queue-list"),
    path("queue/counts/", apis.QueueCountsApi.as_view(), name="queue-counts"),
    path(
        "queue/applications/<uuid:public_id>/",
        apis.QueueApplicationDetailApi.as_view(),
        name="queue-application-detail",
    ),
    path(
        "queue/applications/<uuid:public_id>/outcome/",
        apis.OutcomeRecordApi.as_view(),
        name="outcome-record",
    ),
    path(
        "queue/proposals/<int:pk>/accept/",
        apis.ProposalAcceptApi.as_view(),
        name="proposal-accept",
    ),
    path(
        "queue/proposals/<int:pk>/reject/",
        apis.ProposalRejectApi.as_view(),
        name="proposal-reject",
    ),
    path("queue/proposals/<int:pk>/hold/", apis.ProposalHoldApi.as_view(), name="proposal-hold"),
    path(
        "queue/proposals/<int:pk>/reassign/",
        apis.ProposalReassignApi.as_view(),
        name="proposal-reassign",
    ),
    path(
        "queue/referrals/<uuid:public_id>/",
        apis.QueueReferralDetailApi.as_view(),
        name="queue-referral-detail",
    ),
    path(
        "queue/referrals/<uuid:public_id>/contact/",
        apis.ReferralContactApi.as_view(),
        name="referral-contact",
    ),
    path(
        "queue/referrals/<uuid:public_id>/convert/",
        apis.ReferralConvertApi.as_view(),
        name="referral-convert",
    ),
    path(
        "queue/referrals/<uuid:public_id>/close/",
        apis.ReferralCloseApi.as_view(),
        name="referral-close",
    ),
    # The staff's: matching passes over their district.
    path("staff/match-runs/", runs_apis.MatchRunListApi.as_view(), name="match-run-list"),
    path(
        "staff/match-runs/start/",
        runs_apis.MatchRunStartApi.as_view(),
        name="match-run-start",
    ),
]
