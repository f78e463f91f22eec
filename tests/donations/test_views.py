import html
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from donations import selectors
from donations.forms import PledgeForm
from donations.models import DonationPledge
from projects.models import Area, Project
from residents.models import User
from tests.residents.factories import (
    DistrictFactory,
    ProjectFactory,
    ResidentProfileFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PLEDGE_URL = "/donations/pledge/"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
# The service's messages, as the Korean catalog has them.
NOT_OPEN_KO = "이 사업은 지금 기부를 받지 않습니다."
AMOUNT_KO = "1원 이상의 금액을 원 단위로 입력하세요."
GOODS_KO = "기부할 물품을 적어 주세요."
QUANTITY_KO = "수량을 1 이상으로 입력하세요."
KIND_KO = "금전 또는 물품을 선택하세요."
RECEIPT_NOTE = (
    "For a donation of money, the district issues a donation receipt you can use for tax "
    "purposes once the money has been received. You will find it on My page."
)


def page(response: Any) -> str:
    return response.content.decode()


def error_of(html_text: str, field: str) -> str:
    """The text of the error list Django renders next to a field (id ``id_<field>_error``)."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html_text, re.S)
    assert found, f"no error shown next to {field}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def has_error(html_text: str, field: str) -> bool:
    return f'id="id_{field}_error"' in html_text


def submission_key(html_text: str) -> str:
    found = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html_text)
    assert found
    return found.group(1)


def logged_in(client: Client, user: User | None = None) -> User:
    user = user or UserFactory.create()
    client.force_login(user)
    return user


def pledge_data(project: Project, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "project": str(project.pk),
        "kind": "money",
        "amount": "30000",
        "other_amount": "",
        "goods_description": "",
        "goods_quantity": "",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(fields)
    return data


# --- who may pledge -------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_log_in_first(client: Client, method: str) -> None:
    response = getattr(client, method)(PLEDGE_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert response["Location"].endswith("?next=/donations/pledge/")
    assert not DonationPledge.objects.exists()


def test_the_url_names_the_project_page_links_to_are_the_pledge_page() -> None:
    assert reverse("donations:pledge") == PLEDGE_URL


def test_a_user_without_a_resident_profile_may_pledge(client: Client) -> None:
    project = ProjectFactory.create()
    logged_in(client)

    response = client.post(PLEDGE_URL, pledge_data(project))

    assert response.status_code == 302
    assert response["Location"] == reverse("matching:my_page")
    assert DonationPledge.objects.get().amount_won == 30_000


# --- the empty form --------------------------------------------------------------------------


def test_the_form_lists_open_projects_donation_projects_first_and_no_others(
    client: Client,
) -> None:
    district = DistrictFactory.create()
    food = ProjectFactory.create(district=district, title="사랑의 쌀", area=Area.DONATION)
    tutoring = ProjectFactory.create(district=district, title="공부방", area=Area.EDUCATION)
    hidden = [
        ProjectFactory.create(district=district, status=status)
        for status in (Project.Status.DRAFT, Project.Status.PAUSED, Project.Status.CLOSED)
    ]
    logged_in(client)

    response = client.get(PLEDGE_URL)

    text = page(response)
    assert response.status_code == 200
    assert '<html lang="ko">' in text
    with translation.override("ko"):
        donation_label, other_label, receipt_note = (
            gettext("Donation projects"),
            gettext("Other open projects"),
            gettext(RECEIPT_NOTE),
        )
    donation_group = text.index(f'<optgroup label="{donation_label}">')
    other_group = text.index(f'<optgroup label="{other_label}">')
    assert donation_group < text.index(f'<option value="{food.pk}">') < other_group
    assert other_group < text.index(f'<option value="{tutoring.pk}">')
    for project in hidden:
        assert f'<option value="{project.pk}"' not in text
    assert text.count('type="radio" name="kind"') == 2
    assert re.search(r'name="kind" value="money"[^>]* checked', text)
    assert text.count('type="radio" name="amount"') == 5
    assert "10,000원" in text and "100,000원" in text
    assert 'name="other_amount"' in text and 'inputmode="numeric"' in text
    assert 'type="checkbox" name="anonymous"' in text
    assert receipt_note in text
    uuid.UUID(submission_key(text))
    assert not INLINE_SCRIPT.search(text)


def test_the_project_in_the_address_is_preselected(client: Client) -> None:
    wanted = ProjectFactory.create()
    ProjectFactory.create()
    logged_in(client)

    text = page(client.get(PLEDGE_URL, {"project": wanted.pk}))

    assert f'<option value="{wanted.pk}" selected>' in text
    assert text.count(" selected>") == 1


@pytest.mark.parametrize("wanted", ["closed", "abc", "99999999999999999999"])
def test_a_closed_or_unknown_project_in_the_address_is_not_preselected_and_is_explained(
    client: Client, wanted: str
) -> None:
    closed = ProjectFactory.create(status=Project.Status.CLOSED)
    ProjectFactory.create()
    logged_in(client)

    response = client.get(PLEDGE_URL, {"project": closed.pk if wanted == "closed" else wanted})

    text = page(response)
    assert response.status_code == 200
    assert f'<option value="{closed.pk}"' not in text
    assert re.findall(r'<option value="(\d*)" selected>', text) == [""]
    assert f'<p class="message">{NOT_OPEN_KO}' in text


def test_with_no_open_project_the_page_says_so_and_shows_no_form(client: Client) -> None:
    ProjectFactory.create(status=Project.Status.CLOSED)
    logged_in(client)

    text = page(client.get(PLEDGE_URL))

    assert 'class="empty-note"' in text
    assert 'name="kind"' not in text


def test_the_pledge_page_stays_within_its_query_budget_with_many_projects(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    districts = DistrictFactory.create_batch(3)
    for index in range(60):
        ProjectFactory.create(
            district=districts[index % 3],
            area=Area.DONATION if index % 2 else Area.HEALTH,
        )
    logged_in(client)

    with django_assert_max_num_queries(4):
        response = client.get(PLEDGE_URL)

    text = page(response)
    assert text.count("<option value=") == 61  # and "Choose a project"
    assert f"({districts[0].name})" in text  # several districts: each title names its own


# --- pledging --------------------------------------------------------------------------------


def test_a_money_pledge_of_a_quick_amount_is_recorded_once_and_thanked_on_my_page(
    client: Client,
) -> None:
    user = logged_in(client)
    ResidentProfileFactory.create(user=user)
    project = ProjectFactory.create(title="겨울 이불 나눔")
    key = submission_key(page(client.get(PLEDGE_URL)))

    response = client.post(
        PLEDGE_URL, pledge_data(project, submission_key=key, anonymous="on"), follow=True
    )

    pledge = DonationPledge.objects.get()
    assert response.redirect_chain == [(reverse("matching:my_page"), 302)]
    assert (pledge.donor, pledge.project, pledge.kind) == (user, project, "money")
    assert (pledge.amount_won, pledge.goods_quantity, pledge.goods_description) == (
        30_000,
        None,
        "",
    )
    assert pledge.anonymous is True
    assert pledge.status == DonationPledge.Status.PLEDGED
    assert str(pledge.submission_key) == key
    text = page(response)
    assert 'class="message message-success"' in text
    assert "겨울 이불 나눔" in text
    assert "30,000" in text


@pytest.mark.parametrize("written", ["25000", "25,000", "25,000원", " 25 000 "])
def test_another_amount_is_read_as_people_write_it(client: Client, written: str) -> None:
    logged_in(client)
    project = ProjectFactory.create()

    response = client.post(PLEDGE_URL, pledge_data(project, amount="other", other_amount=written))

    assert response.status_code == 302
    assert DonationPledge.objects.get().amount_won == 25_000


def test_another_amount_written_without_choosing_other_is_taken(client: Client) -> None:
    logged_in(client)

    client.post(PLEDGE_URL, pledge_data(ProjectFactory.create(), amount="", other_amount="7000"))

    assert DonationPledge.objects.get().amount_won == 7_000


def test_a_goods_pledge_is_recorded_and_the_money_answers_are_ignored(client: Client) -> None:
    user = logged_in(client)
    project = ProjectFactory.create()

    response = client.post(
        PLEDGE_URL,
        pledge_data(
            project,
            kind="goods",
            amount="50000",
            other_amount="abc",
            goods_description=" 쌀 10kg ",
            goods_quantity="3",
        ),
    )

    assert response.status_code == 302
    pledge = DonationPledge.objects.get()
    assert (pledge.donor, pledge.kind, pledge.amount_won) == (user, "goods", None)
    assert (pledge.goods_description, pledge.goods_quantity) == ("쌀 10kg", 3)
    assert pledge.anonymous is False


def test_sending_the_same_pledge_form_twice_records_one_pledge(client: Client) -> None:
    logged_in(client)
    data = pledge_data(ProjectFactory.create())

    first = client.post(PLEDGE_URL, data)
    second = client.post(PLEDGE_URL, data)

    assert DonationPledge.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("matching:my_page")


# --- mistakes --------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["", "abc", "0", "-5000", "1000.5", "1e5"])
def test_another_amount_that_is_not_a_positive_whole_number_is_refused_next_to_it_in_korean(
    client: Client, written: str
) -> None:
    logged_in(client)
    project = ProjectFactory.create()
    key = str(uuid.uuid4())

    response = client.post(
        PLEDGE_URL,
        pledge_data(project, amount="other", other_amount=written, submission_key=key),
    )

    text = page(response)
    assert response.status_code == 200
    assert not DonationPledge.objects.exists()
    assert error_of(text, "other_amount") == AMOUNT_KO
    assert 'class="error-summary"' in text
    assert 'href="#id_other_amount"' in text
    # What was typed comes back, with the same one-time key and the project still chosen.
    assert f'value="{written}"' in text or not written
    assert submission_key(text) == key
    assert f'<option value="{project.pk}" selected>' in text


def test_a_money_pledge_without_an_amount_is_refused_next_to_the_amount(client: Client) -> None:
    logged_in(client)

    text = page(client.post(PLEDGE_URL, pledge_data(ProjectFactory.create(), amount="")))

    assert has_error(text, "amount")
    assert 'href="#id_amount_0"' in text
    assert not DonationPledge.objects.exists()


def test_a_quick_amount_and_a_different_written_amount_are_not_guessed_between(
    client: Client,
) -> None:
    logged_in(client)

    text = page(
        client.post(
            PLEDGE_URL,
            pledge_data(ProjectFactory.create(), amount="30000", other_amount="25000"),
        )
    )

    assert has_error(text, "amount")
    assert 'value="25000"' in text
    assert not DonationPledge.objects.exists()


def test_an_amount_not_on_the_list_is_refused_next_to_the_amount(client: Client) -> None:
    logged_in(client)

    text = page(client.post(PLEDGE_URL, pledge_data(ProjectFactory.create(), amount="12345")))

    assert has_error(text, "amount")
    assert not DonationPledge.objects.exists()


def test_goods_without_a_description_or_a_quantity_are_refused_next_to_each_in_korean(
    client: Client,
) -> None:
    logged_in(client)

    text = page(
        client.post(
            PLEDGE_URL,
            pledge_data(
                ProjectFactory.create(),
                kind="goods",
                amount="",
                goods_description="   ",
                goods_quantity="",
            ),
        )
    )

    assert error_of(text, "goods_description") == GOODS_KO
    assert error_of(text, "goods_quantity") == QUANTITY_KO
    assert not has_error(text, "amount")
    assert not DonationPledge.objects.exists()


@pytest.mark.parametrize("quantity", ["0", "-1", "two", "1.5"])
def test_a_goods_quantity_that_is_not_a_positive_whole_number_is_refused_in_korean(
    client: Client, quantity: str
) -> None:
    logged_in(client)

    text = page(
        client.post(
            PLEDGE_URL,
            pledge_data(
                ProjectFactory.create(),
                kind="goods",
                goods_description="라면 한 상자",
                goods_quantity=quantity,
            ),
        )
    )

    assert error_of(text, "goods_quantity") == QUANTITY_KO
    assert 'value="라면 한 상자"' in text
    assert not DonationPledge.objects.exists()


@pytest.mark.parametrize("kind", ["", "bitcoin"])
def test_a_pledge_that_is_neither_money_nor_goods_is_refused_in_korean(
    client: Client, kind: str
) -> None:
    logged_in(client)

    text = page(client.post(PLEDGE_URL, pledge_data(ProjectFactory.create(), kind=kind)))

    assert error_of(text, "kind") == KIND_KO
    assert not DonationPledge.objects.exists()


@pytest.mark.parametrize(
    "status", [Project.Status.CLOSED, Project.Status.PAUSED, Project.Status.DRAFT]
)
def test_a_project_that_is_not_open_cannot_be_pledged_to(client: Client, status: str) -> None:
    logged_in(client)
    ProjectFactory.create()
    project = ProjectFactory.create(status=status)

    response = client.post(PLEDGE_URL, pledge_data(project))

    assert response.status_code == 200
    assert error_of(page(response), "project") == NOT_OPEN_KO
    assert not DonationPledge.objects.exists()


def test_the_services_refusal_of_a_project_is_shown_next_to_the_project(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The form's list still offers a project that has closed (as if it closed while the page
    # was being sent): the service refuses it, and the page says so next to the project.
    project = ProjectFactory.create(status=Project.Status.CLOSED)
    stale_list = [Project.objects.select_related("district").get(pk=project.pk)]
    monkeypatch.setattr(selectors, "projects_open_for_pledges", lambda: stale_list)
    logged_in(client)

    response = client.post(PLEDGE_URL, pledge_data(project))

    assert response.status_code == 200
    assert error_of(page(response), "project") == NOT_OPEN_KO
    assert not DonationPledge.objects.exists()


def test_a_project_must_be_chosen(client: Client) -> None:
    logged_in(client)

    text = page(client.post(PLEDGE_URL, {**pledge_data(ProjectFactory.create()), "project": ""}))

    assert has_error(text, "project")
    with translation.override("ko"):
        assert error_of(text, "project") == str(
            PledgeForm.base_fields["project"].error_messages["required"]
        )


def test_an_expired_form_without_its_key_is_refused_and_keeps_the_answers(client: Client) -> None:
    logged_in(client)

    text = page(
        client.post(
            PLEDGE_URL,
            pledge_data(
                ProjectFactory.create(), amount="other", other_amount="4000", submission_key=""
            ),
        )
    )

    assert "신청서 유효 시간이 지났습니다" in text
    assert 'value="4000"' in text
    assert not DonationPledge.objects.exists()


def test_another_donors_form_key_is_refused(client: Client) -> None:
    project = ProjectFactory.create()
    data = pledge_data(project)
    client.force_login(UserFactory.create())
    client.post(PLEDGE_URL, data)

    client.force_login(UserFactory.create())
    response = client.post(PLEDGE_URL, data)

    assert response.status_code == 200
    assert "이미 제출한 양식입니다" in page(response)
    assert DonationPledge.objects.count() == 1


# --- what the donor sees afterwards ----------------------------------------------------------


def test_goods_typed_with_a_script_are_shown_as_text_on_my_page(client: Client) -> None:
    user = logged_in(client)
    ResidentProfileFactory.create(user=user)

    response = client.post(
        PLEDGE_URL,
        pledge_data(
            ProjectFactory.create(),
            kind="goods",
            goods_description="<script>alert(1)</script> 쌀",
            goods_quantity="2",
        ),
        follow=True,
    )

    text = page(response)
    assert response.redirect_chain == [(reverse("matching:my_page"), 302)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 쌀" in text
    assert "<script>alert(1)</script>" not in text
    assert not INLINE_SCRIPT.search(text)
