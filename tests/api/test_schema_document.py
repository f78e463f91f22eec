"""The OpenAPI document itself: one valid file, whatever the language of the request, and
clean under the rules Redocly's ``recommended`` set checks (written out here, so they stay
fixed without node at test time)."""

from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def document(client: Client, language: str = "ko") -> dict[str, Any]:
    response = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    loaded: dict[str, Any] = response.json()
    return loaded


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def subschemas(node: Any, where: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        found.append((where, node))
        for key, value in node.items():
            found += subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += subschemas(value, f"{where}/{index}")
    return found


def test_the_document_is_valid_openapi(client: Client) -> None:
    # Raises with the first violation, e.g. a default that breaks its own pattern.
    validate(document(client))


def test_the_document_is_one_file_whatever_the_language_asked(client: Client) -> None:
    # A client generated from it keeps its type names (no ProjectsList분야) in any language.
    korean, english = document(client, "ko"), document(client, "en")

    assert korean == english


def test_the_document_is_the_same_whatever_lang_parameter_is_given(client: Client) -> None:
    response = client.get("/api/schema/", {"format": "json", "lang": "ko"})

    assert response.json() == document(client, "en")


def test_no_name_in_the_document_is_localised(client: Client) -> None:
    for where, node in subschemas(document(client)):
        title = node.get("title")
        assert not isinstance(title, str) or title.isascii(), (where, title)


def test_every_operation_has_a_summary(client: Client) -> None:
    # Redocly: operation-summary.
    for path, method, operation in operations(document(client)):
        summary = operation.get("summary")
        assert isinstance(summary, str) and summary.strip(), f"{method} {path}"
        assert "\n" not in summary and len(summary) <= 100, f"{method} {path}: {summary}"


def test_nullable_always_has_a_type_beside_it(client: Client) -> None:
    # Redocly: nullable-type-sibling (OpenAPI 3.0: nullable means nothing without a type).
    for where, node in subschemas(document(client)):
        if node.get("nullable") is True:
            assert "type" in node, where


def test_the_servers_are_named(client: Client) -> None:
    # Redocly: no-empty-servers. A relative server: the site that serves the document.
    servers = document(client).get("servers")

    assert servers and all(server.get("url") for server in servers)


def test_every_operation_says_what_security_it_needs(client: Client) -> None:
    # Redocly: security-defined. The token endpoint needs none, and says so.
    schema = document(client)
    for path, method, operation in operations(schema):
        assert "security" in operation or "security" in schema, f"{method} {path}"

    assert schema["paths"]["/api/auth/token/"]["post"]["security"] == []


def test_the_document_names_its_licence(client: Client) -> None:
    # Redocly: info-license and info-license-strict (a name and a URL).
    licence = document(client)["info"].get("license", {})

    assert licence.get("name") and licence.get("url")


def test_a_blank_default_stands_beside_the_alternatives_not_inside_one(client: Client) -> None:
    # drf-spectacular draws a blank-or-pattern field as oneOf [pattern, blank]; its default ""
    # inside the pattern's alternative breaks that pattern (the four phone fields).
    schema = document(client)
    for where, node in subschemas(schema):
        for alternative in node.get("oneOf", []):
            assert "default" not in alternative, where
    components = schema["components"]["schemas"]
    for component, field in (
        ("MyProfileInputRequest", "phone"),
        ("PatchedMyProfileInputRequest", "phone"),
        ("MyApplicationCreateRequest", "contact_phone"),
        ("ReferralConvertRequest", "contact_phone"),
    ):
        assert components[component]["properties"][field].get("default", "") == ""


def test_every_tag_an_operation_names_is_listed(client: Client) -> None:
    # Spectral (spectral:oas): operation-tag-defined; Redocly: tag-description.
    schema = document(client)
    listed = {tag["name"] for tag in schema.get("tags", [])}
    assert all(tag.get("description") for tag in schema.get("tags", [])), schema.get("tags")

    for path, method, operation in operations(schema):
        assert set(operation.get("tags", [])) <= listed, f"{method} {path}"
