"""Read-only admin lists of match runs, proposals and notifications sent, scoped to the staff
member's district.

Proposals are decided in the coordinator queue, never here: the admin only shows them. A
notification's words (and a neighbour's phone number) are personal data: only the district
staff of the case's district and superusers read them, and each reading is logged.
"""

import json
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from projects.admin_scoping import DistrictScopedAdmin
from projects.models import StaffMember
from projects.selectors import staff_member_for
from residents.admin_access import PersonalDataAdmin
from residents.services import AccessSubject

from .models import MatchProposal, MatchRun, Notification, Referral
from .selectors import notification_subject


class ReadOnlyAdmin(PersonalDataAdmin, DistrictScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    shows_personal_data = False
    list_display = [
        "started_at",
        "district",
        "status",
        "considered",
        "proposed",
        "unmatched_no_eligible",
        "unmatched_no_place",
        "solver_seconds",
        "total_seconds",
        "attempts",
    ]
    list_filter = ["status", "district"]
    list_select_related = ["district"]
    date_hierarchy = "started_at"


@admin.register(MatchProposal)
class MatchProposalAdmin(ReadOnlyAdmin):
    # The reasons repeat the applicant's age, household type and groups.
    shows_personal_data = True
    district_lookup = "project__district"
    list_display = [
        "created_at",
        "application_ref",
        "project",
        "score",
        "score_parts",
        "status",
        "neighbourhood",
        "decided_at",
    ]
    list_filter = ["status", "project__area"]
    list_select_related = ["application__neighbourhood", "project"]
    search_fields = ["project__title"]
    # The application by number only: the applicant's name is personal data, read in the
    # coordinator's queue where each reading is logged, not here.
    readonly_fields = ["application_ref", "reasons_shown"]
    exclude = ["reasons", "application"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("application__neighbourhood", "project")

    def personal_data_subjects(
        self, request: HttpRequest, objs: list[Model], *, detail: bool
    ) -> list[AccessSubject]:
        return [AccessSubject(application_id=getattr(obj, "application_id", None)) for obj in objs]

    @admin.display(description=_("application"), ordering="application_id")
    def application_ref(self, proposal: MatchProposal) -> str:
        return f"#{proposal.application_id}"

    @admin.display(description=_("neighbourhood"))
    def neighbourhood(self, proposal: MatchProposal) -> str:
        return str(proposal.application.neighbourhood)

    @admin.display(description=_("score parts"))
    def score_parts(self, proposal: MatchProposal) -> str:
        parts = dict((proposal.reasons or {}).get("score", {}))
        parts.pop("total", None)
        return ", ".join(f"{key} {value}" for key, value in parts.items() if value)

    @admin.display(description=_("reasons"))
    def reasons_shown(self, proposal: MatchProposal) -> SafeString:
        return format_html(
            "<pre>{}</pre>", json.dumps(proposal.reasons, indent=2, ensure_ascii=False)
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    shows_personal_data = True
    list_display = ["sent_at", "kind", "recipient_shown", "channel", "about", "district"]
    list_filter = ["kind", "channel", ("sent_at", admin.DateFieldListFilter)]
    search_fields = ["object_key", "user__username", "user__first_name", "user__last_name"]
    list_select_related = ["user", "district"]
    date_hierarchy = "sent_at"
    fields_always = ("sent_at", "kind", "channel", "recipient_shown", "user", "about", "district")

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        # Only superusers see more than one district, so only they filter by it.
        filters = list(self.list_filter)
        return [*filters, "district"] if request.user.is_superuser else filters

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if obj is not None and self.may_read_words(request):
            return (*self.fields_always, "recipient", "subject", "body")
        return tuple(self.fields_always)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> tuple[str, ...]:
        return self.get_fields(request, obj)

    def may_read_words(self, request: HttpRequest) -> bool:
        """Superusers, and district staff (not coordinators) of the row's district: the
        scoped queryset has already limited a staff member to their own district's rows."""
        if request.user.is_superuser:
            return True
        memo = request.__dict__
        if "_reads_notification_words" not in memo:  # asked several times per page
            member = staff_member_for(request.user)
            memo["_reads_notification_words"] = (
                member is not None and member.role == StaffMember.Role.STAFF
            )
        return bool(memo["_reads_notification_words"])

    def personal_data_subjects(
        self, request: HttpRequest, objs: list[Model], *, detail: bool
    ) -> list[AccessSubject]:
        """The list names the account a message went to (a neighbour by four digits only);
        the detail page, to those who read the words, whose case the message was about."""
        subjects = []
        for notification in objs:
            assert isinstance(notification, Notification)
            if detail and self.may_read_words(request):
                about = notification_subject(notification)
                subjects.append(
                    AccessSubject(
                        user_id=about.user.pk if about.user else None,
                        application_id=about.application_id,
                        referral_id=about.referral_id,
                    )
                )
            elif notification.user_id:
                subjects.append(AccessSubject(user_id=notification.user_id))
        return subjects

    @admin.display(description=_("recipient"))
    def recipient_shown(self, notification: Notification) -> str:
        # The list never shows a neighbour's whole phone number: the last four digits tell
        # messages apart, the detail page shows the rest to those who may read it.
        if notification.user is not None:
            return str(notification.user)
        channel, _sep, address = notification.recipient.partition(":")
        return f"{channel}:···{address[-4:]}" if address else notification.recipient

    @admin.display(description=_("about"), ordering="object_key")
    def about(self, notification: Notification) -> str:
        key = notification.object_key
        if notification.kind == Notification.Kind.APPLICATION_EVENT:
            return _("application event #%(id)s") % {"id": key}
        if notification.kind == Notification.Kind.REFERRAL_STATUS:
            pk, _sep, status = key.partition(":")
            label = Referral.Status(status).label if status in Referral.Status.values else status
            return _("referral #%(id)s: %(status)s") % {"id": pk, "status": label}
        if notification.kind == Notification.Kind.REFERRAL_CONVERTED:
            return _("application #%(id)s") % {"id": key}
        return key  # a digest's day
