"""schemathesis against the API's own OpenAPI document, as an anonymous user: whatever it
sends, no answer is a server error, and every answer (status, content type, headers, body)
is one the document promises.

Bounded: a few examples an operation (about ten operations), no deadline per example, so
the whole file stays around half a minute on a shared machine.
"""

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from projects.models import Project
from tests.projects.factories import NeighbourhoodFactory, ProjectFactory, TargetGroupFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 30


@pytest.fixture
def public_data(db: None) -> list[Project]:
    """A few public projects of every kind, and a draft that must never show."""
    dongs = NeighbourhoodFactory.create_batch(2)
    groups = TargetGroupFactory.create_batch(2)
    ProjectFactory.create(status=Project.Status.DRAFT)
    return [
        ProjectFactory.create(neighbourhoods=dongs, target_groups=groups, min_age=60),
        ProjectFactory.create(whole_district=True, status=Project.Status.PAUSED),
        ProjectFactory.create(status=Project.Status.CLOSED, description="", contact_phone=""),
    ]


@pytest.fixture
def api_schema(wsgi_app: WSGIHandler, public_data: list[Project]) -> Any:
    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    loaded.config.generation.update(max_examples=MAX_EXAMPLES)
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_answer_is_a_server_error_or_outside_the_schema(case: Any) -> None:
    case.call_and_validate(checks=CHECKS)


@pytest.mark.parametrize(
    "path",
    [
        "/api/projects/{public_id}/",
        "/api/hsds/services/{id}",
        "/api/hsds/organizations/{id}",
    ],
)
def test_the_answer_for_a_real_id_matches_the_schema_too(
    api_schema: Any, public_data: list[Project], path: str
) -> None:
    # Generated ids are almost never real ones: these take the rows of public_data.
    for project in public_data:
        row_id = project.organisation.public_id if "organizations" in path else project.public_id
        name = "public_id" if "public_id" in path else "id"
        case = api_schema[path]["GET"].Case(path_parameters={name: str(row_id)})

        response = case.call_and_validate(checks=CHECKS)

        assert response.status_code == 200
