from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "residents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("profile/", views.profile, name="profile"),
    path("consents/", views.consents, name="consents"),
    path("consents/<slug:kind>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
