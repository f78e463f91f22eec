"""Choice fields whose choice set the OpenAPI document names once.

drf-spectacular names each choice set after the fields that use it, and warns where fields of
one name carry different sets ("status" of an application, a proposal, a referral, a run...)
or one set goes by several names. ``EnumField(choices, enum_name="ApplicationStatusEnum")``
names its set itself: the document holds it once, as ``components/schemas/<enum_name>``, and
every field of that set refers to it, whatever the field is called (the resident's and the
coordinator's doors share ``ApplicationStatusEnum``). Every named choice set of the API is
one of these; blank and null, where a field allows them, are drawn as drf-spectacular draws
them, as the components ``BlankEnum`` and ``NullEnum`` beside the set.

(The serializers import this module, so the schema extension below is registered before any
schema is drawn; ``welfare_net.api`` must not import drf-spectacular, this module may.)
"""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers

_EMPTY = ("", None)


class EnumField(serializers.ChoiceField):
    """DRF's ``ChoiceField``, its choice set documented as the component ``enum_name``."""

    def __init__(self, choices: Any, *, enum_name: str, **kwargs: Any) -> None:
        super().__init__(choices, **kwargs)
        self.enum_name = enum_name


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field: EnumField = self.target
        built = build_choice_field(field)
        schema = {key: built[key] for key in ("type", "description") if key in built}
        schema["enum"] = [value for value in built["enum"] if value not in _EMPTY]
        refs = [self._component(auto_schema, field.enum_name, schema)]
        # Blank and null as drf-spectacular itself writes them: components of their own.
        if "" in built["enum"]:
            refs.append(self._component(auto_schema, "BlankEnum", {"enum": [""]}))
        if None in built["enum"]:
            refs.append(self._component(auto_schema, "NullEnum", {"enum": [None]}))
        return refs[0] if len(refs) == 1 else {"oneOf": refs}

    @staticmethod
    def _component(auto_schema: Any, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        auto_schema.registry.register_on_missing(component)
        return dict(component.ref)
