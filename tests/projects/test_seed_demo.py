import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command

from projects.models import District, Neighbourhood
from residents.models import User


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"projects", "residents", "donations", "talents", "matching", "surveys", "impact"}
    }


@pytest.mark.django_db
def test_seed_demo_loads_the_model_district_with_its_sixteen_neighbourhoods() -> None:
    call_command("seed_demo", "--scale", "small")

    district = District.objects.get(code="jungnang")
    names = set(Neighbourhood.objects.filter(district=district).values_list("name", flat=True))
    assert len(names) == 16
    assert {"면목본동", "면목3·8동", "신내2동"} <= names


@pytest.mark.django_db
def test_seed_demo_creates_the_three_demo_logins_with_verified_email() -> None:
    call_command("seed_demo", "--scale", "small")

    for email in ("resident@example.com", "coordinator@example.com", "staff@example.com"):
        user = User.objects.get(email=email)
        assert EmailAddress.objects.get(user=user, email=email).verified
        assert user.check_password("welfare-demo-2026")
    assert User.objects.get(email="staff@example.com").is_staff


@pytest.mark.django_db
def test_seed_demo_run_twice_changes_nothing() -> None:
    call_command("seed_demo", "--scale", "small", "--seed", "7")
    first = _row_counts()

    call_command("seed_demo", "--scale", "small", "--seed", "7")

    assert _row_counts() == first
