import pytest
from django.core.exceptions import ValidationError

from projects.models import Area, Project
from talents.models import TalentOffer
from talents.services import talent_offer_attach, talent_offer_create, talent_offer_withdraw
from tests.residents.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    ProjectFactory,
    UserFactory,
)
from tests.talents.factories import TalentOfferFactory

pytestmark = pytest.mark.django_db


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


def test_a_resident_offers_a_talent_in_some_neighbourhoods() -> None:
    resident = UserFactory.create()
    places = NeighbourhoodFactory.create_batch(2)

    offer = talent_offer_create(
        resident=resident,
        category=TalentOffer.Category.TUTORING,
        description=" 초등 수학 지도 ",
        neighbourhoods=places,
        availability="평일 오후",
    )

    offer.refresh_from_db()
    assert offer.resident == resident
    assert offer.status == TalentOffer.Status.OFFERED
    assert offer.description == "초등 수학 지도"
    assert set(offer.neighbourhoods.all()) == set(places)


def test_an_offer_without_a_known_category_or_a_description_names_both_fields() -> None:
    with pytest.raises(ValidationError) as error:
        talent_offer_create(
            resident=UserFactory.create(), category="juggling", description="  ", neighbourhoods=[]
        )

    assert _fields(error) == {"category", "description"}
    assert not TalentOffer.objects.exists()


def test_an_offer_joins_an_open_talent_project_of_its_district_and_becomes_active() -> None:
    place = NeighbourhoodFactory.create()
    offer = TalentOfferFactory.create(neighbourhoods=[place])
    project = ProjectFactory.create(district=place.district, area=Area.TALENT)

    attached = talent_offer_attach(offer=offer, project=project)

    offer.refresh_from_db()
    assert attached.project == project
    assert (offer.project_id, offer.status) == (project.pk, TalentOffer.Status.ACTIVE)


def test_an_offer_cannot_join_a_project_of_another_district() -> None:
    offer = TalentOfferFactory.create(neighbourhoods=[NeighbourhoodFactory.create()])
    elsewhere = ProjectFactory.create(district=DistrictFactory.create(), area=Area.TALENT)

    with pytest.raises(ValidationError) as error:
        talent_offer_attach(offer=offer, project=elsewhere)

    assert _fields(error) == {"project"}
    offer.refresh_from_db()
    assert (offer.project_id, offer.status) == (None, TalentOffer.Status.OFFERED)


def test_an_offer_in_neighbourhoods_of_two_districts_may_join_a_project_of_either() -> None:
    east, west = NeighbourhoodFactory.create(), NeighbourhoodFactory.create()
    offer = TalentOfferFactory.create(neighbourhoods=[east, west])

    talent_offer_attach(
        offer=offer, project=ProjectFactory.create(district=west.district, area=Area.TALENT)
    )

    offer.refresh_from_db()
    assert offer.project.district_id == west.district_id  # type: ignore[union-attr]


def test_an_offer_naming_no_neighbourhood_may_join_a_project_of_any_district() -> None:
    offer = TalentOfferFactory.create()
    project = ProjectFactory.create(district=DistrictFactory.create(), area=Area.TALENT)

    talent_offer_attach(offer=offer, project=project)

    offer.refresh_from_db()
    assert offer.project_id == project.pk


@pytest.mark.parametrize(
    ("area", "status"),
    [
        (Area.DONATION, Project.Status.OPEN),
        (Area.TALENT, Project.Status.DRAFT),
        (Area.TALENT, Project.Status.CLOSED),
    ],
)
def test_an_offer_joins_only_an_open_talent_project(area: str, status: str) -> None:
    offer = TalentOfferFactory.create()

    with pytest.raises(ValidationError) as error:
        talent_offer_attach(offer=offer, project=ProjectFactory.create(area=area, status=status))

    assert _fields(error) == {"project"}
    offer.refresh_from_db()
    assert offer.project_id is None


def test_a_withdrawn_offer_cannot_join_a_project() -> None:
    offer = TalentOfferFactory.create()
    talent_offer_withdraw(offer=offer)

    with pytest.raises(ValidationError) as error:
        talent_offer_attach(offer=offer, project=ProjectFactory.create(area=Area.TALENT))

    assert _fields(error) == {"status"}


def test_withdrawing_keeps_the_project_as_history_and_is_harmless_twice() -> None:
    offer = TalentOfferFactory.create()
    project = ProjectFactory.create(area=Area.TALENT)
    talent_offer_attach(offer=offer, project=project)

    talent_offer_withdraw(offer=offer)
    again = talent_offer_withdraw(offer=offer)

    assert (again.status, again.project_id) == (TalentOffer.Status.WITHDRAWN, project.pk)
