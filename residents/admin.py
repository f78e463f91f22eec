"""The staff admin of residents: accounts, and (read only) profiles and consents.

A resident's profile and consents change only through the resident's own pages (the
services check the consent rules), so here they are viewed, never added, changed or deleted.
Staff see the residents of their own district: those whose profile neighbourhood is in it.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model
from django.http import HttpRequest

from projects.admin_scoping import DistrictScopedAdmin

from .models import Consent, ResidentProfile, User

admin.site.register(User, UserAdmin)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ResidentProfile)
class ResidentProfileAdmin(ReadOnlyAdminMixin, DistrictScopedAdmin):
    district_lookup = "neighbourhood__district"
    # The list shows no contact details; the phone number is on the detail page only.
    list_display = [
        "user",
        "neighbourhood",
        "birth_year",
        "household_type",
        "preferred_language",
        "notification_channel",
    ]
    list_filter = [
        ("neighbourhood", admin.RelatedOnlyFieldListFilter),
        "household_type",
        "preferred_language",
        "notification_channel",
    ]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    list_select_related = ["user", "neighbourhood"]
    readonly_fields = [
        "user",
        "neighbourhood",
        "birth_year",
        "household_type",
        "target_groups",
        "phone",
        "preferred_language",
        "notification_channel",
        "created_at",
        "updated_at",
    ]
    fields = tuple(readonly_fields)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdminMixin, DistrictScopedAdmin):
    district_lookup = "user__profile__neighbourhood__district"
    list_display = ["user", "kind", "text_version", "given_at", "withdrawn_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__email", "text_version"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "text_version", "given_at", "withdrawn_at"]
    fields = tuple(readonly_fields)
