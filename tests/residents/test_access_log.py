import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import District
from residents.models import PersonalDataAccess, ResidentProfile, User
from residents.selectors import personal_data_accesses_past_retention
from residents.services import (
    AccessSubject,
    personal_data_access_record,
    personal_data_accesses_record,
)
from tests.residents.factories import (
    DistrictFactory,
    NeighbourhoodFactory,
    ResidentProfileFactory,
    UserFactory,
    district_staff_user,
)

pytestmark = pytest.mark.django_db

ACCESSES_URL = reverse("admin:residents_personaldataaccess_changelist")
ALL_ACCESS_PERMISSIONS = tuple(
    f"residents.{action}_personaldataaccess" for action in ("view", "add", "change", "delete")
)


@pytest.fixture
def ours() -> District:
    return DistrictFactory.create(code="ours")


@pytest.fixture
def profile(ours: District) -> ResidentProfile:
    return ResidentProfileFactory.create(neighbourhood=NeighbourhoodFactory.create(district=ours))


def _access(viewer: User, subject: User, **fields: object) -> PersonalDataAccess:
    return personal_data_access_record(
        viewer=viewer,
        subject_user=subject,
        view_name="test",
        reason=PersonalDataAccess.Reason.CASE_REVIEW,
        **fields,  # type: ignore[arg-type]
    )


def test_each_opening_of_a_profile_in_the_admin_logs_one_access(
    client: Client, ours: District, profile: ResidentProfile
) -> None:
    staff = district_staff_user(ours, "residents.view_residentprofile")
    client.force_login(staff)
    url = reverse("admin:residents_residentprofile_change", args=[profile.pk])

    first = client.get(url)
    second = client.get(url)
    client.get(reverse("admin:residents_residentprofile_changelist"))

    assert first.status_code == second.status_code == 200
    accesses = list(PersonalDataAccess.objects.order_by("at"))
    assert len(accesses) == 3  # two openings, and the list that showed the resident
    assert {(a.viewer_id, a.subject_user_id) for a in accesses} == {(staff.pk, profile.user_id)}
    assert [a.view_name for a in accesses] == [
        "admin:residents_residentprofile_change",
        "admin:residents_residentprofile_change",
        "admin:residents_residentprofile_changelist",
    ]


def test_opening_a_profile_of_another_district_logs_nothing(client: Client, ours: District) -> None:
    elsewhere = NeighbourhoodFactory.create(district=DistrictFactory.create(code="theirs"))
    theirs = ResidentProfileFactory.create(neighbourhood=elsewhere)
    client.force_login(district_staff_user(ours, "residents.view_residentprofile"))

    response = client.get(reverse("admin:residents_residentprofile_change", args=[theirs.pk]))

    assert response.status_code == 302
    assert not PersonalDataAccess.objects.exists()


def test_no_one_may_add_change_or_delete_an_access_in_the_admin(
    client: Client, admin_client: Client, ours: District, profile: ResidentProfile
) -> None:
    staff = district_staff_user(ours, *ALL_ACCESS_PERMISSIONS)
    access = _access(staff, profile.user)
    change_url = reverse("admin:residents_personaldataaccess_change", args=[access.pk])
    delete_url = reverse("admin:residents_personaldataaccess_delete", args=[access.pk])
    add_url = reverse("admin:residents_personaldataaccess_add")

    for who in (client, admin_client):
        if who is client:
            client.force_login(staff)
        page = who.get(change_url)
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        assert who.post(change_url, {"view_name": "changed", "reason": "other"}).status_code == 403
        assert who.get(add_url).status_code == 403
        assert who.get(delete_url).status_code == 403
        assert who.post(delete_url, {"post": "yes"}).status_code == 403
        bulk = who.post(
            ACCESSES_URL, {"action": "delete_selected", "_selected_action": [access.pk]}
        )
        assert bulk.status_code in (200, 302)

    access.refresh_from_db()
    assert access.view_name == "test"
    assert PersonalDataAccess.objects.count() == 1


def test_staff_see_only_the_accesses_of_their_own_districts_staff(
    client: Client, ours: District, profile: ResidentProfile, django_assert_max_num_queries
) -> None:
    theirs = DistrictFactory.create(code="theirs")
    ours_staff = district_staff_user(ours, "residents.view_personaldataaccess")
    their_staff = district_staff_user(theirs, "residents.view_personaldataaccess")
    mine = [_access(ours_staff, profile.user) for _ in range(3)]
    not_mine = _access(their_staff, profile.user)
    client.force_login(ours_staff)

    with django_assert_max_num_queries(12):
        response = client.get(ACCESSES_URL)
    detail = client.get(reverse("admin:residents_personaldataaccess_change", args=[not_mine.pk]))

    assert response.status_code == 200
    assert {a.pk for a in response.context["cl"].result_list} == {a.pk for a in mine}
    assert detail.status_code == 302


def test_the_list_filters_by_reason_and_searches_by_viewer(
    client: Client, ours: District, profile: ResidentProfile
) -> None:
    staff = district_staff_user(ours, "residents.view_personaldataaccess", username="kimstaff")
    other = district_staff_user(ours, username="leestaff")
    review = _access(staff, profile.user)
    export = personal_data_access_record(
        viewer=other,
        subject_user=profile.user,
        view_name="test",
        reason=PersonalDataAccess.Reason.DATA_EXPORT,
    )
    client.force_login(staff)

    by_reason = client.get(ACCESSES_URL, {"reason__exact": "data_export"})
    by_viewer = client.get(ACCESSES_URL, {"q": "kimstaff"})

    assert [a.pk for a in by_reason.context["cl"].result_list] == [export.pk]
    assert [a.pk for a in by_viewer.context["cl"].result_list] == [review.pk]


def test_the_csv_export_lists_the_selected_accesses_of_the_district(
    client: Client, ours: District, profile: ResidentProfile
) -> None:
    staff = district_staff_user(ours, "residents.view_personaldataaccess", username="kimstaff")
    access = _access(staff, profile.user, subject_application_id=42)
    client.force_login(staff)

    response = client.post(
        ACCESSES_URL, {"action": "export_accesses_csv", "_selected_action": [access.pk]}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2
    assert "kimstaff" in lines[1]
    assert profile.user.username in lines[1]
    assert ",42," in lines[1]


def test_recording_an_access_requires_a_known_reason() -> None:
    viewer = UserFactory.create(is_staff=True)

    with pytest.raises(ValidationError) as error:
        personal_data_access_record(
            viewer=viewer, subject_user=viewer, view_name="test", reason="curiosity"
        )

    assert "reason" in error.value.message_dict
    assert not PersonalDataAccess.objects.exists()


def test_recording_an_access_requires_whose_data_was_viewed() -> None:
    viewer = UserFactory.create(is_staff=True)

    with pytest.raises(ValidationError) as error:
        personal_data_access_record(
            viewer=viewer, view_name="test", reason=PersonalDataAccess.Reason.OTHER
        )

    assert "subject_user" in error.value.message_dict


def test_recording_an_access_by_application_id_alone_is_enough() -> None:
    viewer = UserFactory.create(is_staff=True)

    access = personal_data_access_record(
        viewer=viewer,
        view_name="matching:queue",
        reason=PersonalDataAccess.Reason.OUTCOME_RECORDING,
        subject_application_id=7,
    )

    assert access.subject_application_id == 7
    assert access.subject_user is None
    assert access.at is not None


def test_rows_older_than_two_years_are_past_retention(profile: ResidentProfile) -> None:
    viewer = UserFactory.create(is_staff=True)
    now = timezone.now()
    old = _access(viewer, profile.user)
    recent = _access(viewer, profile.user)
    PersonalDataAccess.objects.filter(pk=old.pk).update(at=now - datetime.timedelta(days=731))
    PersonalDataAccess.objects.filter(pk=recent.pk).update(at=now - datetime.timedelta(days=729))

    assert list(personal_data_accesses_past_retention(now=now)) == [old]


def test_a_list_view_logs_one_row_per_person_shown_in_one_query(
    ours: District, profile: ResidentProfile, django_assert_num_queries: Any
) -> None:
    viewer = district_staff_user(ours)
    subjects = [
        AccessSubject(user_id=profile.user_id, application_id=7),
        AccessSubject(referral_id=9),
        AccessSubject(),  # a line that names no one is not logged
    ]

    with django_assert_num_queries(1):
        rows = personal_data_accesses_record(
            viewer=viewer,
            view_name="queue:index",
            reason=PersonalDataAccess.Reason.CASE_REVIEW,
            subjects=subjects,
        )

    assert len(rows) == 2
    logged = PersonalDataAccess.objects.order_by("pk")
    assert [
        (a.subject_user_id, a.subject_application_id, a.subject_referral_id) for a in logged
    ] == [
        (profile.user_id, 7, None),
        (None, None, 9),
    ]
    assert len({a.at for a in logged}) == 1


def test_a_list_view_without_a_reason_is_refused() -> None:
    with pytest.raises(ValidationError):
        personal_data_accesses_record(
            viewer=UserFactory.create(),
            view_name="queue:index",
            reason="curiosity",
            subjects=[AccessSubject(referral_id=1)],
        )
    assert not PersonalDataAccess.objects.exists()
