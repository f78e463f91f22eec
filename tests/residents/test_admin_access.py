"""Every admin page that shows a resident's personal data writes the access log.

The test walks every model registered in the admin: as district staff (the account admin: as
a superuser, the only ones allowed in) it opens the list, a search and the change page of a
row of a resident with activity in every app, and checks the log names the resident for each
admin that declares it shows personal data. An admin that declares nothing fails, and so does
one of a model linked to an account that says it shows none without saying why."""

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.db.models import Model, Q
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from matching.models import MatchProposal
from projects.models import District, Neighbourhood
from residents.admin_access import PersonalDataAdmin
from residents.models import PersonalDataAccess, User
from tests.factories import MatchRunFactory, NeighbourhoodFactory
from tests.matching.factories import ProjectFactory
from tests.privacy.helpers import Everything, resident_with_everything
from tests.residents.factories import DistrictFactory, district_staff_user
from welfare_net.personal_data import linked_models

pytestmark = pytest.mark.django_db

PHONE = "010-1234-5678"  # the helper's profile phone


@pytest.fixture
def ours() -> District:
    return DistrictFactory.create(code="ours")


@pytest.fixture
def here(ours: District) -> Neighbourhood:
    return NeighbourhoodFactory.create(district=ours)


@pytest.fixture
def resident(here: Neighbourhood) -> Everything:
    everything = resident_with_everything(neighbourhood=here, marker="다온")
    MatchProposal.objects.create(
        run=MatchRunFactory.create(district=here.district),
        application=everything.application,
        project=ProjectFactory.create(district=here.district),
        score=10,
    )
    user = everything.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    AuthToken.objects.create(user=user)
    seen = {"ip_address": "203.0.113.9", "user_agent": "phone", "http_accept": "*/*"}
    name = user.email.lower()
    AccessAttempt.objects.create(
        username=name, path_info="/accounts/login/", failures_since_start=1, **seen
    )
    AccessFailureLog.objects.create(username=name, path_info="/accounts/login/", **seen)
    AccessLog.objects.create(username=name, path_info="/accounts/login/", **seen)
    return everything


def all_view_permissions() -> list[str]:
    return [
        f"{model._meta.app_label}.view_{model._meta.model_name}" for model in admin.site._registry
    ]


def registered() -> list[tuple[type[Model], admin.ModelAdmin]]:
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def logged(viewer: User, who: Everything, page: str) -> bool:
    return PersonalDataAccess.objects.filter(
        Q(subject_user=who.user) | Q(subject_application_id=who.application.pk),
        viewer=viewer,
        view_name=page,
    ).exists()


def test_every_admin_declares_whether_it_shows_personal_data() -> None:
    linked = set(linked_models())
    undeclared = [
        model._meta.label
        for model, model_admin in registered()
        if not isinstance(getattr(model_admin, "shows_personal_data", None), bool)
        or not isinstance(model_admin, PersonalDataAdmin)
    ]
    unexplained = [
        model._meta.label
        for model, model_admin in registered()
        if model in linked
        and getattr(model_admin, "shows_personal_data", None) is False
        and not getattr(model_admin, "not_personal_because", "")
    ]

    assert undeclared == [], "set shows_personal_data (residents.admin_access)"
    assert unexplained == [], "say in not_personal_because why no personal data is shown"


def test_every_admin_page_showing_a_residents_data_writes_the_access_log(
    client: Client, ours: District, resident: Everything
) -> None:
    staff = district_staff_user(ours, *all_view_permissions())
    root = User.objects.create_superuser("root", "root@example.org", "root-password-1")
    linked = set(linked_models())
    missing = []
    for model, model_admin in registered():
        # Undeclared, an admin of a model linked to an account is taken to show personal data.
        if not getattr(model_admin, "shows_personal_data", model in linked):
            continue
        viewer = root if model is User else staff
        client.force_login(viewer)
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        listed = client.get(url)
        assert listed.status_code == 200, opts.label
        rows = list(listed.context["cl"].result_list)
        assert rows, f"{opts.label}: the resident's row is not listed"
        if not logged(viewer, resident, f"admin:{opts.app_label}_{opts.model_name}_changelist"):
            missing.append(f"{opts.label} list")

        searched = client.get(url, {"q": resident.marker})
        assert searched.status_code == 200, opts.label
        if searched.context["cl"].result_list and not logged(
            viewer, resident, f"admin:{opts.app_label}_{opts.model_name}_search"
        ):
            missing.append(f"{opts.label} search")

        for row in rows:  # a few: the resident's, and for accounts the staff's
            change = client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
            )
            assert change.status_code == 200, opts.label
        if not logged(viewer, resident, f"admin:{opts.app_label}_{opts.model_name}_change"):
            missing.append(f"{opts.label} change page")

    assert missing == []


def test_a_profile_search_by_phone_number_is_logged(
    client: Client, ours: District, resident: Everything
) -> None:
    staff = district_staff_user(ours, "residents.view_residentprofile")
    client.force_login(staff)

    response = client.get(reverse("admin:residents_residentprofile_changelist"), {"q": PHONE})

    assert [p.user for p in response.context["cl"].result_list] == [resident.user]
    assert logged(staff, resident, "admin:residents_residentprofile_search")


def test_a_list_page_logs_one_row_per_resident_shown_in_one_query(
    client: Client, ours: District, here: Neighbourhood, django_assert_max_num_queries
) -> None:
    from tests.residents.factories import ResidentProfileFactory

    ResidentProfileFactory.create_batch(30, neighbourhood=here)
    staff = district_staff_user(ours, "residents.view_residentprofile")
    client.force_login(staff)

    with django_assert_max_num_queries(11):
        client.get(reverse("admin:residents_residentprofile_changelist"))

    assert PersonalDataAccess.objects.filter(viewer=staff).count() == 30


def test_a_page_that_shows_nothing_logs_nothing(
    client: Client, ours: District, resident: Everything
) -> None:
    theirs = DistrictFactory.create(code="theirs")
    stranger = district_staff_user(theirs, "residents.view_residentprofile")
    client.force_login(stranger)
    profile_url = reverse("admin:residents_residentprofile_change", args=[resident.user.profile.pk])

    out_of_scope = client.get(profile_url)
    empty_search = client.get(
        reverse("admin:residents_residentprofile_changelist"), {"q": "nobody-at-all"}
    )

    assert out_of_scope.status_code == 302
    assert empty_search.context["cl"].result_list.count() == 0
    assert not PersonalDataAccess.objects.filter(viewer=stranger).exists()


def test_an_action_page_listing_the_residents_selected_is_logged(
    client: Client, ours: District, resident: Everything
) -> None:
    staff = district_staff_user(
        ours, "projects.view_participation", "projects.delete_participation"
    )
    client.force_login(staff)
    participation = resident.user.participations.get()

    confirm = client.post(
        reverse("admin:projects_participation_changelist"),
        {"action": "delete_selected", "_selected_action": [participation.pk]},
    )

    assert confirm.status_code == 200
    assert resident.user.username in confirm.content.decode()
    assert logged(staff, resident, "admin:projects_participation_action")


def test_an_action_posted_with_ids_that_are_not_ids_answers_without_an_error(
    client: Client, ours: District, resident: Everything
) -> None:
    staff = district_staff_user(
        ours, "projects.view_participation", "projects.delete_participation"
    )
    client.force_login(staff)

    response = client.post(
        reverse("admin:projects_participation_changelist"),
        {"action": "delete_selected", "_selected_action": ["not-a-number", "1e9"]},
    )

    assert response.status_code < 500
