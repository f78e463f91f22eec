"""The staff admin of residents: accounts, and (read only) profiles and consents.

A resident's profile and consents change only through the resident's own pages (the
services check the consent rules), so here they are viewed, never added, changed or deleted.
Staff see the residents of their own district: those whose profile neighbourhood is in it,
found by name, email or phone number. Every page showing a resident's data (lists and
searches included, in every app's admin: ``admin_access``) is written to the personal-data
access log, which is itself read only here (no one, superusers included, may add, change or
delete a row) and exportable as CSV. The other apps' admins of accounts (emails, API tokens,
login limits) are declared, and so logged, at the end of this module.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from projects.admin_scoping import DistrictScopedAdmin
from welfare_net import csv_safe

from .admin_access import PersonalDataAdmin, admin_declare, subjects_named
from .models import Consent, PersonalDataAccess, ResidentProfile, User
from .services import AccessSubject


@admin.register(User)
class AccountAdmin(PersonalDataAdmin, UserAdmin):
    shows_personal_data = True
    personal_data_owner = "pk"


# knox's own admin lets a superuser make a token for anyone; ours only lists and deletes.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(PersonalDataAdmin):
    """The apps' tokens, one per device: who, since when, until when. Only digests are
    stored, so nothing here can be used to sign in; deleting one signs that device out.
    Tokens are issued only at /api/auth/token/."""

    shows_personal_data = True
    personal_data_owner = "user"
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
class ResidentProfileAdmin(ReadOnlyAdminMixin, PersonalDataAdmin, DistrictScopedAdmin):
    shows_personal_data = True
    personal_data_owner = "user"
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
    # A resident who calls is found by their phone number too (the search is logged).
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "phone",
    ]
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
class ConsentAdmin(ReadOnlyAdminMixin, PersonalDataAdmin, DistrictScopedAdmin):
    shows_personal_data = True
    personal_data_owner = "user"
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
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = csv_safe.attachment(f"personal-data-accesses-{stamp}.csv")
    writer = csv_safe.writer(response)
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
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, PersonalDataAdmin, DistrictScopedAdmin):
    shows_personal_data = False
    not_personal_because = (
        "the log itself: reading it is the audit of the views it lists, and logging each "
        "reading would only repeat the residents it already names"
    )
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


# --- other apps' admins of accounts and of the site -----------------------------------


class _LoginNameSubjects(PersonalDataAdmin):
    """The login limit's rows name an account by the login name typed (its email, lower
    case), not by a key: read the accounts of a page's names in one query."""

    def personal_data_subjects(
        self, request: HttpRequest, objs: list[Model], *, detail: bool
    ) -> list[AccessSubject]:
        return subjects_named([str(getattr(obj, "username", "") or "") for obj in objs])


def _declare_other_apps() -> None:
    from allauth.account.models import EmailAddress
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_celery_beat import models as beat

    admin_declare(EmailAddress, shows_personal_data=True, owner="user")
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        admin_declare(model, shows_personal_data=True, extra=_LoginNameSubjects)
    admin_declare(Group, shows_personal_data=False)
    for schedule in (
        beat.PeriodicTask,
        beat.IntervalSchedule,
        beat.CrontabSchedule,
        beat.SolarSchedule,
        beat.ClockedSchedule,
    ):
        admin_declare(schedule, shows_personal_data=False)


_declare_other_apps()
