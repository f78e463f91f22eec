"""Reads about residents."""

from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from .models import Consent, PersonalDataAccess, ResidentProfile, User


def profile_initial(*, user: User) -> dict[str, Any]:
    """The profile form's initial values: the saved profile and the active consents."""
    profile = (
        ResidentProfile.objects.filter(user_id=user.pk).prefetch_related("target_groups").first()
    )
    active = set(
        Consent.objects.filter(user_id=user.pk, withdrawn_at__isnull=True).values_list(
            "kind", flat=True
        )
    )
    initial: dict[str, Any] = {
        "consent_personal": Consent.Kind.PERSONAL in active,
        "consent_sensitive": Consent.Kind.SENSITIVE in active,
        "consent_notifications": Consent.Kind.NOTIFICATIONS in active,
    }
    if profile is not None:
        initial.update(
            neighbourhood=profile.neighbourhood_id,
            birth_year=profile.birth_year,
            household_type=profile.household_type,
            target_groups=list(profile.target_groups.all()),
            phone=profile.phone,
            preferred_language=profile.preferred_language,
            notification_channel=profile.notification_channel,
        )
    return initial


def profile_of(*, user: User) -> ResidentProfile | None:
    """The resident's own profile with its neighbourhood, district and groups (two queries),
    or None before they filled it in."""
    return (
        ResidentProfile.objects.select_related("neighbourhood__district")
        .prefetch_related("target_groups")
        .filter(user_id=user.pk)
        .first()
    )


def consents_for(*, user: User) -> QuerySet[Consent]:
    """Every consent the resident gave, the active ones first, newest first."""
    # Active (never withdrawn) first, said outright: databases differ on where NULLs sort.
    return Consent.objects.filter(user_id=user.pk).order_by(
        F("withdrawn_at").desc(nulls_first=True), "-given_at", "-pk"
    )


# The access log is kept two years (730 days; a leap day more or less does not matter here).
PERSONAL_DATA_ACCESS_RETENTION = timedelta(days=730)


def personal_data_accesses_past_retention(
    *, now: datetime | None = None
) -> QuerySet[PersonalDataAccess]:
    """Access-log rows older than their two-year retention, oldest first: what the retention
    job removes."""
    cutoff = (now or timezone.now()) - PERSONAL_DATA_ACCESS_RETENTION
    return PersonalDataAccess.objects.filter(at__lt=cutoff).order_by("at")


def email_is_verified(*, user: User, email: str) -> bool:
    """Whether ``email`` is one of the user's addresses, confirmed by its link (allauth's
    record): what the website asks before the first login by email."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user_id=user.pk, email__iexact=email, verified=True).exists()
