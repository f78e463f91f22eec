"""The OpenAPI schema class (``DEFAULT_SCHEMA_CLASS``): drf-spectacular's, with the error
responses of each operation documented in the common ``Error`` shape of ``welfare_net.api``."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import AllowAny

from .api import ErrorSerializer

ERROR_DESCRIPTIONS: dict[str, StrOrPromise] = {
    "400": _("The request is not valid (code invalid, or a more specific one)."),
    "401": _("No valid token or session (not_authenticated, authentication_failed)."),
    "403": _("Logged in, but not allowed (permission_denied)."),
    "404": _("Not found, or not yours (not_found)."),
    "415": _("The body is not JSON (unsupported_media_type)."),
    "429": _("Too many requests (throttled); see Retry-After."),
}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error responses each operation can give, all in
    the ``Error`` shape. A view adds more with ``extend_schema(responses=...)``."""

    def _error_statuses(self) -> list[str]:
        view: Any = self.view
        statuses = []
        paginated = self._is_list_view() and self._get_paginator() is not None
        if self.method in WRITE_METHODS or getattr(view, "filterset_class", None):
            statuses.append("400")
        if getattr(view, "authentication_classes", None):
            statuses.append("401")
        if any(p is not AllowAny for p in getattr(view, "permission_classes", [])):
            statuses.append("403")
        if "{" in self.path or paginated:
            statuses.append("404")  # an unknown id, or a page past the end
        if self.method in ("POST", "PUT", "PATCH"):
            statuses.append("415")
        if getattr(view, "throttle_classes", None):
            statuses.append("429")
        return statuses

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            if status not in responses:
                description = str(ERROR_DESCRIPTIONS[status])
                responses[status] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), status
                )
        return responses
