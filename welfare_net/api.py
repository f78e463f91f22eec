"""What every API door shares: the one error shape, pagination, ordering, throttling and
ETags. (The schema class that documents the errors is ``welfare_net/api_schema.py``: DRF's
settings import this module while DRF itself loads, so it must not import drf-spectacular;
the JSON parser is ``welfare_net/api_parsers.py``, since DRF's views read the parser setting
as they load, and this module imports them.)

The settings (``REST_FRAMEWORK`` in ``welfare_net/settings/base.py``) point here, so an
``<app>/apis.py`` view gets all of it by inheriting DRF's generic views.

Every error the API answers has one JSON shape, in the requester's language::

    {"code": "not_found", "message": "...", "errors": {"field": ["...", ...]}}

``code`` is stable and meant for programs; ``message`` is for people; ``errors`` names the
fields at fault (``non_field_errors`` for the request as a whole) and is ``{}`` otherwise.
"""

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.core.exceptions import ImproperlyConfigured, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django_stubs_ext import StrOrPromise
from rest_framework import exceptions, filters, pagination, serializers, throttling
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView, set_rollback

from .api_parsers import UnreadableBody

# Where the API lives; the 404 and 500 pages answer in JSON below it.
API_PREFIX = "/api/"

NON_FIELD_ERRORS = "non_field_errors"

# The message for each code, in plain words. DRF's own texts are used only where a view
# raised an exception with a message of its own (a custom ``detail``).
MESSAGES: dict[str, StrOrPromise] = {
    "invalid": _("Some of the information sent is not valid."),
    "parse_error": _("The request could not be read. Check that it is valid JSON."),
    "not_authenticated": _("Log in or send a valid token to use this."),
    "authentication_failed": _("The login details or the token are not valid."),
    "permission_denied": _("You are not allowed to do this."),
    "not_found": _("Nothing was found at this address."),
    "method_not_allowed": _("This address does not accept this method."),
    "not_acceptable": _("This address can only answer in JSON."),
    "unsupported_media_type": _("Send the request body as JSON."),
    "throttled": _("Too many requests. Please wait a moment and try again."),
    "body_too_large": _("The request is too large to read. Send less at a time."),
    "server_error": _("Something went wrong on our side. Please try again later."),
}


# DRF words these with technical detail (the method, the parser's complaint, seconds to wait);
# the plain message is ours, and Retry-After carries the seconds.
_FORMATTED_BY_DRF = frozenset(
    {"method_not_allowed", "throttled", "parse_error", "unsupported_media_type", "not_acceptable"}
)


class BodyTooLarge(exceptions.APIException):
    """A body past ``DATA_UPLOAD_MAX_MEMORY_SIZE``: DRF asks Django for it, which refuses."""

    status_code = 413
    default_code = "body_too_large"
    default_detail = MESSAGES["body_too_large"]


class ApiError(exceptions.APIException):
    """An error a door raises with its own code, e.g. ``ApiError(code="already_withdrawn",
    message=_("..."), status=409)``; the handler turns it into the common shape."""

    def __init__(self, *, code: str, message: StrOrPromise, status: int = 400) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status


class ErrorSerializer(serializers.Serializer[Any]):
    """The body of every error response (documentation; the handler builds the dict)."""

    code = serializers.CharField(help_text=_("A stable code for programs, e.g. not_found."))
    message = serializers.CharField(help_text=_("What went wrong, in the requester's language."))
    errors = serializers.DictField(  # type: ignore[assignment]  # a field, not the property
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Messages per field; non_field_errors for the request as a whole."),
    )


class ContextPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A primary key chosen among ``context[context_key]``: a queryset the door limits to
    what this requester may choose (their district's neighbourhoods, say). ``queryset``
    names the model for the schema only."""

    def __init__(self, *, context_key: str, **kwargs: Any) -> None:
        self.context_key = context_key
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return cast(QuerySet[Any], self.context[self.context_key])


def error_body(
    code: str,
    message: StrOrPromise | None = None,
    errors: Mapping[str, Sequence[Any]] | None = None,
) -> dict[str, Any]:
    """The error shape; ``str()`` now, while the requester's language is active."""
    return {
        "code": code,
        "message": str(message if message is not None else MESSAGES.get(code, code)),
        "errors": {field: [str(m) for m in messages] for field, messages in (errors or {}).items()},
    }


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[Any]]:
    """DRF's nested error detail as ``{"field": [...], "items.0.name": [...]}``."""
    if isinstance(detail, Mapping):
        flat: dict[str, list[Any]] = {}
        for key, value in detail.items():
            name = NON_FIELD_ERRORS if key in ("__all__", NON_FIELD_ERRORS) else str(key)
            flat.update(_flatten(value, f"{prefix}.{name}" if prefix else name))
        return flat
    if isinstance(detail, list) and any(isinstance(item, Mapping | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or NON_FIELD_ERRORS: list(items)}


def _validation_body(errors: dict[str, list[Any]]) -> dict[str, Any]:
    """A refusal of the request as a whole for one reason carries that reason's code and
    message on top (e.g. ``wrong_credentials``); field errors carry ``invalid``."""
    if list(errors) == [NON_FIELD_ERRORS] and len(errors[NON_FIELD_ERRORS]) == 1:
        only = errors[NON_FIELD_ERRORS][0]
        code = getattr(only, "code", None)
        if code and code not in ("invalid", "unprocessable"):  # the latter: a status only
            return error_body(str(code), only, errors)
    return error_body("invalid", None, errors)


def _django_validation_errors(exc: DjangoValidationError) -> dict[str, list[Any]]:
    # Services raise Django's ValidationError; keep each message's code for _validation_body.
    if hasattr(exc, "error_dict"):
        return _flatten(
            {
                field: [exceptions.ErrorDetail(str(m), code=e.code) for e in errs for m in e]
                for field, errs in exc.error_dict.items()
            }
        )
    return {
        NON_FIELD_ERRORS: [
            exceptions.ErrorDetail(str(message), code=error.code)
            for error in exc.error_list
            for message in error
        ]
    }


# A request of the right shape that names a row that does not exist or cannot be used now
# (a neighbourhood id of no neighbourhood, a project not open): 422, not 400, so that 400
# always means "outside the OpenAPI document" (schemathesis checks both ways).
# "unprocessable": a rule across fields the document cannot state (login_missing: an email
# or a username); "consent_needed": the resident withdrew a consent the request needs.
UNPROCESSABLE_CODES = frozenset(
    {"does_not_exist", "unavailable", "unprocessable", "consent_needed", "login_missing"}
)


def _validation_status(errors: dict[str, list[Any]]) -> int:
    codes = {getattr(message, "code", None) for messages in errors.values() for message in messages}
    return 422 if codes and codes <= UNPROCESSABLE_CODES else 400


def api_exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every known failure in the common shape.

    Django's ``ValidationError`` (what services raise) is a 400 with its field messages, so a
    door can call a service without translating its errors. Anything else propagates to
    Django, whose 500 handler below answers in the same shape.
    """
    if isinstance(exc, DjangoValidationError):
        set_rollback()
        errors = _django_validation_errors(exc)
        return Response(_validation_body(errors), status=_validation_status(errors))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    if not isinstance(exc, exceptions.APIException):
        return None

    headers: dict[str, str] = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait))

    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        body = _validation_body(errors)
        exc.status_code = _validation_status(errors)
    else:
        code = str(exc.get_codes()) if isinstance(exc.detail, str) else exc.default_code
        # DRF's stock text gives way to ours; a message the view chose itself is kept.
        own = isinstance(exc, UnreadableBody) or (
            str(exc.detail) != str(exc.default_detail) and code not in _FORMATTED_BY_DRF
        )
        body = error_body(code, str(exc.detail) if own else None)
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


# --- Django's error pages below /api/ -----------------------------------------------------
# An address no API route matches (a mistyped id, a path outside the router) never reaches
# DRF; these keep the answer in the same shape. Everything else gets the site's pages.

_UNICODE = {"ensure_ascii": False}  # as DRF's renderer: Korean as it is, not escaped


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body("not_found"), status=404, json_dumps_params=_UNICODE)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body("server_error"), status=500, json_dumps_params=_UNICODE)
    return defaults.server_error(request)


# --- Pagination, ordering, throttling -----------------------------------------------------


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=50``: 20 a page unless asked, never more than 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_page_message = _("That page does not exist.")  # type: ignore[assignment]

    def get_page_size(self, request: Request) -> int:
        # DRF quietly falls back to the default for page_size=abc or 0; the schema says 1-100.
        raw = request.query_params.get(self.page_size_query_param or "")
        if raw is None:
            return int(self.page_size)
        if not raw.isdecimal() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Ask for between 1 and %(max)d results a page.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


class OrderingFilter(filters.OrderingFilter):
    """DRF's ``?ordering=-starts_on``, with two differences that keep pages honest.

    A view orders only by the fields it names in ``ordering_fields`` (none: no ordering
    parameter at all, rather than DRF's "any serializer field"), and the primary key breaks
    ties, so a row never shows on two pages or on none.
    """

    def get_valid_fields(
        self, queryset: QuerySet[Any], view: APIView, context: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str]]:
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_valid_fields(queryset, view, context or {})

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: APIView) -> Any:
        # DRF quietly drops an unknown term (?ordering=AAA); the schema lists the valid ones.
        raw = request.query_params.get(self.ordering_param)
        if raw is not None and getattr(view, "ordering_fields", None):
            terms = [term.strip() for term in raw.split(",")]
            valid = {name for name, _label in self.get_valid_fields(queryset, view)}
            if not all(term.lstrip("-") in valid and term for term in terms):
                raise exceptions.ValidationError(
                    {self.ordering_param: [_("Choose an order from the list.")]}
                )
        return super().get_ordering(request, queryset, view)

    def filter_queryset(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> QuerySet[Any]:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            ordering = [*ordering, "pk"]
        return queryset.order_by(*ordering)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        fields = getattr(view, "ordering_fields", None)
        if not fields:
            return []
        parameters = super().get_schema_operation_parameters(view)
        parameters[0]["schema"] = {
            "type": "string",
            "enum": [f"{sign}{field}" for field in fields for sign in ("", "-")],
        }
        return parameters


class ScopedRateThrottle(throttling.ScopedRateThrottle):
    """DRF's throttle by ``throttle_scope``, reading ``DEFAULT_THROTTLE_RATES`` at each request
    (DRF reads them once at import), so a deployment or a test can change a rate."""

    def get_rate(self) -> str | None:
        rates: Mapping[Any, Any] = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"No throttle rate for scope {self.scope!r}")
        return cast(str | None, rates[self.scope])


# --- ETags on public lists ----------------------------------------------------------------


def list_etag(request: Request | HttpRequest, fingerprint: str) -> str:
    """A strong ETag for a list: the address with its query, the language, who asks (so a
    private list never matches another person's), and a fingerprint of the rows (see
    ``queryset_fingerprint``)."""
    user = getattr(request, "user", None)
    who = user.pk if user is not None and user.is_authenticated else "-"
    raw = f"{request.get_full_path()}|{get_language()}|{who}|{fingerprint}"
    return quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:32])


def queryset_fingerprint(queryset: QuerySet[Any], *extra: str) -> str:
    """How many rows and when the newest changed, in one query. A row that leaves the list
    changes the count; one that changes moves ``updated_at`` (``extra`` names further
    aggregates, e.g. ``"organisation__updated_at"``, whose maximum also counts)."""
    aggregates = {f"latest_{i}": Max(field) for i, field in enumerate(("updated_at", *extra))}
    stats = queryset.order_by().aggregate(count=Count("pk", distinct=True), **aggregates)
    return "|".join(str(stats[key]) for key in sorted(stats))


def not_modified(request: Request | HttpRequest, etag: str) -> Response | None:
    """A 304 when the client's ``If-None-Match`` already holds ``etag`` (weak comparison)."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return None
    wanted = {tag.removeprefix("W/") for tag in parse_etags(header)}
    if "*" in wanted or etag in wanted:
        return Response(status=304, headers={"ETag": etag})
    return None


class ETagListMixin:
    """For a ``ListAPIView``: answers ``If-None-Match`` with 304 and sends an ``ETag``.

    The fingerprint costs one aggregate query on the filtered rows; override
    ``etag_fingerprint`` where the rows' content depends on more than their ``updated_at``.
    """

    def etag_fingerprint(self, queryset: QuerySet[Any]) -> str:
        return queryset_fingerprint(queryset)

    def page_data(self, rows: list[Any]) -> Any:
        """The page's rows as data; the serializer's unless a view builds them otherwise."""
        view: Any = self
        return view.get_serializer(rows, many=True).data

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view: Any = self
        queryset = view.filter_queryset(view.get_queryset())
        etag = list_etag(request, self.etag_fingerprint(queryset))
        if (cached := not_modified(request, etag)) is not None:
            return cached
        page = view.paginate_queryset(queryset)
        if page is None:  # a view without pagination
            response = Response(self.page_data(list(queryset)))
        else:
            response = view.get_paginated_response(self.page_data(page))
        response["ETag"] = etag
        return response
