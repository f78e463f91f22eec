"""Reads about residents."""

from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from projects.models import StaffMember
from welfare_net.retention import retention_cutoff

from .models import Consent, PersonalDataAccess, ResidentProfile, User


def is_staff_account(*, user: User) -> bool:
    """Whether the account works for the platform: an admin user (staff or superuser), or a
    district staff member or coordinator. What it did (decisions, views of personal data) is
    part of the audit trail, so only a district administrator closes it."""
    if user.is_staff or user.is_superuser:
        return True
    return StaffMember.objects.filter(user_id=user.pk).exists()


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


def personal_data_accesses_past_retention(
    *, now: datetime | None = None
) -> QuerySet[PersonalDataAccess]:
    """Access-log rows older than their retention, oldest first: what the retention job
    removes. Two years (``settings.RETENTION_DAYS["access_log"]``, 730 days: a leap day more
    or less does not matter here), never less."""
    cutoff = retention_cutoff("access_log", now=now or timezone.now())
    return PersonalDataAccess.objects.filter(at__lt=cutoff).order_by("at")


def email_is_verified(*, user: User, email: str) -> bool:
    """Whether ``email`` is one of the user's addresses, confirmed by its link (allauth's
    record): what the website asks before the first login by email."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user_id=user.pk, email__iexact=email, verified=True).exists()


def personal_data_of(*, user_id: int, application_ids: Collection[int] = ()) -> dict[str, Any]:
    """Everything residents holds on a resident, for their request of access: the account,
    the profile, the consents, and the staff views of their data (of them, or of one of
    their applications, named by ``application_ids``). Six queries."""
    from allauth.account.models import EmailAddress

    user = User.objects.get(pk=user_id)
    profile = (
        ResidentProfile.objects.select_related("neighbourhood__district")
        .prefetch_related("target_groups")
        .filter(user_id=user_id)
        .first()
    )
    accesses = (
        PersonalDataAccess.objects.filter(
            Q(subject_user_id=user_id) | Q(subject_application_id__in=list(application_ids))
        )
        .select_related("viewer")
        .order_by("at", "pk")
    )
    return {
        "account": {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "email_addresses": [
                {"email": address.email, "verified": address.verified}
                for address in EmailAddress.objects.filter(user_id=user_id).order_by("pk")
            ],
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
        },
        "profile": None
        if profile is None
        else {
            "district": profile.neighbourhood.district.name,
            "neighbourhood": profile.neighbourhood.name,
            "birth_year": profile.birth_year,
            "household_type": profile.household_type,
            "target_groups": sorted(group.name for group in profile.target_groups.all()),
            "phone": profile.phone,
            "preferred_language": profile.preferred_language,
            "notification_channel": profile.notification_channel,
            "created_at": profile.created_at,
            "updated_at": profile.updated_at,
        },
        "consents": [
            {
                "kind": consent.kind,
                "text_version": consent.text_version,
                "given_at": consent.given_at,
                "withdrawn_at": consent.withdrawn_at,
            }
            for consent in Consent.objects.filter(user_id=user_id).order_by("given_at", "pk")
        ],
        # Who viewed their data, when and why: staff act for the district, so by name.
        "personal_data_accesses": [
            {
                "at": access.at,
                "viewed_by": access.viewer.get_username(),
                "page": access.view_name,
                "reason": access.reason,
                "application_id": access.subject_application_id,
            }
            for access in accesses
        ],
    }
