"""django-filter pieces the API's filters share (each app's FilterSets live in its filters.py),
and the API's filter backend (``DEFAULT_FILTER_BACKENDS``)."""

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request
from rest_framework.views import APIView


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, turned into UTC before it reaches the database.

    Python accepts offsets the database refuses (``+19:08``) and dates an offset pushes past
    year 1 or 9999; both would fail in the query with a 500. In UTC they are plain, and
    the ones that cannot be are a validation error.
    """

    def to_python(self, value: Any) -> dt.datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class IdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A row chosen by its integer id. An id of the right shape that names no row to choose
    is ``does_not_exist`` (the API's 422: the request was well formed); anything but an
    integer stays ``invalid_choice`` (400: outside the schema)."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if not str(value).lstrip("-").isdecimal():
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        try:
            return super().to_python(value)
        except ValidationError as error:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="does_not_exist"
            ) from error


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing an empty value for a parameter that is not text.

    A FilterSet ignores ``?taxonomy_term_id=`` or ``?neighbourhood=`` (the website's forms
    send empty fields); the OpenAPI document says a uuid or an integer, so the API answers
    400 rather than the unfiltered list."""

    def get_filterset(
        self, request: Request, queryset: QuerySet[Any], view: APIView
    ) -> django_filters.FilterSet | None:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        blank = {
            name: [ErrorDetail(str(BLANK_PARAMETER), code="invalid")]
            for name, filter_ in filterset.filters.items()
            if not isinstance(filter_, django_filters.CharFilter)
            and name in request.query_params
            and any(value == "" for value in request.query_params.getlist(name))
        }
        if blank:
            raise exceptions.ValidationError(blank)
        return filterset


BLANK_PARAMETER = _("Give a value, or leave this parameter out.")
