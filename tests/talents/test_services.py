import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

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


# --- the form's one-time submission key ------------------------------------------------------


def test_the_same_submission_key_twice_returns_the_first_offer_unchanged() -> None:
    resident, place, key = UserFactory.create(), NeighbourhoodFactory.create(), uuid.uuid4()

    first = talent_offer_create(
        resident=resident,
        category="repairs",
        description="집수리",
        neighbourhoods=[place],
        submission_key=key,
    )
    second = talent_offer_create(
        resident=resident,
        category="cooking",
        description="반찬",
        neighbourhoods=[],
        submission_key=key,
    )

    assert second.pk == first.pk
    offer = TalentOffer.objects.get()
    assert (offer.category, offer.description, offer.submission_key) == ("repairs", "집수리", key)
    assert list(offer.neighbourhoods.all()) == [place]


def test_another_residents_submission_key_is_refused() -> None:
    key = uuid.uuid4()
    talent_offer_create(
        resident=UserFactory.create(),
        category="repairs",
        description="집수리",
        neighbourhoods=[],
        submission_key=key,
    )

    with pytest.raises(ValidationError):
        talent_offer_create(
            resident=UserFactory.create(),
            category="repairs",
            description="집수리",
            neighbourhoods=[],
            submission_key=key,
        )

    assert TalentOffer.objects.count() == 1


def test_offers_made_without_a_submission_key_are_each_recorded() -> None:
    resident = UserFactory.create()

    for _ in range(2):
        talent_offer_create(
            resident=resident, category="repairs", description="집수리", neighbourhoods=[]
        )

    assert TalentOffer.objects.filter(submission_key__isnull=True).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_submission_key_sent_from_six_threads_at_once_records_one_offer() -> None:
    resident, place, key = UserFactory.create(), NeighbourhoodFactory.create(), uuid.uuid4()
    threads_count = 6
    start = threading.Barrier(threads_count)
    offer_ids: list[int] = []
    failures: list[BaseException] = []

    def send() -> None:
        try:
            start.wait()
            offer = talent_offer_create(
                resident=resident,
                category="repairs",
                description="집수리",
                neighbourhoods=[place],
                submission_key=key,
            )
            offer_ids.append(offer.pk)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    offer = TalentOffer.objects.get()
    assert set(offer_ids) == {offer.pk}
    assert len(offer_ids) == threads_count
    assert list(offer.neighbourhoods.all()) == [place]
