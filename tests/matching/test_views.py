import datetime
import html
import logging
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from kombu.exceptions import OperationalError as KombuOperationalError

from matching import forms as matching_forms
from matching import services, tasks
from matching.models import Referral, SupportApplication
from matching.selectors import EVENT_WORDS
from projects.models import Area, StaffMember
from residents.models import User
from tests.factories import StaffMemberFactory

from .factories import (
    NeighbourhoodFactory,
    ProjectFactory,
    UserFactory,
    make_participation,
    make_pledge_with_receipt,
    make_resident,
    make_talent_offer,
    submit_application,
    submit_referral,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
]

Status = SupportApplication.Status
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def page(response: Any) -> str:
    return response.content.decode()


def error_of(html_text: str, field: str) -> str:
    """The text of the error list Django renders next to a field (id ``id_<field>_error``)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html_text, re.S)
    assert found, f"no error shown next to {field}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def submission_key(html_text: str) -> str:
    found = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html_text)
    assert found
    return found.group(1)


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def event_words(status: str) -> str:
    return str(EVENT_WORDS[status])


def apply_data(key: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "areas": [Area.DONATION, Area.HEALTH],
        "description": "반찬과 병원 동행이 필요합니다",
        "urgency": "3",
        "support_type": "",
        "preferred_project": "",
        "contact_phone": "010-9876-5432",
        "submission_key": key,
    }
    data.update(fields)
    return data


# --- who may see what -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/support/apply/",
        "/support/refer/",
        "/support/me/",
        f"/support/applications/{uuid.uuid4()}/",
        f"/support/applications/{uuid.uuid4()}/withdraw/",
        f"/support/referrals/{uuid.uuid4()}/",
        "/support/me/receipts/1/",
    ],
)
def test_an_anonymous_visitor_is_sent_to_log_in(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("name", ["matching:apply", "matching:refer", "matching:my_page"])
def test_a_user_without_a_profile_is_sent_to_the_profile_step_and_back(
    client: Client, name: str
) -> None:
    logged_in(client, UserFactory.create())

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("residents:profile"))
    assert f"next={reverse(name).replace('/', '%2F')}" in response["Location"]


def test_another_residents_application_referral_and_receipt_are_not_found(
    client: Client,
) -> None:
    owner = make_resident()
    application = submit_application(owner)
    referral = submit_referral(owner)
    project = ProjectFactory.create(district=owner.profile.neighbourhood.district)
    receipt = make_pledge_with_receipt(owner, project=project).receipt
    logged_in(client, make_resident())

    urls = [
        reverse("matching:application", args=[application.public_id]),
        reverse("matching:application_withdraw", args=[application.public_id]),
        reverse("matching:referral", args=[referral.public_id]),
        reverse("matching:receipt", args=[receipt.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    withdraw = client.post(reverse("matching:application_withdraw", args=[application.public_id]))
    assert withdraw.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.PENDING


# --- applying ----------------------------------------------------------------------------


def test_the_apply_form_offers_the_five_areas_and_prefills_the_profile_phone(
    client: Client,
) -> None:
    user = make_resident(phone="010-5555-6666")
    logged_in(client, user)

    response = client.get(reverse("matching:apply"))

    text = page(response)
    assert response.status_code == 200
    assert text.count('type="checkbox" name="areas"') == 5
    assert text.count('type="radio" name="urgency"') == 4
    assert 'value="010-5555-6666"' in text
    uuid.UUID(submission_key(text))
    assert not INLINE_SCRIPT.search(text)


def test_each_showing_of_the_apply_form_gets_a_new_submission_key(client: Client) -> None:
    logged_in(client, make_resident())

    first = submission_key(page(client.get(reverse("matching:apply"))))
    second = submission_key(page(client.get(reverse("matching:apply"))))

    assert first != second


def test_the_project_in_the_address_is_preselected_when_it_is_open(client: Client) -> None:
    user = make_resident()
    district = user.profile.neighbourhood.district
    wanted = ProjectFactory.create(district=district)
    ProjectFactory.create(district=district)
    closed = ProjectFactory.create(district=district, status="closed")
    logged_in(client, user)

    text = page(client.get(reverse("matching:apply"), {"project": wanted.pk}))

    assert f'<option value="{wanted.pk}" selected>' in text
    assert f'<option value="{closed.pk}"' not in text
    assert client.get(reverse("matching:apply"), {"project": "abc"}).status_code == 200


def test_without_consent_the_apply_page_explains_and_links_to_the_consent_step(
    client: Client,
) -> None:
    logged_in(client, make_resident(consent=False))

    response = client.get(reverse("matching:apply"))

    text = page(response)
    assert response.status_code == 200
    assert 'name="areas"' not in text
    assert f'href="{reverse("residents:consents")}"' in text
    posted = client.post(reverse("matching:apply"), apply_data(str(uuid.uuid4())))
    assert posted.status_code == 200
    assert not SupportApplication.objects.exists()


def test_apply_then_follow_then_withdraw_the_application(client: Client) -> None:
    user = make_resident()
    logged_in(client, user)
    key = submission_key(page(client.get(reverse("matching:apply"))))

    response = client.post(reverse("matching:apply"), apply_data(key), follow=True)

    application = SupportApplication.objects.get()
    detail_url = reverse("matching:application", args=[application.public_id])
    assert response.redirect_chain == [(detail_url, 302)]
    text = page(response)
    assert "반찬과 병원 동행이 필요합니다" in text
    assert 'class="message message-success"' in text
    assert application.get_status_display() in text
    assert event_words(Status.PENDING) in text
    assert application.contact_phone == "010-9876-5432"
    assert application.urgency == 3
    withdraw_url = reverse("matching:application_withdraw", args=[application.public_id])
    assert f'href="{withdraw_url}"' in text

    confirm = client.get(withdraw_url)
    assert confirm.status_code == 200
    assert f'action="{withdraw_url}"' in page(confirm)
    application.refresh_from_db()
    assert application.status == Status.PENDING  # showing the confirmation changes nothing

    done = client.post(withdraw_url, {"reason": "이미 도움을 받았어요"}, follow=True)

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    assert done.redirect_chain == [(detail_url, 302)]
    text = page(done)
    assert event_words(Status.WITHDRAWN) in text
    assert "이미 도움을 받았어요" in text
    assert f'href="{withdraw_url}"' not in text


# Transactional: the task is sent from the on-commit hook, which only a real commit runs.
@pytest.mark.django_db(transaction=True)
def test_an_application_sent_while_the_broker_is_down_is_saved_and_the_resident_told_so(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.match_district, "apply_async", refuse)
    logged_in(client, make_resident())
    key = submission_key(page(client.get(reverse("matching:apply"))))

    with caplog.at_level(logging.ERROR, logger="welfare_net.enqueue"):
        response = client.post(reverse("matching:apply"), apply_data(key), follow=True)

    application = SupportApplication.objects.get()
    assert application.status == Status.PENDING
    detail_url = reverse("matching:application", args=[application.public_id])
    assert response.redirect_chain == [(detail_url, 302)]
    assert 'class="message message-success"' in page(response)
    errors = [record.name for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == ["welfare_net.enqueue"]


def test_sending_the_same_form_twice_creates_one_application(client: Client) -> None:
    logged_in(client, make_resident())
    key = submission_key(page(client.get(reverse("matching:apply"))))

    first = client.post(reverse("matching:apply"), apply_data(key))
    second = client.post(reverse("matching:apply"), apply_data(key))

    assert SupportApplication.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_apply_errors_are_shown_next_to_each_field_and_nothing_typed_is_lost(
    client: Client,
) -> None:
    logged_in(client, make_resident())
    key = str(uuid.uuid4())

    response = client.post(
        reverse("matching:apply"),
        apply_data(key, areas=[], description="   ", contact_phone="12345", urgency=""),
    )

    text = page(response)
    assert response.status_code == 200
    assert not SupportApplication.objects.exists()
    with translation.override("ko"):
        form_fields = matching_forms.ApplicationForm.base_fields
        assert error_of(text, "areas") == str(form_fields["areas"].error_messages["required"])
        assert error_of(text, "description") == str(
            form_fields["description"].error_messages["required"]
        )
        assert error_of(text, "urgency") == str(form_fields["urgency"].error_messages["required"])
    assert error_of(text, "contact_phone")
    assert 'aria-invalid="true"' in text
    assert 'class="error-summary"' in text
    assert 'href="#id_areas_0"' in text
    # What was typed comes back, with the same one-time key.
    assert 'value="12345"' in text
    assert submission_key(text) == key


def test_apply_errors_are_in_korean_by_default(client: Client) -> None:
    user = make_resident()
    elsewhere = ProjectFactory.create()
    logged_in(client, user)

    response = client.post(
        reverse("matching:apply"),
        apply_data(str(uuid.uuid4()), urgency="9", support_type="spaceship"),
    )

    text = page(response)
    assert '<html lang="ko">' in text
    assert "올바르게 선택해 주세요" in error_of(text, "urgency")
    assert "올바르게 선택해 주세요" in error_of(text, "support_type")
    assert "반찬과 병원 동행이 필요합니다" in text
    closed = client.post(
        reverse("matching:apply"),
        apply_data(str(uuid.uuid4()), preferred_project=str(elsewhere.pk)),
    )
    with translation.override("ko"):
        expected = matching_forms.ApplicationForm.base_fields["preferred_project"].error_messages[
            "invalid_choice"
        ]
        assert error_of(page(closed), "preferred_project") == str(expected)
    assert not SupportApplication.objects.exists()


def test_free_text_is_escaped_on_the_application_page(client: Client) -> None:
    user = make_resident()
    application = submit_application(user, description="<script>alert(1)</script> 도와주세요")
    logged_in(client, user)

    text = page(client.get(reverse("matching:application", args=[application.public_id])))

    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 도와주세요" in text
    assert not INLINE_SCRIPT.search(text)


def test_the_timeline_shows_dates_in_seoul_time(client: Client) -> None:
    user = make_resident()
    application = submit_application(user)
    utc_noon = datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC)
    application.events.update(created_at=utc_noon)
    logged_in(client, user)

    text = page(client.get(reverse("matching:application", args=[application.public_id])))

    assert 'datetime="2026-03-04T21:00:00+09:00"' in text
    assert "2026년 3월 4일 9:00 오후" in text


def test_a_delivered_application_cannot_be_withdrawn(client: Client) -> None:
    user = make_resident()
    application = submit_application(user)
    SupportApplication.objects.filter(pk=application.pk).update(status=Status.DELIVERED)
    logged_in(client, user)
    detail_url = reverse("matching:application", args=[application.public_id])
    withdraw_url = reverse("matching:application_withdraw", args=[application.public_id])

    assert f'href="{withdraw_url}"' not in page(client.get(detail_url))
    assert client.get(withdraw_url)["Location"] == detail_url
    response = client.post(withdraw_url, {"reason": ""})

    assert response["Location"] == detail_url
    application.refresh_from_db()
    assert application.status == Status.DELIVERED
    assert application.events.count() == 1


# --- referring a neighbour ---------------------------------------------------------------


def referral_data(neighbourhood_id: int, key: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "neighbourhood": str(neighbourhood_id),
        "neighbour_name": "",
        "situation": "옆집 어르신이 며칠째 안 보이세요",
        "how_to_reach": "101동 202호",
        "neighbour_knows": "no",
        "submission_key": key,
    }
    data.update(fields)
    return data


def test_the_referral_form_offers_the_districts_neighbourhoods_with_the_residents_own_chosen(
    client: Client,
) -> None:
    user = make_resident()
    own = user.profile.neighbourhood
    sibling = NeighbourhoodFactory.create(district=own.district)
    elsewhere = NeighbourhoodFactory.create()
    logged_in(client, user)

    text = page(client.get(reverse("matching:refer")))

    assert f'<option value="{own.pk}" selected>' in text
    assert f'<option value="{sibling.pk}">' in text
    assert f'<option value="{elsewhere.pk}"' not in text
    assert 'name="neighbour_knows"' in text


def test_refer_a_neighbour_then_see_only_what_was_entered(client: Client) -> None:
    user = make_resident()
    logged_in(client, user)
    key = submission_key(page(client.get(reverse("matching:refer"))))
    data = referral_data(
        user.profile.neighbourhood_id,
        key,
        neighbour_name="<b>김영희</b>",
        neighbour_knows="yes",
    )

    response = client.post(reverse("matching:refer"), data, follow=True)
    again = client.post(reverse("matching:refer"), data)

    referral = Referral.objects.get()
    assert again["Location"] == reverse("matching:referral", args=[referral.public_id])
    assert referral.neighbour_knows is True
    text = page(response)
    assert "&lt;b&gt;김영희&lt;/b&gt;" in text
    assert "옆집 어르신이 며칠째 안 보이세요" in text
    assert referral.get_status_display() in text

    Referral.objects.filter(pk=referral.pk).update(
        status=Referral.Status.CLOSED, closed_reason="코디네이터 메모: 가족이 돌봄"
    )
    text = page(client.get(reverse("matching:referral", args=[referral.public_id])))
    assert "코디네이터 메모" not in text
    assert str(Referral.Status.CLOSED.label) in text


def test_referral_errors_are_shown_next_to_each_field_in_korean(client: Client) -> None:
    user = make_resident()
    elsewhere = NeighbourhoodFactory.create()
    logged_in(client, user)
    key = str(uuid.uuid4())

    response = client.post(
        reverse("matching:refer"),
        referral_data(
            elsewhere.pk,
            key,
            situation=" ",
            how_to_reach="",
            neighbour_knows="",
            neighbour_name="이웃",
        ),
    )

    text = page(response)
    assert response.status_code == 200
    assert not Referral.objects.exists()
    assert '<html lang="ko">' in text
    assert "올바르게 선택해 주세요" in error_of(text, "neighbourhood")
    with translation.override("ko"):
        fields = matching_forms.ReferralForm.base_fields
        for name in ("situation", "how_to_reach", "neighbour_knows"):
            assert error_of(text, name) == str(fields[name].error_messages["required"])
    assert 'value="이웃"' in text
    assert submission_key(text) == key


# --- My page and receipts ----------------------------------------------------------------


def test_my_page_shows_everything_the_resident_follows(client: Client) -> None:
    user = make_resident()
    project = ProjectFactory.create(
        district=user.profile.neighbourhood.district, title="사랑의 쌀 나눔"
    )
    application = submit_application(user)
    referral = submit_referral(user)
    make_talent_offer(user)
    pledge = make_pledge_with_receipt(user, project=project, amount=1_234_000)
    make_participation(user, project=project)
    logged_in(client, user)

    text = page(client.get(reverse("matching:my_page")))

    assert reverse("matching:application", args=[application.public_id]) in text
    assert reverse("matching:referral", args=[referral.public_id]) in text
    assert "전등, 수도꼭지 고쳐 드립니다" in text
    assert pledge.receipt.number in text
    assert "1,234,000" in text
    assert reverse("matching:receipt", args=[pledge.receipt.pk]) in text
    assert "사랑의 쌀 나눔" in text
    assert f'href="{reverse("residents:profile")}"' in text
    assert f'href="{reverse("residents:consents")}"' in text


def test_my_page_stays_within_its_query_budget_with_a_long_history(
    client: Client, django_assert_max_num_queries
) -> None:
    user = make_resident()
    project = ProjectFactory.create(district=user.profile.neighbourhood.district)
    for _ in range(30):
        application = submit_application(user)
        services.application_withdraw(application=application, by=user)
        submit_referral(user)
        make_talent_offer(user, project=project)
        make_pledge_with_receipt(user, project=project)
        make_participation(user, project=ProjectFactory.create(district=project.district))
    logged_in(client, user)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("matching:my_page"))

    assert response.status_code == 200
    assert page(response).count('class="card"') == 150


def test_the_receipt_page_shows_what_the_tax_office_needs_and_prints_cleanly(
    client: Client,
) -> None:
    user = make_resident()
    project = ProjectFactory.create(district=user.profile.neighbourhood.district)
    receipt = make_pledge_with_receipt(user, project=project, amount=50_000).receipt
    logged_in(client, user)

    response = client.get(reverse("matching:receipt", args=[receipt.pk]))

    text = page(response)
    assert response.status_code == 200
    assert receipt.number in text
    assert "2026년 3월 4일" in text
    assert "50,000" in text
    assert receipt.donor_name in text
    assert receipt.organisation_name in text
    assert "js/print-button.js" in text
    assert not INLINE_SCRIPT.search(text)


# --- Deleting one's account -----------------------------------------------------------------


def staff_account_refusal() -> str:
    with translation.override("ko"):
        return html.escape(
            translation.gettext(
                "Staff accounts cannot be deleted here. A district administrator closes them, "
                "so that the record of your work stays complete."
            )
        )


def test_a_coordinator_is_told_in_korean_why_their_account_is_not_deleted_here(
    client: Client,
) -> None:
    coordinator = StaffMemberFactory.create(role=StaffMember.Role.COORDINATOR).user
    logged_in(client, coordinator)

    shown = client.get(reverse("matching:account_delete"))
    sent = client.post(reverse("matching:account_delete"))

    assert shown.status_code == 200
    assert sent.status_code == 403
    for response in (shown, sent):
        text = page(response)
        assert '<html lang="ko">' in text
        assert staff_account_refusal() in text
        assert 'class="button danger"' not in text  # no delete button
    coordinator.refresh_from_db()
    assert coordinator.is_active and not coordinator.username.startswith("deleted-")
    assert client.get(reverse("matching:account_delete")).wsgi_request.user == coordinator


def test_a_resident_is_offered_the_button_and_their_account_is_deleted(client: Client) -> None:
    resident = make_resident()
    logged_in(client, resident)

    shown = client.get(reverse("matching:account_delete"))
    sent = client.post(reverse("matching:account_delete"))

    assert shown.status_code == 200
    assert staff_account_refusal() not in page(shown)
    assert 'class="button danger"' in page(shown)
    assert sent.status_code == 302
    resident.refresh_from_db()
    assert not resident.is_active
