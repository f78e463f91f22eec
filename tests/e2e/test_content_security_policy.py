"""The pages outside the resident's journeys work in a real browser under the site's
Content-Security-Policy: the API docs and the admin's (with import-export and history).

The ``phone_page`` fixture fails a test whose pages the policy refused anything on.
"""

from typing import Any

import pytest
from django.conf import settings

from projects.models import Project
from tests.residents.factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

PASSWORD = "welfare-test-password"


def test_the_api_docs_show_every_operation_under_the_policy(
    live_server: Any, phone_page: Any
) -> None:
    page = phone_page

    response = page.goto(f"{live_server.url}/api/docs/")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 3


def test_staff_use_the_admin_with_import_export_and_history_under_the_policy(
    live_server: Any, phone_page: Any
) -> None:
    UserFactory.create(username="office", is_staff=True, is_superuser=True)
    project = ProjectFactory.create(title="어르신 반찬 나눔", status=Project.Status.OPEN)
    admin = f"{live_server.url}/{settings.ADMIN_URL}"
    page = phone_page

    page.goto(f"{admin}login/")
    page.fill("input[name=username]", "office")
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(admin)

    page.goto(f"{admin}projects/project/")
    page.get_by_role("link", name="어르신 반찬 나눔").first.wait_for()
    page.goto(f"{admin}projects/project/{project.pk}/change/")
    page.locator("input[name=title]").wait_for()
    page.goto(f"{admin}projects/project/{project.pk}/history/")
    page.locator("#change-history, #content").first.wait_for()
    page.goto(f"{admin}projects/project/import/")
    page.locator("input[type=file]").wait_for()

    # The export page's "Select all" box, bound by our script rather than an inline handler.
    page.goto(f"{admin}projects/project/export/")
    toggle = page.locator("input.select-toggle")
    fields = page.locator(".selectable-field-export-row input[type=checkbox]")
    assert fields.count() > 1
    toggle.uncheck()
    assert all(not box.is_checked() for box in fields.all())
    toggle.check()
    assert all(box.is_checked() for box in fields.all())
