"""A coordinator, on a phone, reviews the queue, accepts, rejects and holds proposals in place
(htmx, no page reload, the tab counts follow), records that the support was delivered; the
resident's application page then shows every state. Nothing is wider than the phone."""

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import transaction
from django.utils import timezone

from matching.models import MatchProposal, SupportApplication
from matching.services import application_submit, match_run_execute
from residents.models import User
from tests.matching.engine_factories import NeighbourhoodFactory, ProjectFactory
from tests.matching.outcome_helpers import make_coordinator, make_resident
from welfare_net.celery import app

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

PASSWORD = "welfare-test-password"  # the user factory's password
PHONE_WIDTH = 390


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Tasks run in the server's own thread after each commit (matching, the messages)."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def apply(resident: User, need: str, urgency: int = 2) -> SupportApplication:
    with transaction.atomic():
        return application_submit(
            applicant=resident,
            areas=["health"],
            description=need,
            urgency=urgency,
            submission_key=uuid.uuid4(),
        )


def tab_count(page: Any, tab: str) -> str:
    return str(page.locator(f"#queue-tabs a[href='?tab={tab}'] .count").inner_text())


def log_in(page: Any, base: str, user: User) -> None:
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form.stack-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def log_out(page: Any) -> None:
    page.locator("header form[action$='/accounts/logout/'] button").click()
    page.wait_for_url(lambda url: "/accounts/logout/" not in url)


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH)


def test_a_coordinator_accepts_in_place_records_delivery_and_the_resident_sees_every_state(
    live_server: Any, phone_page: Any, eager_tasks: None
) -> None:
    home = NeighbourhoodFactory.create(name="면목본동", code="myeonmok-bon")
    ProjectFactory.create(district=home.district, title="방문 건강 관리")
    resident = make_resident(neighbourhood=home, language="ko", email="grandma@example.com")
    coordinator = make_coordinator(home, email="coordinator@example.com", first_name="이복지")
    application = apply(resident, "혈압을 재 줄 분이 필요합니다", urgency=3)
    # Two neighbours more, whose proposals are rejected and put on hold in place.
    to_reject = apply(make_resident(neighbourhood=home), "병원 동행이 필요합니다")
    to_hold = apply(make_resident(neighbourhood=home), "약 배달이 필요합니다")
    # The submissions' own matching passes ran on commit; this one makes sure.
    match_run_execute(district_id=home.district_id)
    proposal = MatchProposal.objects.get(application=application)
    application.refresh_from_db()
    page = phone_page
    base = live_server.url

    # The coordinator logs in and lands on the queue: the proposals tab shows the case.
    log_in(page, base, coordinator)
    assert page.url == f"{base}/queue/"
    assert page.locator("html").get_attribute("lang") == "ko"
    row = page.locator(f"#row-{application.public_id}")
    assert row.is_visible()
    assert application.applicant_name in row.inner_text()
    assert "방문 건강 관리" in row.inner_text()
    assert str(proposal.score) in row.locator("p", has_text="방문 건강 관리").inner_text()
    row.locator("details.reasons summary").click()
    reasons = row.locator("details.reasons")
    assert reasons.get_attribute("open") is not None
    assert reasons.locator("li").count() >= 1  # the score's parts, one per line
    assert no_horizontal_scroll(page)

    # Accept in place: htmx swaps the row for the result, the page itself is not reloaded.
    page.evaluate("window.__notReloaded = true")
    row.locator("form[action$='/accept/'] button[type=submit]").click()
    result = page.locator("li.queue-result")
    result.wait_for()
    assert page.evaluate("window.__notReloaded === true")
    assert "message-success" in (result.locator("p.message").get_attribute("class") or "")
    assert "방문 건강 관리" in result.inner_text()
    assert page.locator(f"#row-{application.public_id}").count() == 0
    proposal.refresh_from_db()
    assert proposal.status == MatchProposal.Status.ACCEPTED
    # The tab counts follow the decision (swapped in out of band).
    assert (tab_count(page, "proposals"), tab_count(page, "connections")) == ("(2)", "(1)")
    assert no_horizontal_scroll(page)

    # Reject in place: the reason is required by the browser, then sent with the decision.
    row = page.locator(f"#row-{to_reject.public_id}")
    reject = row.locator("form[action$='/reject/']")
    reject.locator("button[type=submit]").click()
    assert reject.locator("input[name=note]:invalid").count() == 1  # nothing was sent
    reject.locator("input[name=note]").fill("이미 가족이 돕고 있음")
    reject.locator("button[type=submit]").click()
    page.locator("li.queue-result").nth(1).wait_for()
    assert page.locator(f"#row-{to_reject.public_id}").count() == 0

    # Hold in place, with a note.
    row = page.locator(f"#row-{to_hold.public_id}")
    row.locator("form[action$='/hold/'] input[name=note]").fill("다음 주에 다시 연락")
    row.locator("form[action$='/hold/'] button[type=submit]").click()
    page.locator("li.queue-result").nth(2).wait_for()
    assert page.evaluate("window.__notReloaded === true")
    assert (tab_count(page, "proposals"), tab_count(page, "on_hold")) == ("(0)", "(1)")
    assert no_horizontal_scroll(page)
    assert set(
        MatchProposal.objects.filter(application__in=[to_reject, to_hold]).values_list(
            "application_id", "status"
        )
    ) == {(to_reject.pk, "rejected"), (to_hold.pk, "proposed")}
    to_hold.refresh_from_db()
    assert to_hold.status == SupportApplication.Status.ON_HOLD
    # The rejected pair is never proposed again: the next pass leaves that case unmatched.
    match_run_execute(district_id=home.district_id)
    assert MatchProposal.objects.filter(application=to_reject).count() == 1

    # The connection is in progress: open it from its tab and record the delivery.
    page.goto(f"{base}/queue/?tab=connections")
    assert no_horizontal_scroll(page)
    page.locator(f"#row-{application.public_id} h3 a").click()
    page.wait_for_url(re.compile(rf".*/queue/applications/{application.public_id}/$"))
    assert no_horizontal_scroll(page)
    page.select_option("select[name=outcome]", "delivered")
    page.fill("input[name=on]", timezone.localdate().isoformat())
    page.fill("textarea[name=note]", "혈압계 전달, 첫 방문 완료")
    page.locator("form[action$='/outcome/'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/queue/applications/{application.public_id}/$"))
    assert page.locator(".message-success").count() == 1
    assert page.locator("form[action$='/outcome/']").count() == 0  # recorded: no second form
    assert no_horizontal_scroll(page)
    application.refresh_from_db()
    assert (application.status, application.outcome) == ("delivered", "delivered")

    # The resident was told twice (accepted, delivered), in Korean.
    assert [m.to for m in mail.outbox] == [[resident.email], [resident.email]]

    # The resident's application page shows every state, in order.
    log_out(page)
    log_in(page, base, resident)
    page.goto(f"{base}/support/applications/{application.public_id}/")
    assert page.locator("ol.timeline > li").count() == 4
    assert page.locator(".status-delivered").count() == 1
    steps = page.locator("ol.progress-steps > li")
    assert steps.count() == 4
    assert page.locator("ol.progress-steps > li.reached").count() == 4
    assert no_horizontal_scroll(page)
    assert [e.to_status for e in application.events.order_by("created_at", "pk")] == [
        SupportApplication.Status.PENDING,
        SupportApplication.Status.PROPOSED,
        SupportApplication.Status.ACCEPTED,
        SupportApplication.Status.DELIVERED,
    ]
