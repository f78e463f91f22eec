"""Every body the API reads is read by a ``JsonInput`` serializer, which refuses a JSON value
of another type than the document gives its field (DRF would take ``0`` for a text, or an
integer for a UUID): a body serializer added later cannot forget it."""

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from welfare_net.api_fields import JsonInput

WRITES = ("POST", "PUT", "PATCH")


def body_serializers() -> list[tuple[str, Any]]:
    """The request serializer of every write the document lists (as drf-spectacular finds
    it, ``extend_schema(request=...)`` included)."""
    generator = SchemaGenerator(patterns=None)
    generator._initialise_endpoints()
    found = []
    for path, regex, method, view in generator._get_paths_and_endpoints():
        if method not in WRITES or not path.startswith("/api/"):
            continue
        schema = view.schema
        schema.registry, schema.path, schema.path_regex = generator.registry, path, regex
        schema.path_prefix, schema.method = "/api/", method
        if schema.is_excluded():
            continue
        serializer = schema.get_request_serializer()
        if serializer is not None:
            found.append((f"{method} {path}", serializer))
    return found


@pytest.mark.django_db
def test_every_body_the_api_reads_is_read_by_a_json_input_serializer() -> None:
    found = body_serializers()
    assert len(found) > 10

    classes = [(name, s if isinstance(s, type) else type(s)) for name, s in found]
    forgot = [
        name
        for name, cls in classes
        if issubclass(cls, serializers.BaseSerializer) and not issubclass(cls, JsonInput)
    ]
    assert forgot == []
