"""Who may use the staff's API doors: district staff, in their own district, and superusers."""

from typing import Any

from django.db.models import QuerySet
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .models import District
from .selectors import districts_run_by

_DISTRICTS = "_districts_run_by"


def requester_districts(request: Request) -> QuerySet[District] | None:
    """The districts the requester runs (``districts_run_by``), read once per request: the
    permission asks first, the door and its serializer after it."""
    if not hasattr(request, _DISTRICTS):
        setattr(request, _DISTRICTS, districts_run_by(request.user))
    found: QuerySet[District] | None = getattr(request, _DISTRICTS)
    return found


class IsDistrictStaff(BasePermission):
    """District staff and superusers, as in the admin, where they register projects and read
    match runs. Coordinators only read projects there: here they, and residents, get 403;
    a row of another district is then not found (404), because every door looks it up among
    the requester's districts."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return requester_districts(request) is not None
