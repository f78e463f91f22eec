import html
import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from projects.models import Area, Project
from residents.models import User
from talents.models import TalentOffer
from tests.residents.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    ProjectFactory,
    ResidentProfileFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

OFFER_URL = "/talents/offer/"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
# The service's messages, as the Korean catalog has them.
CATEGORY_KO = "나눌 재능의 종류를 선택하세요."
DESCRIPTION_KO = "나눌 재능을 설명해 주세요."
STAFF_ATTACH_NOTE = (
    "District staff read every offer and connect it to the project themselves. They may call "
    "you first."
)


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


def logged_in(client: Client, user: User | None = None) -> User:
    user = user or UserFactory.create()
    client.force_login(user)
    return user


def resident_in_district() -> User:
    """A user with a profile, living in a district of three neighbourhoods."""
    home = NeighbourhoodFactory.create(name="면목본동")
    NeighbourhoodFactory.create_batch(2, district=home.district)
    return ResidentProfileFactory.create(neighbourhood=home).user


def offer_data(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": TalentOffer.Category.REPAIRS,
        "description": "전등과 수도꼭지를 고쳐 드립니다",
        "neighbourhoods": [],
        "availability": "평일 오전",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(fields)
    return data


def checkbox_values(html_text: str) -> set[int]:
    return {int(v) for v in re.findall(r'name="neighbourhoods" value="(\d+)"', html_text)}


# --- who may offer ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_log_in_first(client: Client, method: str) -> None:
    response = getattr(client, method)(OFFER_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert response["Location"].endswith("?next=/talents/offer/")
    assert not TalentOffer.objects.exists()


def test_the_url_name_the_project_page_links_to_is_the_offer_page() -> None:
    assert reverse("talents:offer") == OFFER_URL


# --- the empty form --------------------------------------------------------------------------


def test_a_resident_is_offered_the_neighbourhoods_of_their_own_district(client: Client) -> None:
    user = logged_in(client, resident_in_district())
    elsewhere = NeighbourhoodFactory.create()

    response = client.get(OFFER_URL)

    text = page(response)
    assert response.status_code == 200
    assert '<html lang="ko">' in text
    own = set(user.profile.neighbourhood.district.neighbourhoods.values_list("pk", flat=True))
    assert checkbox_values(text) == own
    assert elsewhere.pk not in checkbox_values(text)
    assert text.count('type="radio" name="category"') == len(TalentOffer.Category.choices)
    assert "이발·미용" in text  # the categories in plain Korean words
    assert 'name="availability"' in text
    assert "예: 평일 오전" in text
    uuid.UUID(submission_key(text))
    assert not INLINE_SCRIPT.search(text)


def test_a_user_without_a_profile_is_offered_every_neighbourhood_by_district(
    client: Client,
) -> None:
    east, west = DistrictFactory.create(name="가동구"), DistrictFactory.create(name="나동구")
    east_places = NeighbourhoodFactory.create_batch(2, district=east)
    west_places = NeighbourhoodFactory.create_batch(2, district=west)
    logged_in(client)

    text = page(client.get(OFFER_URL))

    assert checkbox_values(text) == {p.pk for p in east_places + west_places}
    east_legend, west_legend = (
        text.index("<legend>가동구</legend>"),
        text.index("<legend>나동구</legend>"),
    )
    assert east_legend < text.index(f'value="{east_places[0].pk}"') < west_legend
    assert west_legend < text.index(f'value="{west_places[0].pk}"')


def test_a_talent_project_in_the_address_is_named_and_staff_attach_the_offer(
    client: Client,
) -> None:
    project = ProjectFactory.create(area=Area.TALENT, title="동네 집수리단")
    logged_in(client)

    text = page(client.get(OFFER_URL, {"project": project.pk}))

    assert "<strong>동네 집수리단</strong>" in text
    with translation.override("ko"):
        assert gettext(STAFF_ATTACH_NOTE) in text
    assert f'action="{OFFER_URL}?project={project.pk}"' in text


@pytest.mark.parametrize("which", ["closed", "donation", "abc", "99999999999999999999", ""])
def test_a_project_that_is_not_an_open_talent_project_is_not_named(
    client: Client, which: str
) -> None:
    closed = ProjectFactory.create(
        area=Area.TALENT, status=Project.Status.CLOSED, title="닫힌 사업"
    )
    donation = ProjectFactory.create(area=Area.DONATION, title="기부 사업")
    wanted = {"closed": closed.pk, "donation": donation.pk}.get(which, which)
    logged_in(client)

    response = client.get(OFFER_URL, {"project": wanted})

    text = page(response)
    assert response.status_code == 200
    assert "닫힌 사업" not in text and "기부 사업" not in text
    assert f'action="{OFFER_URL}"' in text


def test_the_offer_page_stays_within_its_query_budget(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    for district in DistrictFactory.create_batch(4):
        NeighbourhoodFactory.create_batch(16, district=district)
    project = ProjectFactory.create(area=Area.TALENT)
    logged_in(client)

    # 6: the menu asks once whether the user works for a district (the queue link).
    with django_assert_max_num_queries(6):
        response = client.get(OFFER_URL, {"project": project.pk})

    assert len(checkbox_values(page(response))) == 64


def test_the_offer_page_of_a_resident_stays_within_its_query_budget(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    user = resident_in_district()
    NeighbourhoodFactory.create_batch(13, district=user.profile.neighbourhood.district)
    logged_in(client, user)

    # 6: the menu asks once whether the user works for a district (the queue link).
    with django_assert_max_num_queries(6):
        response = client.get(OFFER_URL)

    assert len(checkbox_values(page(response))) == 16


# --- offering --------------------------------------------------------------------------------


def test_offering_a_talent_records_one_offer_and_thanks_on_my_page(client: Client) -> None:
    user = logged_in(client, resident_in_district())
    key = submission_key(page(client.get(OFFER_URL)))
    places = list(user.profile.neighbourhood.district.neighbourhoods.all()[:2])

    response = client.post(
        OFFER_URL,
        offer_data(
            category="tutoring",
            description=" 초등 수학을 가르쳐 드려요 ",
            neighbourhoods=[p.pk for p in places],
            submission_key=key,
        ),
        follow=True,
    )

    offer = TalentOffer.objects.get()
    assert response.redirect_chain == [(reverse("matching:my_page"), 302)]
    assert (offer.resident, offer.category, offer.status) == (user, "tutoring", "offered")
    assert offer.description == "초등 수학을 가르쳐 드려요"
    assert offer.availability == "평일 오전"
    assert set(offer.neighbourhoods.all()) == set(places)
    assert str(offer.submission_key) == key
    assert offer.project is None  # staff attach it
    text = page(response)
    assert 'class="message message-success"' in text
    assert "초등 수학을 가르쳐 드려요" in text


def test_an_offer_without_neighbourhoods_means_anywhere_and_needs_no_profile(
    client: Client,
) -> None:
    user = logged_in(client)

    response = client.post(OFFER_URL, offer_data(availability=""))

    assert response.status_code == 302
    assert response["Location"] == reverse("matching:my_page")
    offer = TalentOffer.objects.get()
    assert offer.resident == user
    assert not offer.neighbourhoods.exists()
    assert offer.availability == ""


def test_sending_the_same_offer_form_twice_records_one_offer(client: Client) -> None:
    logged_in(client)
    data = offer_data()

    first = client.post(OFFER_URL, data)
    second = client.post(OFFER_URL, data)

    assert TalentOffer.objects.count() == 1
    assert first.status_code == second.status_code == 302


# --- mistakes --------------------------------------------------------------------------------


def test_an_offer_without_a_category_or_a_description_is_refused_next_to_each_in_korean(
    client: Client,
) -> None:
    logged_in(client)
    key = str(uuid.uuid4())

    response = client.post(
        OFFER_URL,
        offer_data(category="", description="   ", availability="토요일 오후", submission_key=key),
    )

    text = page(response)
    assert response.status_code == 200
    assert not TalentOffer.objects.exists()
    assert error_of(text, "category") == CATEGORY_KO
    assert error_of(text, "description") == DESCRIPTION_KO
    assert 'class="error-summary"' in text
    assert 'href="#id_category_0"' in text
    assert 'href="#id_description"' in text
    assert 'value="토요일 오후"' in text
    assert submission_key(text) == key


def test_an_unknown_category_is_refused_in_korean(client: Client) -> None:
    logged_in(client)

    text = page(client.post(OFFER_URL, offer_data(category="juggling")))

    assert error_of(text, "category") == CATEGORY_KO
    assert not TalentOffer.objects.exists()


def test_a_neighbourhood_of_another_district_is_refused_next_to_the_neighbourhoods(
    client: Client,
) -> None:
    user = logged_in(client, resident_in_district())
    own = user.profile.neighbourhood
    elsewhere = NeighbourhoodFactory.create()

    text = page(client.post(OFFER_URL, offer_data(neighbourhoods=[own.pk, elsewhere.pk])))

    assert error_of(text, "neighbourhoods")
    assert 'href="#id_neighbourhoods_0"' in text
    assert re.search(rf'name="neighbourhoods" value="{own.pk}"[^>]* checked', text)
    assert not TalentOffer.objects.exists()


def test_too_long_an_availability_is_refused_next_to_it(client: Client) -> None:
    logged_in(client)

    text = page(client.post(OFFER_URL, offer_data(availability="가" * 201)))

    assert error_of(text, "availability")
    assert not TalentOffer.objects.exists()


def test_another_residents_form_key_is_refused(client: Client) -> None:
    data = offer_data()
    client.force_login(UserFactory.create())
    client.post(OFFER_URL, data)

    client.force_login(UserFactory.create())
    response = client.post(OFFER_URL, data)

    assert response.status_code == 200
    assert "이미 제출한 양식입니다" in page(response)
    assert TalentOffer.objects.count() == 1


# --- what the resident sees afterwards -------------------------------------------------------


def test_a_description_typed_with_a_script_is_shown_as_text_on_my_page(client: Client) -> None:
    logged_in(client, resident_in_district())

    response = client.post(
        OFFER_URL,
        offer_data(description="<script>alert(1)</script> 집수리"),
        follow=True,
    )

    text = page(response)
    assert response.redirect_chain == [(reverse("matching:my_page"), 302)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 집수리" in text
    assert "<script>alert(1)</script>" not in text
    assert not INLINE_SCRIPT.search(text)
