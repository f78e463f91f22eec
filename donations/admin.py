"""The staff admin of donations: pledges are read and marked received or cancelled here
(through the services); receipts are tax documents and only viewed."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from projects.admin_scoping import DistrictScopedAdmin
from residents.admin_access import PersonalDataAdmin

from .models import DonationPledge, DonationReceipt
from .services import pledge_cancel, pledge_mark_received


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _run_per_pledge(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[DonationPledge],
    service: Callable[[DonationPledge], str],
) -> None:
    """Call the service for each selected pledge and report each one's outcome."""
    for pledge in queryset:
        try:
            text = service(pledge)
        except ValidationError as error:
            modeladmin.message_user(
                request,
                _("%(pledge)s: %(error)s") % {"pledge": pledge, "error": _error_text(error)},
                messages.ERROR,
            )
        else:
            modeladmin.message_user(request, text, messages.SUCCESS)


@admin.register(DonationPledge)
class DonationPledgeAdmin(PersonalDataAdmin, DistrictScopedAdmin):
    shows_personal_data = True
    personal_data_owner = "donor"
    district_lookup = "project__district"
    list_display = [
        "donor",
        "project",
        "kind",
        "amount_won",
        "goods",
        "status",
        "anonymous",
        "received_at",
        "receipt_number",
    ]
    list_filter = ["status", "kind", "project__area"]
    search_fields = [
        "donor__username",
        "donor__first_name",
        "donor__last_name",
        "donor__email",
        "project__title",
        "goods_description",
        "receipt__number",
    ]
    list_select_related = ["donor", "project", "receipt"]
    date_hierarchy = "created_at"
    actions = ["mark_received", "cancel"]
    # Pledges change only through the services (the actions above).
    readonly_fields = [
        "donor",
        "project",
        "kind",
        "amount_won",
        "goods_description",
        "goods_quantity",
        "status",
        "anonymous",
        "received_at",
        "receipt_number",
        "created_at",
    ]
    fields = tuple(readonly_fields)

    def get_queryset(self, request: HttpRequest) -> QuerySet[DonationPledge]:
        return super().get_queryset(request).select_related("donor", "project", "receipt")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.display(description=_("goods"))
    def goods(self, pledge: DonationPledge) -> str:
        if pledge.kind != DonationPledge.Kind.GOODS:
            return ""
        return f"{pledge.goods_description} ({pledge.goods_quantity})"

    @admin.display(description=_("receipt number"), ordering="receipt__number")
    def receipt_number(self, pledge: DonationPledge) -> str:
        receipt = getattr(pledge, "receipt", None)
        return receipt.number if receipt else ""

    @admin.action(description=_("Mark received (money gets its receipt)"), permissions=["change"])
    def mark_received(self, request: HttpRequest, queryset: QuerySet[DonationPledge]) -> None:
        def mark(pledge: DonationPledge) -> str:
            received = pledge_mark_received(pledge=pledge, by=request.user)  # type: ignore[arg-type]
            receipt = getattr(received, "receipt", None)
            if receipt is not None:
                return _("%(pledge)s: marked received; receipt %(number)s issued.") % {
                    "pledge": received,
                    "number": receipt.number,
                }
            return _("%(pledge)s: marked received.") % {"pledge": received}

        _run_per_pledge(self, request, queryset, mark)

    @admin.action(description=_("Cancel the pledge"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[DonationPledge]) -> None:
        def cancel_one(pledge: DonationPledge) -> str:
            cancelled = pledge_cancel(pledge=pledge)
            return _("%(pledge)s: cancelled.") % {"pledge": cancelled}

        _run_per_pledge(self, request, queryset, cancel_one)


@admin.register(DonationReceipt)
class DonationReceiptAdmin(PersonalDataAdmin, DistrictScopedAdmin):
    """Receipts are issued by the service when money is received; here they are only read."""

    shows_personal_data = True
    personal_data_owner = "pledge__donor"

    district_lookup = "district"
    list_display = [
        "number",
        "issued_on",
        "donor_name",
        "amount_won",
        "organisation_name",
        "district",
    ]
    search_fields = ["number", "donor_name", "organisation_name"]
    list_select_related = ["district", "pledge"]
    date_hierarchy = "issued_on"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
