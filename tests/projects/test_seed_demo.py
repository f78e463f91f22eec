from datetime import date, timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import RequestFactory
from django.utils import timezone

from donations.models import DonationPledge, DonationReceipt
from matching.models import SupportApplication
from projects.models import (
    Area,
    District,
    Neighbourhood,
    Organisation,
    Participation,
    Project,
    StaffMember,
)
from residents.models import Consent, ResidentProfile, User
from talents.models import TalentOffer

DEMO_LOGINS = ("resident@example.com", "coordinator@example.com", "staff@example.com")


def _seed(scale: str = "small", seed: int = 2026) -> None:
    call_command("seed_demo", "--scale", scale, "--seed", str(seed), stdout=StringIO())


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label
        in {
            "projects",
            "residents",
            "donations",
            "talents",
            "matching",
            "surveys",
            "impact",
            "visitors",
        }
    }


def _demo_residents() -> list[User]:
    return list(User.objects.filter(username__startswith="demo-resident-"))


@pytest.mark.django_db
def test_seed_demo_loads_the_model_district_with_its_sixteen_neighbourhoods() -> None:
    _seed()

    district = District.objects.get(code="jungnang")
    names = set(Neighbourhood.objects.filter(district=district).values_list("name", flat=True))
    assert len(names) == 16
    assert {"면목본동", "면목3·8동", "신내2동"} <= names


@pytest.mark.django_db
def test_seed_demo_creates_the_three_demo_logins_with_verified_email() -> None:
    _seed()

    for email in DEMO_LOGINS:
        user = User.objects.get(email=email)
        assert EmailAddress.objects.get(user=user, email=email).verified
        # As a login does: with the request (django-axes, first in the backends, needs it).
        login = RequestFactory().post("/accounts/login/")
        assert authenticate(login, username=user.username, password="welfare-demo-2026") == user
    assert User.objects.get(email="staff@example.com").is_staff


@pytest.mark.django_db
def test_demo_residents_cannot_log_in_only_the_three_demo_logins_can() -> None:
    _seed()

    residents = _demo_residents()
    assert residents
    assert not any(user.has_usable_password() for user in residents)
    can_log_in = {user.email for user in User.objects.all() if user.has_usable_password()}
    assert can_log_in == set(DEMO_LOGINS)


@pytest.mark.django_db
def test_small_scale_gives_every_area_projects_from_every_kind_of_provider() -> None:
    _seed()

    district = District.objects.get(code="jungnang")
    projects = Project.objects.filter(district=district)
    assert 15 <= projects.filter(created_at__year=timezone.localdate().year - 1).count() <= 30
    for area in Area.values:
        assert projects.filter(area=area, status=Project.Status.OPEN).exists(), area
    kinds = set(Organisation.objects.filter(district=district).values_list("kind", flat=True))
    assert kinds == set(Organisation.Kind.values)
    assert all(p.organisation.district_id == district.pk for p in projects)
    # Places are taken only by the demo's accepted and delivered applications (matching).
    assert all(5 <= p.capacity <= 200 and 0 <= p.places_taken <= p.capacity for p in projects)
    assert all(p.title and p.description and p.contact_phone for p in projects)
    for project in projects.annotate(served=Count("neighbourhoods")):
        assert project.whole_district or project.served >= 1, project.title


@pytest.mark.django_db
def test_open_projects_are_in_their_period_today_so_matching_can_use_them() -> None:
    _seed()

    today = timezone.localdate()
    open_projects = Project.objects.filter(status=Project.Status.OPEN)
    assert open_projects.exists()
    out_of_period = open_projects.exclude(
        Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )
    assert not out_of_period.exists()
    assert not open_projects.filter(apply_by__lt=today).exists()


@pytest.mark.django_db
def test_projects_were_registered_in_the_demo_year_or_before_and_closed_ones_ended_then() -> None:
    _seed()

    today = timezone.localdate()
    demo_year = today.year - 1
    for project in Project.objects.exclude(status=Project.Status.DRAFT):
        registered = timezone.localtime(project.created_at).year
        assert registered in (demo_year, demo_year - 1), project.title
        if registered == demo_year - 1:
            # The platform's first year: its projects all ran and closed in it.
            assert project.status == Project.Status.CLOSED, project.title
            assert project.starts_on.year == demo_year - 1
    for project in Project.objects.filter(status=Project.Status.CLOSED):
        registered = timezone.localtime(project.created_at).year
        assert project.ends_on is not None and project.ends_on.year == registered
    assert Project.objects.filter(created_at__year=demo_year - 1).count() == 10
    # Drafts are this year's work in progress, entered in the last weeks.
    drafts = Project.objects.filter(status=Project.Status.DRAFT)
    assert drafts.count() == 2
    for draft in drafts:
        assert today - timedelta(days=45) <= timezone.localtime(draft.created_at).date() <= today
        assert draft.starts_on > today


@pytest.mark.django_db
def test_the_year_before_has_participations_pledges_and_offers_by_residents_signed_up_then() -> (
    None
):
    _seed()

    previous = timezone.localdate().year - 2
    participations = Participation.objects.filter(started_on__year=previous).select_related(
        "project", "resident"
    )
    pledges = DonationPledge.objects.filter(created_at__year=previous).select_related(
        "project", "donor"
    )
    offers = TalentOffer.objects.filter(created_at__year=previous).select_related("resident")
    assert participations.exists() and pledges.exists() and offers.exists()
    for participation in participations:
        assert participation.project.ends_on is not None
        assert participation.started_on <= participation.project.ends_on
        joined = timezone.localtime(participation.resident.date_joined).date()
        assert joined <= participation.started_on
    for pledge in pledges:
        assert pledge.project.created_at.year == previous
        assert pledge.donor.date_joined <= pledge.created_at
    for offer in offers:
        assert offer.resident.date_joined <= offer.created_at
        assert offer.status != TalentOffer.Status.ACTIVE
    assert not SupportApplication.objects.filter(submitted_at__year=previous).exists()


@pytest.mark.django_db
def test_every_demo_resident_has_a_profile_in_the_district_and_a_personal_consent() -> None:
    _seed()

    district = District.objects.get(code="jungnang")
    residents = _demo_residents()
    assert len(residents) == 60
    profiles = ResidentProfile.objects.filter(user__in=residents).select_related("neighbourhood")
    assert profiles.count() == len(residents)
    assert all(p.neighbourhood.district_id == district.pk for p in profiles)
    assert all(1920 <= p.birth_year <= date.today().year - 14 for p in profiles)
    assert all(p.phone.startswith("010-") for p in profiles)
    personal = Consent.objects.filter(kind=Consent.Kind.PERSONAL, withdrawn_at__isnull=True)
    assert set(personal.values_list("user_id", flat=True)) >= {u.pk for u in residents}


@pytest.mark.django_db
def test_residents_declaring_a_disability_gave_the_separate_sensitive_consent() -> None:
    _seed()

    declaring = set(
        ResidentProfile.objects.filter(target_groups__code="disability").values_list(
            "user_id", flat=True
        )
    )
    sensitive = set(
        Consent.objects.filter(kind=Consent.Kind.SENSITIVE).values_list("user_id", flat=True)
    )
    assert declaring
    assert sensitive == declaring


@pytest.mark.django_db
def test_participations_pledges_and_talent_offers_are_plausible_and_no_receipt_is_issued() -> None:
    _seed()

    participations = Participation.objects.select_related("project")
    assert participations.exists()
    for participation in participations:
        project = participation.project
        assert project.area in {Area.NETWORK, Area.HEALTH, Area.EDUCATION}
        assert project.status != Project.Status.DRAFT
        assert participation.started_on >= project.starts_on
    pledges = DonationPledge.objects.select_related("project")
    assert pledges.exists()
    assert set(pledges.values_list("status", flat=True)) <= {"pledged", "cancelled"}
    assert all(p.project.area == Area.DONATION and p.received_at is None for p in pledges)
    money = pledges.filter(kind=DonationPledge.Kind.MONEY)
    assert money.exists()
    assert all(10_000 <= p.amount_won <= 500_000 for p in money if p.amount_won)
    assert not DonationReceipt.objects.exists()
    offers = TalentOffer.objects.select_related("project")
    assert offers.exists()
    for offer in offers.filter(status=TalentOffer.Status.ACTIVE):
        assert offer.project is not None
        assert offer.project.area == Area.TALENT
        assert offer.project.status == Project.Status.OPEN


@pytest.mark.django_db
def test_the_demo_resident_lives_in_myeonmok_bon_dong_with_consents_given() -> None:
    _seed()

    profile = ResidentProfile.objects.get(user__email="resident@example.com")
    assert profile.neighbourhood.name == "면목본동"
    kinds = set(profile.user.consents.values_list("kind", flat=True))
    assert Consent.Kind.PERSONAL in kinds


@pytest.mark.django_db
def test_the_demo_coordinator_and_staff_get_their_district_roles_and_groups() -> None:
    coordinators = Group.objects.get_or_create(name="coordinator")[0]
    district_staff = Group.objects.get_or_create(name="district staff")[0]

    _seed()

    coordinator = StaffMember.objects.get(user__email="coordinator@example.com")
    assert coordinator.role == StaffMember.Role.COORDINATOR
    assert coordinator.district.code == "jungnang"
    assert 2 <= coordinator.neighbourhoods.count() <= 3
    assert coordinator.user.groups.filter(pk=coordinators.pk).exists()
    staff = StaffMember.objects.get(user__email="staff@example.com")
    assert staff.role == StaffMember.Role.STAFF
    assert staff.user.is_staff
    assert staff.user.groups.filter(pk=district_staff.pk).exists()


@pytest.mark.django_db
def test_seed_demo_run_twice_changes_nothing() -> None:
    _seed(seed=7)
    first = _row_counts()

    _seed(seed=7)

    assert _row_counts() == first


@pytest.mark.django_db
def test_a_district_year_run_after_a_small_one_changes_nothing() -> None:
    _seed("small", seed=7)
    first = _row_counts()

    _seed("district-year", seed=8)

    assert _row_counts() == first


def _projects_after_seeding(seed: int) -> list[tuple[str, str, int]]:
    """What one seeding on the current database makes, then rolled back."""
    with transaction.atomic():
        _seed(seed=seed)
        projects = list(
            Project.objects.order_by("pk").values_list("title", "organisation__name", "capacity")
        )
        transaction.set_rollback(True)
    return projects


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_projects_and_another_seed_other_ones() -> None:
    first = _projects_after_seeding(3)
    again = _projects_after_seeding(3)
    other = _projects_after_seeding(4)

    assert first
    assert again == first
    assert other != first


@pytest.mark.django_db
def test_district_year_is_sized_like_the_districts_first_year() -> None:
    _seed("district-year")

    district = District.objects.get(code="jungnang")
    year = timezone.localdate().year - 1
    projects = Project.objects.filter(district=district, created_at__year=year)
    assert projects.count() == 347
    assert not projects.filter(status=Project.Status.DRAFT).exists()
    assert Project.objects.filter(district=district, created_at__year=year - 1).count() == 181
    assert 55 <= Organisation.objects.filter(district=district).count() <= 65
    assert 0.10 <= projects.filter(whole_district=True).count() / 347 <= 0.20
    assert projects.filter(status=Project.Status.OPEN).count() > 347 / 2
    assert ResidentProfile.objects.filter(neighbourhood__district=district).count() >= 14_134
    # From the demo year on (the year before has its own, fewer).
    assert 4_500 <= Participation.objects.filter(started_on__year__gte=year).count() <= 5_500
    assert 2_800 <= DonationPledge.objects.filter(created_at__year__gte=year).count() <= 3_200
    assert 850 <= TalentOffer.objects.filter(created_at__year__gte=year).count() <= 950
    assert not DonationReceipt.objects.exists()
    applications = SupportApplication.objects.filter(submitted_at__year=year)
    assert applications.count() == 10_389
    assert applications.filter(status=SupportApplication.Status.DELIVERED).count() == 9_180
