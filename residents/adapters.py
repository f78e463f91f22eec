from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from .models import ResidentProfile


class AccountAdapter(DefaultAccountAdapter):
    """After the first login a resident lands on the short profile and consent step."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_staff
            and not ResidentProfile.objects.filter(user_id=user.pk).exists()
        ):
            return reverse("residents:profile")
        return super().get_login_redirect_url(request)
