"""District scoping for the staff admin: a staff member sees only their own district's rows.

Every ModelAdmin of district data mixes in ``DistrictScopedAdmin`` and names the lookup path
from its model to ``District`` in ``district_lookup``. Superusers see every district; a staff
user without a ``StaffMember`` row sees nothing.
"""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from .selectors import staff_member_for


def district_id_for_request(request: HttpRequest) -> int | None:
    """The district a request is limited to; None means unrestricted (a superuser)."""
    if request.user.is_superuser:
        return None
    cached = getattr(request, "_staff_district_id", "unset")
    if cached == "unset":
        member = staff_member_for(request.user)
        cached = member.district_id if member else 0  # 0 matches no district
        request._staff_district_id = cached  # type: ignore[attr-defined]
    return cached  # type: ignore[return-value]


class DistrictScopedAdmin(admin.ModelAdmin):
    district_lookup: str = "district"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        district_id = district_id_for_request(request)
        if district_id is None:
            return queryset
        return queryset.filter(**{self.district_lookup: district_id})

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def _in_scope(self, request: HttpRequest, obj: Model | None) -> bool:
        """Whether ``obj`` is one of the request's district rows; asked once per object and
        request (a change page checks view, change and delete several times)."""
        if obj is None or district_id_for_request(request) is None:
            return True  # superusers see every district
        memo: dict[tuple[type, Any], bool] = request.__dict__.setdefault("_in_scope_memo", {})
        key = (type(self), obj.pk)
        if key not in memo:
            memo[key] = self.get_queryset(request).filter(pk=obj.pk).exists()
        return memo[key]
