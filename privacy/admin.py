"""The staff export of one resident's data, on their request of access: an action of the
resident profiles' admin, which this module extends (residents sits at the bottom and may not
import the apps whose data the export gathers).

Who may export whom: superusers anyone; district staff (not coordinators) the residents whose
profile lies in their own district, the rows the profiles' admin already limits them to. The
district where a resident lives answers their request, with everything the platform holds on
them, other districts' records included: the resident asks once. Staff of another district
do not see the profile, so cannot export it, even where the resident once applied there.
Every export writes a row to the personal-data access log (reason: data export).
"""

import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import StaffMember
from projects.selectors import staff_member_for
from residents.admin import ResidentProfileAdmin as BaseResidentProfileAdmin
from residents.models import ResidentProfile

from .services import resident_data_export_record

admin.site.unregister(ResidentProfile)


@admin.register(ResidentProfile)
class ResidentProfileAdmin(BaseResidentProfileAdmin):
    actions = ["export_resident_data"]

    def has_export_permission(self, request: HttpRequest) -> bool:
        if request.user.is_superuser:
            return True
        memo = request.__dict__
        if "_may_export_resident_data" not in memo:  # asked several times per list page
            member = staff_member_for(request.user)
            memo["_may_export_resident_data"] = (
                member is not None
                and member.role == StaffMember.Role.STAFF
                and self.has_view_permission(request)
            )
        return bool(memo["_may_export_resident_data"])

    @admin.action(
        description=_("Export the resident's data (their request of access)"),
        permissions=["export"],
    )
    def export_resident_data(
        self, request: HttpRequest, queryset: QuerySet[ResidentProfile]
    ) -> HttpResponse | None:
        # The queryset holds only the selected profiles this user may see (their district).
        profiles = list(queryset.select_related("user")[:2])
        if len(profiles) != 1:
            self.message_user(
                request,
                _("Export one resident at a time: select only the resident who asked."),
                messages.WARNING,
            )
            return None
        resident = profiles[0].user
        data = resident_data_export_record(viewer=request.user, resident=resident)  # type: ignore[arg-type]
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="resident-data-{resident.pk}-{stamp}.json"'
        )
        return response
