"""Reads about projects and the districts staff work for."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from .models import StaffMember


def staff_member_for(user: AbstractBaseUser | AnonymousUser) -> StaffMember | None:
    """The district role of a logged-in user, or None for residents and anonymous users."""
    if not user.is_authenticated:
        return None
    try:
        return StaffMember.objects.select_related("district").get(user_id=user.pk)
    except StaffMember.DoesNotExist:
        return None
