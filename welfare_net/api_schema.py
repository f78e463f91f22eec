"""The OpenAPI schema class (``DEFAULT_SCHEMA_CLASS``): drf-spectacular's, with the error
responses of each operation documented in the common ``Error`` shape of ``welfare_net.api``;
and the hook that finishes the document (its view, always in English, is in api_urls.py).

The document is one file: it is drawn in English whatever the request's language (a client
generated from it keeps its type names), and it passes openapi-spec-validator and Redocly's
``recommended`` rules (a summary for every operation, a type beside every ``nullable``, a
server, the security of every operation stated, a licence). tests/api/test_schema_document.py
checks each of these.
"""

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from .api import ErrorSerializer

ERROR_DESCRIPTIONS: dict[str, StrOrPromise] = {
    "400": _("The request is not valid (code invalid, or a more specific one)."),
    "401": _("No valid token or session (not_authenticated, authentication_failed)."),
    "403": _("Logged in, but not allowed (permission_denied)."),
    "404": _("Not found, or not yours (not_found)."),
    "413": _("The body is larger than the site reads (body_too_large)."),
    "415": _("The body is not JSON (unsupported_media_type)."),
    "422": _(
        "Well formed, but it names something that does not exist or cannot be used now "
        "(code invalid, or a more specific one)."
    ),
    "429": _("Too many requests (throttled); see Retry-After."),
}
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SUMMARY_MAX = 90
NO_NUL = "^[^\\u0000]*$"
NOT_BLANK_NO_NUL = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
DOCUMENT_LANGUAGE = "en"


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error responses each operation can give, all in
    the ``Error`` shape. A view adds more with ``extend_schema(responses=...)``."""

    def _error_statuses(self) -> list[str]:
        view: Any = self.view
        statuses = []
        paginated = self._is_list_view() and self._get_paginator() is not None
        if self.method in WRITE_METHODS or getattr(view, "filterset_class", None) or paginated:
            statuses.append("400")  # paginated: page_size outside 1-100
        if getattr(view, "authentication_classes", None):
            statuses.append("401")
        if any(p is not AllowAny for p in getattr(view, "permission_classes", [])):
            statuses.append("403")
        if "{" in self.path or paginated:
            statuses.append("404")  # an unknown id, or a page past the end
        if self.method in ("POST", "PUT", "PATCH"):
            statuses += ["413", "415"]
        if getattr(view, "throttle_classes", None):
            statuses.append("429")
        return statuses

    def get_summary(self) -> str | None:
        """The first sentence of the operation's description, else its operation id in words."""
        summary = super().get_summary()
        if summary:
            return str(summary)
        paragraph = str(self.get_description() or "").strip().split("\n\n")[0]
        sentence = re.split(r"(?<=[.;:])\s", " ".join(paragraph.split()))[0].rstrip(".;:")
        if sentence.count("(") > sentence.count(")") or len(sentence) > SUMMARY_MAX:
            sentence = sentence.split(" (")[0]  # the aside in brackets can wait
        if sentence and len(sentence) <= SUMMARY_MAX:
            return sentence
        return str(self.get_operation_id()).replace("_", " ").capitalize()

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF refuses an empty list where allow_empty=False; drf-spectacular does not say so.
        if (
            isinstance(schema, dict)
            and schema.get("type") == "array"
            and getattr(field, "allow_empty", True) is False
        ):
            schema.setdefault("minItems", 1)
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and isinstance(schema, dict)
            and schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & set(schema)
        ):
            # DRF refuses NUL in any text, and, unless blank is allowed, text that is blank
            # once trimmed ("\r"): the pattern says both, so a client knows before it asks.
            blank = field.allow_blank or not field.trim_whitespace
            schema["pattern"] = NO_NUL if blank else NOT_BLANK_NO_NUL
        return schema

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        # NO_NUL admits "" itself: no oneOf [pattern, blank], where "" would match both.
        no_nul = schema.pop("pattern") if schema.get("pattern") == NO_NUL else None
        super()._insert_field_validators(field, schema)
        if no_nul is not None and "pattern" not in schema and "oneOf" not in schema:
            schema["pattern"] = no_nul
        # drf-spectacular draws a field that takes a pattern or blank as oneOf [pattern,
        # blank], and leaves the default inside the pattern's alternative, where "" breaks it.
        for alternative in schema.get("oneOf", []):
            if "default" in alternative:
                schema["default"] = alternative.pop("default")

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        statuses = self._error_statuses()
        if "400" in statuses or "400" in responses:
            statuses.append("422")  # see welfare_net.api.UNPROCESSABLE_CODES
        for status in statuses:
            if status not in responses:
                description = str(ERROR_DESCRIPTIONS[status])
                responses[status] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=description), status
                )
        return responses


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref", "")
    if not ref.startswith("#/components/schemas/"):
        return node
    found: dict[str, Any] = schema["components"]["schemas"].get(ref.rsplit("/", 1)[1], {})
    return found


def _type_of(schema: dict[str, Any], node: dict[str, Any]) -> str | None:
    """The type a ``nullable`` schema's alternatives share (``allOf``/``oneOf`` of $refs)."""
    types = {
        _resolve(schema, part).get("type")
        for key in ("allOf", "oneOf", "anyOf")
        for part in node.get(key, [])
        if _resolve(schema, part).get("enum") != [None]  # NullEnum: the null itself
    }
    if len(types) == 1 and None not in types:
        return str(types.pop())
    if node.get("enum") is not None:
        kinds = {type(value) for value in node["enum"] if value is not None}
        names = {str: "string", int: "integer", bool: "boolean"}
        if len(kinds) == 1 and kinds.pop() in names:
            return names[type(next(v for v in node["enum"] if v is not None))]
    return None


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += _walk(value)
    elif isinstance(node, list):
        for value in node:
            found += _walk(value)
    return found


def postprocess_document(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """``POSTPROCESSING_HOOKS``: what Redocly's recommended rules ask of the document that
    drf-spectacular leaves out."""
    # security-defined: an operation drf-spectacular gives no security (the token endpoint,
    # which authenticates nobody) needs none, and says so.
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation.setdefault("security", [])
    # Spectral's operation-tag-defined: every tag an operation names is listed at the top.
    used = {
        tag
        for item in result.get("paths", {}).values()
        for operation in item.values()
        if isinstance(operation, dict)
        for tag in operation.get("tags", [])
    }
    listed = {tag["name"] for tag in result.get("tags", [])}
    result["tags"] = [*result.get("tags", []), *({"name": t} for t in sorted(used - listed))]
    # nullable-type-sibling: in OpenAPI 3.0 "nullable" qualifies a "type"; a nullable $ref
    # (allOf/oneOf) gets the type of what it refers to.
    for node in _walk(result):
        if node.get("nullable") is True and "type" not in node:
            kind = _type_of(result, node)
            if kind is not None:
                node["type"] = kind
    return result
