"""Read-only admin lists of match runs and proposals, scoped to the staff member's district.

Proposals are decided in the coordinator queue, never here: the admin only shows them.
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

from .models import MatchProposal, MatchRun


class ReadOnlyAdmin(DistrictScopedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
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
    district_lookup = "project__district"
    list_display = [
        "created_at",
        "application",
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
    readonly_fields = ["reasons_shown"]
    exclude = ["reasons"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("application__neighbourhood", "project")

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
