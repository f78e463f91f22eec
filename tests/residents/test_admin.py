import pytest
from django.test import Client
from django.urls import reverse

from projects.models import District
from residents.models import Consent, ResidentProfile
from residents.services import consent_give
from tests.residents.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    ResidentProfileFactory,
    district_staff_user,
)

pytestmark = pytest.mark.django_db

PROFILES_URL = reverse("admin:residents_residentprofile_changelist")
CONSENTS_URL = reverse("admin:residents_consent_changelist")
ALL_PROFILE_PERMISSIONS = tuple(
    f"residents.{action}_residentprofile" for action in ("view", "add", "change", "delete")
)


@pytest.fixture
def ours() -> District:
    return DistrictFactory.create(code="ours")


@pytest.fixture
def profiles(ours: District) -> dict[str, list[ResidentProfile]]:
    here = NeighbourhoodFactory.create_batch(3, district=ours)
    abroad = NeighbourhoodFactory.create(district=DistrictFactory.create(code="theirs"))
    mine = [ResidentProfileFactory.create(neighbourhood=here[i % 3]) for i in range(15)]
    not_mine = ResidentProfileFactory.create_batch(3, neighbourhood=abroad)
    for profile in [*mine, *not_mine]:
        consent_give(user=profile.user, kind=Consent.Kind.PERSONAL, text_version="2026-01")
    return {"mine": mine, "not_mine": not_mine}


def test_staff_see_only_their_districts_residents_in_bounded_queries(
    client: Client,
    ours: District,
    profiles: dict[str, list[ResidentProfile]],
    django_assert_max_num_queries,
) -> None:
    client.force_login(district_staff_user(ours, "residents.view_residentprofile"))

    # +1: the access-log rows of the residents shown, one insert
    with django_assert_max_num_queries(11):
        response = client.get(PROFILES_URL)

    assert response.status_code == 200
    listed = {profile.pk for profile in response.context["cl"].result_list}
    assert listed == {profile.pk for profile in profiles["mine"]}


def test_staff_may_view_but_not_add_change_or_delete_a_profile(
    client: Client, ours: District, profiles: dict[str, list[ResidentProfile]]
) -> None:
    client.force_login(district_staff_user(ours, *ALL_PROFILE_PERMISSIONS))
    profile = profiles["mine"][0]
    change_url = reverse("admin:residents_residentprofile_change", args=[profile.pk])

    page = client.get(change_url)
    post = client.post(change_url, {"birth_year": 1990})
    add = client.get(reverse("admin:residents_residentprofile_add"))
    delete = client.get(reverse("admin:residents_residentprofile_delete", args=[profile.pk]))
    theirs = client.get(
        reverse("admin:residents_residentprofile_change", args=[profiles["not_mine"][0].pk])
    )

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert post.status_code == 403
    assert add.status_code == 403
    assert delete.status_code == 403
    assert theirs.status_code == 302
    profile.refresh_from_db()
    assert profile.birth_year == 1950


def test_staff_see_only_their_districts_consents_read_only_in_bounded_queries(
    client: Client,
    ours: District,
    profiles: dict[str, list[ResidentProfile]],
    django_assert_max_num_queries,
) -> None:
    client.force_login(
        district_staff_user(ours, "residents.view_consent", "residents.change_consent")
    )

    with django_assert_max_num_queries(10):
        response = client.get(CONSENTS_URL)

    assert response.status_code == 200
    listed = {consent.user_id for consent in response.context["cl"].result_list}
    assert listed == {profile.user_id for profile in profiles["mine"]}
    assert response.context["has_add_permission"] is False


def test_the_user_admin_is_still_registered(admin_client: Client) -> None:
    response = admin_client.get(reverse("admin:residents_user_changelist"))

    assert response.status_code == 200
