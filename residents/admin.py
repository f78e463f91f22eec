"""The staff admin of residents: accounts, and (read only) profiles and consents.

A resident's profile and consents change only through the resident's own pages (the
services check the consent rules), so here they are viewed, never added, changed or deleted.
Staff see the residents of their own district: those whose profile neighbourhood is in it.
Every opening of a profile is written to the personal-data access log, which is itself read
only here (no one, superusers included, may add, change or delete a row) and exportable as CSV.
"""

import csv
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from projects.admin_scoping import DistrictScopedAdmin

from .models import Consent, PersonalDataAccess, ResidentProfile, User
from .services import personal_data_access_record

admin.site.register(User, UserAdmin)


# knox's own admin lets a superuser make a token for anyone; ours only lists and deletes.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The apps' tokens, one per device: who, since when, until when. Only digests are
    stored, so nothing here can be used to sign in; deleting one signs that device out.
    Tokens are issued only at /api/auth/token/."""

    list_display = ["user", "token_key", "created", "expiry"]
    search_fields = ["user__username", "user__email", "token_key"]
    readonly_fields = ["user", "token_key", "created", "expiry"]
    fields = ["user", "token_key", "created", "expiry"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


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

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        # One log row per opening of a profile the viewer may see; redirects (out of scope,
        # missing) and refused posts show no data and are not logged.
        profile = (
            response.context_data.get("original")
            if isinstance(response, TemplateResponse) and response.context_data
            else None
        )
        if request.method == "GET" and response.status_code == 200 and profile is not None:
            personal_data_access_record(
                viewer=request.user,  # type: ignore[arg-type]
                subject_user=profile.user,
                view_name="admin:residents_residentprofile_change",
                # The admin does not ask why; the log says so rather than guess.
                reason=PersonalDataAccess.Reason.OTHER,
            )
        return response


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdminMixin, DistrictScopedAdmin):
    district_lookup = "user__profile__neighbourhood__district"
    list_display = ["user", "kind", "text_version", "given_at", "withdrawn_at"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__email", "text_version"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "text_version", "given_at", "withdrawn_at"]
    fields = tuple(readonly_fields)


@admin.action(description=_("Export the selected rows as CSV"))
def export_accesses_csv(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[PersonalDataAccess]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="personal-data-accesses-{stamp}.csv"'
    response.write("\ufeff")  # BOM: spreadsheet programs then read the Korean correctly
    writer = csv.writer(response)
    writer.writerow(
        [
            _("viewed at"),
            _("viewed by"),
            _("whose data"),
            _("support application id"),
            _("referral id"),
            _("page viewed"),
            _("reason"),
        ]
    )
    for access in queryset.select_related("viewer", "subject_user").order_by("at", "pk"):
        writer.writerow(
            [
                timezone.localtime(access.at).isoformat(),
                access.viewer.get_username(),
                access.subject_user.get_username() if access.subject_user else "",
                access.subject_application_id or "",
                access.subject_referral_id or "",
                access.view_name,
                access.get_reason_display(),
            ]
        )
    return response


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, DistrictScopedAdmin):
    # Scoped by the viewer's district: staff audit what their own district's staff viewed.
    district_lookup = "viewer__staff_member__district"
    list_display = [
        "at",
        "viewer",
        "subject_user",
        "subject_application_id",
        "subject_referral_id",
        "view_name",
        "reason",
    ]
    list_filter = ["reason", ("at", admin.DateFieldListFilter)]
    search_fields = ["viewer__username", "viewer__first_name", "viewer__last_name", "viewer__email"]
    list_select_related = ["viewer", "subject_user"]
    date_hierarchy = "at"
    actions = [export_accesses_csv]
    readonly_fields = [
        "at",
        "viewer",
        "subject_user",
        "subject_application_id",
        "subject_referral_id",
        "view_name",
        "reason",
    ]
    fields = tuple(readonly_fields)
