"""Serializer fields (and a serializer of query parameters) that take only what the OpenAPI
document says they take.

DRF's ``UUIDField`` also takes a JSON integer (as ``uuid.UUID(int=...)``); the document says
a string in the uuid format, so an integer is refused here, as any other type is.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .filters import BLANK_PARAMETER


class UUIDField(serializers.UUIDField):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class QuerySerializer(serializers.Serializer[dict[str, Any]]):
    """A serializer of query parameters. DRF takes ``?to=`` (an empty form field) as left
    out; the document says a date (or whatever the field is), so an empty value is refused
    with the field's own "invalid" message, as a malformed one is."""

    def to_internal_value(self, data: Any) -> Any:
        blank = {
            name: [
                BLANK_PARAMETER
                if isinstance(field, serializers.CharField)
                else field.error_messages.get("invalid", BLANK_PARAMETER)
            ]
            for name, field in self.fields.items()
            if not field.read_only
            and hasattr(data, "getlist")
            and "" in data.getlist(name)
            and not getattr(field, "allow_blank", False)
        }
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)


WRONG_TYPE = _("This field takes another kind of value: see the API's documentation.")


def _takes(field: serializers.Field[Any, Any, Any, Any], value: Any) -> bool:
    """Whether ``value``'s JSON type is the one the document gives ``field``."""
    if value is None:
        return True  # null: the field's own allow_null decides
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(
        field,
        serializers.ListField | serializers.ManyRelatedField | serializers.MultipleChoiceField,
    ):
        return isinstance(value, list)
    if isinstance(field, serializers.Serializer | serializers.DictField | serializers.JSONField):
        return isinstance(field, serializers.JSONField) or isinstance(value, dict)
    if isinstance(field, serializers.BooleanField):
        return isinstance(value, bool)
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return number
    if isinstance(field, serializers.ChoiceField):
        keys = {type(key) for key in field.choices}
        if keys == {int}:
            return isinstance(value, int) and not isinstance(value, bool)
        return isinstance(value, str) if keys == {str} else True
    if isinstance(
        field,
        serializers.CharField
        | serializers.UUIDField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.TimeField,
    ):
        return isinstance(value, str)
    return True


# A JSON body's serializer that takes each field in the JSON type the OpenAPI document gives
# it. DRF turns 5 into "5" for a text field, "5" into 5 for a number and "yes" into true; an
# app that sends them has read another document, so they are refused (400). (A comment, not
# a docstring: drf-spectacular would describe every body without one of its own with it.)
class JsonInput(serializers.Serializer[Any]):
    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            wrong = {
                name: [WRONG_TYPE]
                for name, field in self.fields.items()
                if not field.read_only and name in data and not _takes(field, data[name])
            }
            if wrong:
                raise serializers.ValidationError(wrong)
        return super().to_internal_value(data)
