"""Who may use the queue's API doors, and which cases they reach: the website's rules."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .selectors import QueueScope, queue_scope_for

_SCOPE = "_queue_scope"


def requester_scope(request: Request) -> QueueScope | None:
    """The requester's queue (``queue_scope_for``), read once per request: the permission
    asks first, then the filters and the door."""
    if not hasattr(request, _SCOPE):
        setattr(request, _SCOPE, queue_scope_for(request.user))
    scope: QueueScope | None = getattr(request, _SCOPE)
    return scope


class IsQueueMember(BasePermission):
    """Staff members: coordinators (their neighbourhoods and areas) and district staff (their
    district), as the website's queue. Residents get 403 (the website's 404 page says nothing
    to a program), anonymous requests 401; a case outside the scope is not found (404),
    because every door looks it up among the scope's cases.

    Superusers work the queue through a staff member row of a district, as on the website:
    the queue is a district's, and a superuser without one has none."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return requester_scope(request) is not None
