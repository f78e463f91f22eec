from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "matching"

urlpatterns: list[URLPattern | URLResolver] = [
    path("apply/", views.apply, name="apply"),
    path("applications/<uuid:public_id>/", views.application_detail, name="application"),
    path(
        "applications/<uuid:public_id>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("refer/", views.refer, name="refer"),
    path("referrals/<uuid:public_id>/", views.referral_detail, name="referral"),
    path("me/", views.my_page, name="my_page"),
    path("me/receipts/<int:pk>/", views.receipt, name="receipt"),
    path("me/delete/", views.account_delete, name="account_delete"),
]
