from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "queue"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("applications/<uuid:public_id>/", views.application_detail, name="application"),
    path(
        "applications/<uuid:public_id>/outcome/",
        views.application_outcome,
        name="application_outcome",
    ),
    path("proposals/accept/", views.bulk_accept, name="bulk_accept"),
    path("proposals/<int:pk>/<slug:action>/", views.proposal_decide, name="decide"),
    path("referrals/<uuid:public_id>/", views.referral_detail, name="referral"),
    path("referrals/<uuid:public_id>/<slug:action>/", views.referral_act, name="referral_act"),
]
