"""django-filter pieces the API's filters share (each app's FilterSets live in its filters.py)."""

import datetime as dt
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField


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
