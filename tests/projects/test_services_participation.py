"""participation_join in projects/services.py (kept in its own file: other work adds services)."""

import pytest
from django.core.exceptions import ValidationError

from projects.models import Area, Participation, Project
from projects.services import participation_join

from .factories import ParticipationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_joining_creates_one_active_participation_starting_today() -> None:
    project = ProjectFactory.create(area=Area.HEALTH)
    resident = UserFactory.create()

    participation = participation_join(resident=resident, project=project, role="participant")

    assert participation.status == Participation.Status.ACTIVE
    assert participation.started_on is not None
    assert Participation.objects.get() == participation


@pytest.mark.parametrize("status", [Project.Status.PAUSED, Project.Status.CLOSED, "draft"])
def test_a_project_that_is_not_open_cannot_be_joined(status: str) -> None:
    project = ProjectFactory.create(area=Area.NETWORK, status=status)

    with pytest.raises(ValidationError) as error:
        participation_join(resident=UserFactory.create(), project=project, role="volunteer")

    assert error.value.code == "project_not_open"
    assert not Participation.objects.exists()


def test_the_status_is_read_fresh_so_a_project_closed_meanwhile_is_refused() -> None:
    project = ProjectFactory.create(area=Area.NETWORK)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.CLOSED)

    with pytest.raises(ValidationError):
        participation_join(resident=UserFactory.create(), project=project, role="volunteer")


@pytest.mark.parametrize("area", [Area.DONATION, Area.TALENT])
def test_donation_and_talent_projects_are_not_joined_this_way(area: str) -> None:
    with pytest.raises(ValidationError) as error:
        participation_join(
            resident=UserFactory.create(),
            project=ProjectFactory.create(area=area),
            role="volunteer",
        )

    assert error.value.code == "area_not_joinable"


def test_a_second_active_participation_in_the_same_role_is_refused() -> None:
    project = ProjectFactory.create(area=Area.EDUCATION)
    resident = UserFactory.create()
    participation_join(resident=resident, project=project, role="volunteer")

    with pytest.raises(ValidationError) as error:
        participation_join(resident=resident, project=project, role="volunteer")

    assert error.value.code == "already_joined"
    assert Participation.objects.count() == 1


def test_a_resident_whose_participation_ended_may_join_again() -> None:
    earlier = ParticipationFactory.create(
        project=ProjectFactory.create(area=Area.NETWORK), status=Participation.Status.ENDED
    )

    again = participation_join(resident=earlier.resident, project=earlier.project, role="volunteer")

    assert again.pk != earlier.pk
    assert again.status == Participation.Status.ACTIVE


def test_an_unknown_role_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as error:
        participation_join(
            resident=UserFactory.create(), project=ProjectFactory.create(), role="boss"
        )

    assert "role" in error.value.message_dict
