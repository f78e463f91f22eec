import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from projects.models import Area, District
from talents.models import TalentOffer
from talents.services import talent_offer_withdraw
from tests.residents.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    ProjectFactory,
    ResidentProfileFactory,
    district_staff_user,
)
from tests.talents.factories import TalentOfferFactory

pytestmark = pytest.mark.django_db

OFFERS_URL = reverse("admin:talents_talentoffer_changelist")
PERMISSIONS = ("talents.view_talentoffer", "talents.change_talentoffer")


@pytest.fixture
def ours() -> District:
    return DistrictFactory.create(code="ours")


@pytest.fixture
def offers(ours: District) -> dict[str, list[TalentOffer]]:
    """Offers that belong to our district and offers that do not."""
    here, there = NeighbourhoodFactory.create_batch(2, district=ours)
    abroad = NeighbourhoodFactory.create(district=DistrictFactory.create(code="theirs"))
    local_resident = ResidentProfileFactory.create(neighbourhood=here).user
    foreign_resident = ResidentProfileFactory.create(neighbourhood=abroad).user
    mine = [
        *TalentOfferFactory.create_batch(10, neighbourhoods=[here]),
        TalentOfferFactory.create(neighbourhoods=[here, there]),  # listed once, not twice
        TalentOfferFactory.create(neighbourhoods=[here, abroad]),
        TalentOfferFactory.create(resident=local_resident),  # anywhere, lives here
    ]
    not_mine = [
        TalentOfferFactory.create(neighbourhoods=[abroad]),
        TalentOfferFactory.create(resident=foreign_resident),  # anywhere, lives elsewhere
        TalentOfferFactory.create(resident=local_resident, neighbourhoods=[abroad]),
    ]
    return {"mine": mine, "not_mine": not_mine}


def test_staff_see_the_offers_of_their_district_once_each_in_bounded_queries(
    client: Client,
    ours: District,
    offers: dict[str, list[TalentOffer]],
    django_assert_max_num_queries,
) -> None:
    client.force_login(district_staff_user(ours, *PERMISSIONS))

    with django_assert_max_num_queries(10):
        response = client.get(OFFERS_URL)

    assert response.status_code == 200
    listed = [offer.pk for offer in response.context["cl"].result_list]
    assert sorted(listed) == sorted(offer.pk for offer in offers["mine"])


def test_staff_cannot_open_an_offer_of_another_district(
    client: Client, ours: District, offers: dict[str, list[TalentOffer]]
) -> None:
    client.force_login(district_staff_user(ours, *PERMISSIONS))

    mine = client.get(reverse("admin:talents_talentoffer_change", args=[offers["mine"][0].pk]))
    theirs = client.get(
        reverse("admin:talents_talentoffer_change", args=[offers["not_mine"][0].pk])
    )

    assert mine.status_code == 200
    assert theirs.status_code == 302


def test_the_attach_action_asks_for_an_open_talent_project_of_the_district_then_attaches(
    client: Client, ours: District, offers: dict[str, list[TalentOffer]]
) -> None:
    client.force_login(district_staff_user(ours, *PERMISSIONS))
    project = ProjectFactory.create(district=ours, area=Area.TALENT)
    ProjectFactory.create(district=ours, area=Area.DONATION)
    ProjectFactory.create(area=Area.TALENT)  # another district
    chosen = offers["mine"][:2]
    selected = [offer.pk for offer in chosen]

    form_page = client.post(
        OFFERS_URL, {"action": "attach_to_project", "_selected_action": selected}
    )
    done = client.post(
        OFFERS_URL,
        {
            "action": "attach_to_project",
            "_selected_action": selected,
            "apply": "1",
            "project": project.pk,
        },
    )

    assert form_page.status_code == 200
    assert list(form_page.context["form"].fields["project"].queryset) == [project]
    assert done.status_code == 302
    assert [m.level_tag for m in get_messages(done.wsgi_request)] == ["success", "success"]
    for offer in chosen:
        offer.refresh_from_db()
        assert (offer.project_id, offer.status) == (project.pk, TalentOffer.Status.ACTIVE)


def test_the_attach_action_reports_an_offer_the_service_refuses(
    client: Client, ours: District, offers: dict[str, list[TalentOffer]]
) -> None:
    client.force_login(district_staff_user(ours, *PERMISSIONS))
    project = ProjectFactory.create(district=ours, area=Area.TALENT)
    withdrawn = talent_offer_withdraw(offer=offers["mine"][0])

    done = client.post(
        OFFERS_URL,
        {
            "action": "attach_to_project",
            "_selected_action": [withdrawn.pk],
            "apply": "1",
            "project": project.pk,
        },
    )

    assert [m.level_tag for m in get_messages(done.wsgi_request)] == ["error"]
    withdrawn.refresh_from_db()
    assert withdrawn.project_id is None
