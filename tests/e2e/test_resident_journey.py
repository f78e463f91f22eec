"""A new resident, on a phone, signs up, consents, finds a project near home and applies."""

import re
import time
from typing import Any

import pytest
from django.core import mail

from matching.models import SupportApplication
from projects.models import Area, Project
from tests.residents.factories import NeighbourhoodFactory, ProjectFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_a_new_resident_signs_up_consents_finds_a_project_near_home_and_applies_on_a_phone(
    live_server: Any, phone_page: Any
) -> None:
    home = NeighbourhoodFactory.create(name="면목본동", code="myeonmok-bon")
    project = ProjectFactory.create(
        district=home.district,
        title="어르신 반찬 나눔",
        area=Area.DONATION,
        status=Project.Status.OPEN,
    )
    project.neighbourhoods.set([home])
    page = phone_page
    started = time.monotonic()

    # Sign up with email and password, in Korean by default.
    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "ko"
    page.fill("input[name=email]", "grandma@example.com")
    page.fill("input[name=password1]", "a-long-enough-secret-2026")
    page.fill("input[name=password2]", "a-long-enough-secret-2026")
    page.locator("form.stack-form button[type=submit]").click()

    # Verify the email address with the link in the mail.
    page.wait_for_url(f"{live_server.url}/accounts/confirm-email/")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(mail.outbox[0].body))
    assert link is not None
    page.goto(link.group(0).replace("http://testserver", live_server.url))
    page.locator("form.stack-form button[type=submit]").click()

    # Confirmed: log in; the first login lands on the short profile step with the consents.
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "grandma@example.com")
    page.fill("input[name=password]", "a-long-enough-secret-2026")
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/me/profile/.*"))
    page.select_option("select[name=neighbourhood]", label="면목본동")
    page.fill("input[name=birth_year]", "1950")
    page.check("input[name=household_type][value=single_person]")
    page.fill("input[name=phone]", "010-2345-6789")
    page.check("input[name=notification_channel][value=none]")
    page.check("input[name=consent_personal]")
    page.locator("form.stack-form button[type=submit]").click()

    # The home page shows open projects near home; open one and apply.
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="어르신 반찬 나눔").first.click()
    page.locator("main a[href*='/support/apply/?project=']").click()
    page.check("input[name=areas][value=donation]")
    page.fill("textarea[name=description]", "혼자 살아서 반찬이 필요합니다.")
    page.check("input[name=urgency][value='3']")
    page.locator("form.stack-form button[type=submit]").click()

    # The application page, then My page, show the application.
    page.wait_for_url(re.compile(r".*/support/applications/.*"))
    application = SupportApplication.objects.get(applicant__email="grandma@example.com")
    assert application.preferred_project == project
    assert application.neighbourhood == home
    page.goto(f"{live_server.url}/support/me/")
    assert (
        page.get_by_text("혼자 살아서 반찬이 필요합니다.").count()
        + page.locator(f"a[href*='{application.public_id}']").count()
        >= 1
    )
    # Nothing on the phone screen is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The machine's own time for the whole journey (a person adds reading and typing).
    assert time.monotonic() - started < 120
