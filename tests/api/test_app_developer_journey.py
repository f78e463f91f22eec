"""The issue's "done when": an app developer reads /api/docs/, gets a token, submits an
application and follows it to its outcome through the API alone.

Everything the resident's app does goes through HTTP with its token, and so does the
coordinator's side (accept, record the outcome) with the coordinator's; only the worker's match
run is called directly, as the worker would.
"""

import uuid
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from matching.models import SupportApplication
from matching.services import match_run_execute
from residents.services import auth_token_issue
from tests.factories import NeighbourhoodFactory, UserFactory
from tests.matching.engine_factories import ProjectFactory
from tests.matching.outcome_helpers import make_coordinator

pytestmark = pytest.mark.django_db

PASSWORD = "welfare-test-password"  # tests.factories.UserFactory's


def test_an_app_follows_an_application_from_token_to_delivered_support_through_the_api_alone(
    client: Client,
) -> None:
    # What the district has: a neighbourhood, an open health project, a coordinator; and a
    # resident who signed up on the website and confirmed their email address.
    home = NeighbourhoodFactory.create(name="망우본동")
    project = ProjectFactory.create(district=home.district, title="방문 간호")
    coordinator = make_coordinator(home)
    resident = UserFactory.create(email="grandma@example.com")
    EmailAddress.objects.create(user=resident, email=resident.email, verified=True, primary=True)

    # The developer reads the documentation: every address the app uses below is in it.
    assert client.get("/api/docs/").status_code == 200
    documented = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in (
        "/api/auth/token/",
        "/api/consent-texts/",
        "/api/neighbourhoods/",
        "/api/me/consents/give/",
        "/api/me/profile/update/",
        "/api/projects/",
        "/api/me/applications/create/",
        "/api/me/applications/{public_id}/",
    ):
        assert path in documented, path

    # The app logs in with the resident's email and password, and from then on sends only
    # the token.
    app = APIClient()
    token = app.post(
        "/api/auth/token/", {"email": resident.email, "password": PASSWORD}, format="json"
    ).json()["token"]
    app.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    def get(url: str, **params: Any) -> Any:
        response = app.get(url, params)
        assert response.status_code == 200, response.json()
        return response.json()

    def post(url: str, data: dict[str, Any], *, status: int = 201, method: str = "post") -> Any:
        response = getattr(app, method)(url, data, format="json")
        assert response.status_code == status, response.json()
        return response.json()

    # It shows the consent text, records the consent, and fills in the profile.
    personal = next(t for t in get("/api/consent-texts/") if t["kind"] == "personal")
    post("/api/me/consents/give/", {"kind": "personal", "text_version": personal["version"]})
    dong = next(n for n in get("/api/neighbourhoods/")["results"] if n["name"] == "망우본동")
    post(
        "/api/me/profile/update/",
        {
            "neighbourhood": dong["id"],
            "birth_year": 1942,
            "household_type": "single_person",
            "phone": "010-3456-7890",
            "notification_channel": "none",
        },
        status=200,
        method="put",
    )

    # It finds the project, and applies; the answer is lost, so it sends again with the
    # same key, and still one application exists.
    found = get("/api/projects/", q="방문 간호", status="open")["results"]
    assert [p["id"] for p in found] == [str(project.public_id)]
    form = {
        "areas": ["health"],
        "description": "혼자 살고 혈압이 높아 방문 간호가 필요합니다.",
        "urgency": 3,
        "preferred_project": found[0]["id"],
        "submission_key": str(uuid.uuid4()),
    }
    sent = post("/api/me/applications/create/", form)
    resent = post("/api/me/applications/create/", form)
    assert resent["id"] == sent["id"]
    assert SupportApplication.objects.count() == 1
    page = f"/api/me/applications/{sent['id']}/"
    assert get(page)["status"] == "pending"

    # The worker's match run proposes the project (the worker runs this task)...
    match_run_execute(district_id=home.district_id)
    assert get(page)["status"] == "proposed"

    # ... the coordinator, in their own app with their own token, finds it in the queue,
    # accepts it and records that support was delivered.
    desk = APIClient()
    desk.credentials(HTTP_AUTHORIZATION=f"Token {auth_token_issue(user=coordinator)}")
    queue = desk.get("/api/queue/", {"tab": "proposals"})
    assert queue.status_code == 200, queue.content
    (row,) = [r for r in queue.json()["results"] if r["id"] == sent["id"]]
    accept = desk.post(f"/api/queue/proposals/{row['proposal']}/accept/", {}, format="json")
    assert accept.status_code == 200, accept.content
    accepted = get(page)
    assert accepted["status"] == "accepted"
    assert accepted["can_withdraw"] is False
    recorded = desk.post(
        f"/api/queue/applications/{sent['id']}/outcome/",
        {"outcome": "delivered", "on": timezone.localdate().isoformat(), "note": "첫 방문 완료"},
        format="json",
    )
    assert recorded.status_code == 200, recorded.content

    # The app, polling the page, sees the outcome and the whole way there.
    outcome = get(page)
    assert outcome["status"] == "delivered"
    assert [entry["status"] for entry in outcome["timeline"]] == [
        "pending",
        "proposed",
        "accepted",
        "delivered",
    ]
    assert "첫 방문 완료" not in str(outcome)  # the coordinator's note is for staff
    assert [step["reached"] for step in outcome["progress"]] == [True, True, True, True]
    assert get("/api/me/applications/", status="delivered")["count"] == 1
