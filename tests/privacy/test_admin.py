"""The staff export of one resident's data (their request of access), from the resident
profiles' admin: who may export whom, what the file holds, and the access-log row it writes."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from projects.models import District, Neighbourhood, StaffMember
from residents.models import PersonalDataAccess, User
from tests.factories import NeighbourhoodFactory, StaffMemberFactory, UserFactory
from tests.privacy.helpers import Everything, resident_with_everything
from tests.residents.factories import DistrictFactory, district_staff_user

pytestmark = pytest.mark.django_db

PROFILES_URL = reverse("admin:residents_residentprofile_changelist")
ACTION = "export_resident_data"


@pytest.fixture
def ours() -> District:
    return DistrictFactory.create(code="ours")


@pytest.fixture
def here(ours: District) -> Neighbourhood:
    return NeighbourhoodFactory.create(district=ours)


@pytest.fixture
def alice(here: Neighbourhood) -> Everything:
    return resident_with_everything(neighbourhood=here, marker="가영")


def export(client: Client, *residents: Everything) -> Any:
    return client.post(
        PROFILES_URL,
        {
            "action": ACTION,
            "_selected_action": [r.user.profile.pk for r in residents],
            "index": "0",
        },
    )


def exports_logged() -> int:
    return PersonalDataAccess.objects.filter(reason=PersonalDataAccess.Reason.DATA_EXPORT).count()


def test_district_staff_export_their_residents_data_as_a_json_file_and_the_export_is_logged(
    client: Client, ours: District, here: Neighbourhood, alice: Everything
) -> None:
    resident_with_everything(neighbourhood=here, marker="나래")
    staff = district_staff_user(ours, "residents.view_residentprofile")
    client.force_login(staff)

    response = export(client, alice)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="resident-data-{alice.user.pk}-'
    )
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "나래" not in text
    data = json.loads(text)
    assert data["resident_id"] == alice.user.pk
    assert data["support_applications"][0]["description"] == "가영: 반찬이 필요합니다"
    logged = PersonalDataAccess.objects.get(reason=PersonalDataAccess.Reason.DATA_EXPORT)
    assert (logged.viewer, logged.subject_user) == (staff, alice.user)
    # The file lists its own export among the views of their data.
    assert "data_export" in [access["reason"] for access in data["personal_data_accesses"]]


def test_a_superuser_exports_a_resident_of_any_district(client: Client, alice: Everything) -> None:
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))

    response = export(client, alice)

    assert response.status_code == 200
    assert json.loads(response.content)["resident_id"] == alice.user.pk
    assert exports_logged() == 1


def test_staff_of_another_district_cannot_export_and_nothing_is_logged(
    client: Client, alice: Everything
) -> None:
    theirs = DistrictFactory.create(code="theirs")
    client.force_login(district_staff_user(theirs, "residents.view_residentprofile"))

    response = export(client, alice)

    # The profile is not in their list: nothing is selected, the list is shown again.
    assert response.status_code == 302
    assert response["Content-Type"].startswith("text/html")
    assert exports_logged() == 0


def test_staff_of_another_district_cannot_export_even_where_the_resident_applied_there(
    client: Client, alice: Everything
) -> None:
    """The scope is where the resident lives (their profile): an application elsewhere does
    not let that district export everything about them."""
    theirs = DistrictFactory.create(code="theirs")
    alice.application.__class__.objects.filter(pk=alice.application.pk).update(
        district=theirs, neighbourhood=NeighbourhoodFactory.create(district=theirs)
    )
    client.force_login(district_staff_user(theirs, "residents.view_residentprofile"))

    assert export(client, alice).status_code == 302
    assert exports_logged() == 0


def _coordinator(district: District) -> User:
    """A coordinator who was (wrongly) given the view permission of profiles."""
    from django.contrib.auth.models import Permission

    member = StaffMemberFactory.create(district=district, role=StaffMember.Role.COORDINATOR)
    member.user.user_permissions.add(Permission.objects.get(codename="view_residentprofile"))
    return member.user


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),  # to the admin's login page
        ("resident", 302),  # not staff: to the admin's login page
        ("coordinator", 200),  # not district staff: no action is theirs, the list is shown
        ("staff_without_view_permission", 403),
    ],
)
def test_only_district_staff_and_superusers_may_export(
    client: Client, ours: District, alice: Everything, who: str, status: int
) -> None:
    users = {
        "resident": lambda: (
            resident_with_everything(
                neighbourhood=alice.user.profile.neighbourhood, marker="다은"
            ).user
        ),
        "coordinator": lambda: _coordinator(ours),
        "staff_without_view_permission": lambda: district_staff_user(ours),
    }
    if who != "anonymous":
        client.force_login(users[who]())

    response = export(client, alice)

    assert response.status_code == status
    assert not response.get("Content-Disposition")
    assert exports_logged() == 0


def test_the_export_action_is_offered_to_district_staff_but_not_to_coordinators(
    client: Client, ours: District, alice: Everything
) -> None:
    def offered() -> list[str]:
        form = client.get(PROFILES_URL).context["action_form"]
        return [value for value, _label in form.fields["action"].choices] if form else []

    client.force_login(district_staff_user(ours, "residents.view_residentprofile"))
    to_staff = offered()
    client.force_login(_coordinator(ours))
    to_coordinator = offered()

    assert ACTION in to_staff
    assert ACTION not in to_coordinator


def test_one_resident_is_exported_at_a_time(
    client: Client, ours: District, here: Neighbourhood, alice: Everything
) -> None:
    bob = resident_with_everything(neighbourhood=here, marker="나래")
    client.force_login(district_staff_user(ours, "residents.view_residentprofile"))

    response = export(client, alice, bob)

    assert response.status_code == 302
    assert exports_logged() == 0
