from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from projects.models import StaffMember

from .models import ResidentProfile


class AccountAdapter(DefaultAccountAdapter):
    """After the first login a resident lands on the short profile and consent step; a
    coordinator, who works rather than asks for help here, lands on the match queue."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if not user.is_authenticated:
            return super().get_login_redirect_url(request)
        role = StaffMember.objects.filter(user_id=user.pk).values_list("role", flat=True).first()
        if role == StaffMember.Role.COORDINATOR:
            return reverse("queue:index")
        if (
            role is None
            and not user.is_staff
            and not ResidentProfile.objects.filter(user_id=user.pk).exists()
        ):
            return reverse("residents:profile")
        return super().get_login_redirect_url(request)
