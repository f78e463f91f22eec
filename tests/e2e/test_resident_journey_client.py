"""The resident's whole journey through Django's test client: sign up, verify, profile and
consents, apply, withdraw, refer, pledge, offer a talent, and see it all on My page."""

import re
import uuid

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from donations.models import DonationPledge
from matching.models import Referral, SupportApplication
from projects.models import Area
from talents.models import TalentOffer
from tests.residents.factories import NeighbourhoodFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_resident_goes_from_sign_up_to_my_page_with_every_kind_of_participation(
    client: Client,
) -> None:
    home = NeighbourhoodFactory.create(name="망우본동", code="mangu-bon")
    project = ProjectFactory.create(district=home.district, area=Area.DONATION)
    project.neighbourhoods.set([home])

    # Sign up; the verification mail's link confirms the address.
    response = client.post(
        "/accounts/signup/",
        {
            "email": "neighbour@example.com",
            "password1": "a-long-enough-secret-2026",
            "password2": "a-long-enough-secret-2026",
        },
    )
    assert response.status_code == 302
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", str(mail.outbox[0].body))
    assert link is not None
    assert client.post(link.group(0)).status_code == 302

    # Log in: the first stop is the profile step.
    response = client.post(
        "/accounts/login/",
        {"login": "neighbour@example.com", "password": "a-long-enough-secret-2026"},
    )
    assert response["Location"] == "/me/profile/"
    response = client.post(
        "/me/profile/",
        {
            "neighbourhood": home.pk,
            "birth_year": "1944",
            "household_type": "single_person",
            "phone": "010-3456-7890",
            "preferred_language": "ko",
            "notification_channel": "email",
            "consent_personal": "on",
            "consent_notifications": "on",
        },
    )
    assert response.status_code == 302

    # Apply, then withdraw.
    apply_form = client.get(f"/support/apply/?project={project.pk}").context["form"]
    response = client.post(
        "/support/apply/",
        {
            "areas": ["donation"],
            "description": "겨울 난방비가 걱정입니다.",
            "urgency": "3",
            "contact_phone": "010-3456-7890",
            "preferred_project": project.pk,
            "submission_key": apply_form.initial["submission_key"],
        },
    )
    assert response.status_code == 302
    application = SupportApplication.objects.get(applicant__email="neighbour@example.com")
    response = client.post(f"/support/applications/{application.public_id}/withdraw/")
    application.refresh_from_db()
    assert application.status == SupportApplication.Status.WITHDRAWN
    assert list(application.events.values_list("to_status", flat=True)) == [
        "pending",
        "withdrawn",
    ]

    # Refer a neighbour.
    response = client.post(
        "/support/refer/",
        {
            "neighbourhood": home.pk,
            "situation": "옆집 어르신이 며칠째 안 보이세요.",
            "how_to_reach": "망우로 1길 2, 3층",
            "neighbour_knows": "no",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert Referral.objects.filter(referrer__email="neighbour@example.com").count() == 1

    # Pledge a donation and offer a talent.
    response = client.post(
        "/donations/pledge/",
        {
            "project": project.pk,
            "kind": "money",
            "amount": "30000",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert DonationPledge.objects.get(donor__email="neighbour@example.com").amount_won == 30000
    response = client.post(
        "/talents/offer/",
        {
            "category": "cooking",
            "description": "반찬을 만들어 나눌 수 있어요.",
            "neighbourhoods": [home.pk],
            "availability": "평일 오전",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert TalentOffer.objects.filter(resident__email="neighbour@example.com").count() == 1

    # My page shows every one of them.
    html = client.get("/support/me/").content.decode()
    assert "30,000" in html
    with translation.override("ko"):
        assert str(TalentOffer.Category.COOKING.label) in html
    assert str(application.public_id) in html
    referral = Referral.objects.get(referrer__email="neighbour@example.com")
    assert str(referral.public_id) in html
