"""Creating, changing and moving projects through their states, all through the services."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from projects import services
from projects.models import Area, Project, SupportType
from tests.factories import ProjectFactory

from .conftest import Place

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

START = datetime.date(2026, 3, 1)


def _create(place: Place, **overrides: object) -> Project:
    fields: dict[str, object] = {
        "district": place.district,
        "organisation": place.organisation,
        "title": "어르신 반찬 나눔",
        "area": Area.DONATION,
        "support_type": SupportType.GOODS,
        "capacity": 20,
        "starts_on": START,
        "ends_on": START + datetime.timedelta(days=60),
        "neighbourhoods": place.neighbourhoods[:2],
    }
    fields.update(overrides)
    return services.project_create(**fields)  # type: ignore[arg-type]


def test_project_create_saves_a_draft_serving_the_chosen_neighbourhoods(jungnang: Place) -> None:
    project = _create(jungnang)

    assert project.status == Project.Status.DRAFT
    assert set(project.neighbourhoods.all()) == set(jungnang.neighbourhoods[:2])
    assert project.history.count() >= 1


def test_project_create_refuses_a_neighbourhood_of_another_district_naming_the_field(
    jungnang: Place, nowon: Place
) -> None:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _create(jungnang, neighbourhoods=[jungnang.neighbourhoods[0], nowon.neighbourhoods[0]])

    assert "Neighbourhoods served" in caught.value.message_dict["neighbourhoods"][0]
    assert "상계1동" in caught.value.message_dict["neighbourhoods"][0]
    assert not Project.objects.exists()


def test_project_create_refuses_an_end_before_the_start_and_saves_nothing(
    jungnang: Place,
) -> None:
    with pytest.raises(ValidationError) as caught:
        _create(jungnang, ends_on=START - datetime.timedelta(days=1))

    assert "ends_on" in caught.value.message_dict
    assert not Project.objects.exists()


def test_project_update_refuses_a_capacity_below_the_places_taken(jungnang: Place) -> None:
    project = ProjectFactory.create(
        district=jungnang.district, organisation=jungnang.organisation, places_taken=8
    )

    with pytest.raises(ValidationError) as caught:
        services.project_update(project=project, capacity=7)

    assert "capacity" in caught.value.message_dict
    project.refresh_from_db()
    assert project.capacity == 10


def test_project_update_refuses_a_neighbourhood_of_another_district(
    jungnang: Place, nowon: Place
) -> None:
    project = _create(jungnang)

    with pytest.raises(ValidationError) as caught:
        services.project_update(project=project, neighbourhoods=[nowon.neighbourhoods[0]])

    assert "neighbourhoods" in caught.value.message_dict
    assert set(project.neighbourhoods.all()) == set(jungnang.neighbourhoods[:2])


def test_project_update_will_not_change_the_status(jungnang: Place) -> None:
    project = _create(jungnang)

    with pytest.raises(TypeError):
        services.project_update(project=project, status=Project.Status.OPEN)


def test_moving_a_project_to_another_district_checks_its_neighbourhoods(
    jungnang: Place, nowon: Place
) -> None:
    project = _create(jungnang)

    with pytest.raises(ValidationError) as caught:
        services.project_update(
            project=project, district=nowon.district, organisation=nowon.organisation
        )

    assert "neighbourhoods" in caught.value.message_dict


def test_whole_district_clears_the_list_of_neighbourhoods(jungnang: Place) -> None:
    project = _create(jungnang)

    services.project_set_neighbourhoods(
        project=project, neighbourhoods=jungnang.neighbourhoods, whole_district=True
    )

    project.refresh_from_db()
    assert project.whole_district
    assert not project.neighbourhoods.exists()


def test_a_draft_opens_pauses_reopens_and_closes(jungnang: Place) -> None:
    project = _create(jungnang)
    today = START

    services.project_open(project=project, today=today)
    assert project.status == Project.Status.OPEN
    services.project_pause(project=project)
    assert project.status == Project.Status.PAUSED
    services.project_open(project=project, today=today)
    services.project_close(project=project)

    project.refresh_from_db()
    assert project.status == Project.Status.CLOSED


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (Project.Status.CLOSED, services.project_open),
        (Project.Status.OPEN, services.project_open),
        (Project.Status.DRAFT, services.project_pause),
        (Project.Status.CLOSED, services.project_pause),
        (Project.Status.CLOSED, services.project_close),
    ],
)
def test_an_invalid_transition_is_refused_naming_the_status(
    jungnang: Place, status: str, service: object
) -> None:
    project = ProjectFactory.create(
        district=jungnang.district,
        organisation=jungnang.organisation,
        status=status,
        whole_district=True,
    )

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        service(project=project)  # type: ignore[operator]

    assert caught.value.message_dict["status"][0].startswith("Status:")
    project.refresh_from_db()
    assert project.status == status


def test_a_project_serving_nowhere_cannot_open(jungnang: Place) -> None:
    project = _create(jungnang, neighbourhoods=[])

    with pytest.raises(ValidationError) as caught:
        services.project_open(project=project, today=START)

    assert "neighbourhoods" in caught.value.message_dict


def test_a_project_that_has_ended_cannot_open(jungnang: Place) -> None:
    project = _create(jungnang)

    with pytest.raises(ValidationError) as caught:
        services.project_open(project=project, today=START + datetime.timedelta(days=61))

    assert "ends_on" in caught.value.message_dict
