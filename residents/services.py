"""Writes about residents: their profile, their recorded consents, and the log of staff
views of their personal data."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from knox.models import AuthToken

from projects.models import Neighbourhood, TargetGroup
from welfare_net.personal_data import resident_data_erase
from welfare_net.retention import in_batches

from .models import Consent, PersonalDataAccess, ResidentProfile, User
from .selectors import is_staff_account, personal_data_accesses_past_retention


def _lock_user(user: User) -> None:
    """Serialise a resident's consent and profile changes: concurrent requests of the same
    resident queue on their user row instead of racing on "one active consent per kind"."""
    User.objects.select_for_update().filter(pk=user.pk).exists()


def _active_consent(*, user: User, kind: str) -> Consent | None:
    return Consent.objects.filter(user=user, kind=kind, withdrawn_at__isnull=True).first()


@transaction.atomic
def profile_upsert(
    *,
    user: User,
    neighbourhood: Neighbourhood,
    birth_year: int,
    household_type: str,
    phone: str,
    preferred_language: str,
    notification_channel: str,
    target_groups: Iterable[TargetGroup],
) -> ResidentProfile:
    """Create or update what a resident tells about themselves.

    Sensitive target groups (health, disability) may be declared only while the resident's
    consent to sensitive information is active. Errors name the field they are about."""
    _lock_user(user)
    groups = list(target_groups)
    profile = ResidentProfile.objects.filter(user=user).first() or ResidentProfile(user=user)
    profile.neighbourhood = neighbourhood
    profile.birth_year = birth_year
    profile.household_type = household_type
    profile.phone = phone.strip()
    profile.preferred_language = preferred_language
    profile.notification_channel = notification_channel

    errors: dict[str, list[StrOrPromise]] = {}
    try:
        profile.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if birth_year > timezone.localdate().year:
        errors.setdefault("birth_year", []).append(_("The birth year cannot be in the future."))
    if notification_channel == ResidentProfile.Channel.SMS and not profile.phone:
        errors.setdefault("phone", []).append(
            _("Enter a phone number to get notifications by text message.")
        )
    sensitive = [group for group in groups if group.is_sensitive]
    if sensitive and _active_consent(user=user, kind=Consent.Kind.SENSITIVE) is None:
        errors.setdefault("target_groups", []).append(
            _(
                "To declare %(groups)s, first give your consent to sensitive information "
                "(health, disability)."
            )
            % {"groups": ", ".join(group.name for group in sensitive)}
        )
    if errors:
        raise ValidationError(errors)
    profile.save()
    profile.target_groups.set(groups)
    return profile


@transaction.atomic
def consent_give(
    *, user: User, kind: str, text_version: str, at: datetime | None = None
) -> Consent:
    """Record a resident's consent of a kind under the text version they were shown.

    Giving again under the same version returns the active consent unchanged; under a new
    version, the old consent is withdrawn and the new one recorded, at the same moment."""
    text_version = text_version.strip()
    errors: dict[str, list[StrOrPromise]] = {}
    if kind not in Consent.Kind.values:
        errors.setdefault("kind", []).append(_("Unknown kind of consent."))
    if not text_version:
        errors.setdefault("text_version", []).append(
            _("Name the version of the text the resident agreed to.")
        )
    if errors:
        raise ValidationError(errors)
    _lock_user(user)
    at = at or timezone.now()
    active = _active_consent(user=user, kind=kind)
    if active is not None:
        if active.text_version == text_version:
            return active
        active.withdrawn_at = at
        active.save(update_fields=["withdrawn_at", "updated_at"])
    return Consent.objects.create(user=user, kind=kind, text_version=text_version, given_at=at)


@transaction.atomic
def consent_withdraw(*, user: User, kind: str) -> Consent | None:
    """Withdraw the resident's active consent of a kind; returns it, or None when none was
    active (withdrawing twice is harmless).

    Withdrawing the consent to sensitive information also removes the sensitive target groups
    from the resident's profile: that data may only be kept with the consent."""
    _lock_user(user)
    active = _active_consent(user=user, kind=kind)
    if active is None:
        return None
    active.withdrawn_at = timezone.now()
    active.save(update_fields=["withdrawn_at", "updated_at"])
    if kind == Consent.Kind.SENSITIVE:
        profile = ResidentProfile.objects.filter(user=user).first()
        if profile is not None:
            profile.target_groups.remove(*profile.target_groups.filter(is_sensitive=True))
    return active


@transaction.atomic
def profile_complete(
    *,
    user: User,
    neighbourhood: Neighbourhood,
    birth_year: int,
    household_type: str,
    phone: str,
    preferred_language: str,
    notification_channel: str,
    target_groups: Iterable[TargetGroup],
    consents: dict[str, str],
) -> ResidentProfile:
    """The profile step: record the consents ticked (kind -> text version), withdraw the ones
    left unticked, then save the profile. Consents first, so a sensitive group declared
    together with its consent is accepted."""
    for kind in Consent.Kind.values:
        if kind in consents:
            consent_give(user=user, kind=kind, text_version=consents[kind])
        else:
            consent_withdraw(user=user, kind=kind)
    return profile_upsert(
        user=user,
        neighbourhood=neighbourhood,
        birth_year=birth_year,
        household_type=household_type,
        phone=phone,
        preferred_language=preferred_language,
        notification_channel=notification_channel,
        target_groups=target_groups,
    )


@transaction.atomic
def profile_save(
    *,
    user: User,
    neighbourhood: Neighbourhood,
    birth_year: int,
    household_type: str,
    phone: str,
    preferred_language: str,
    notification_channel: str,
    target_groups: Iterable[TargetGroup],
) -> ResidentProfile:
    """Save the profile on its own, with the consents already recorded (an app gives them
    first, one by one; the website's profile step asks for both on one page, see
    ``profile_complete``).

    The profile is personal information, so the personal-information consent must be active
    (code ``consent_needed``); notifications by email or text message need the notifications
    consent. Then as ``profile_upsert``."""
    _lock_user(user)
    if _active_consent(user=user, kind=Consent.Kind.PERSONAL) is None:
        raise ValidationError(
            _("Your profile is personal information: we can only keep it with your consent."),
            code="consent_needed",
        )
    if (
        notification_channel != ResidentProfile.Channel.NONE
        and _active_consent(user=user, kind=Consent.Kind.NOTIFICATIONS) is None
    ):
        raise ValidationError(
            {
                "notification_channel": _(
                    "To receive notifications, first give your consent to notifications, or "
                    "choose “No notifications”."
                )
            }
        )
    return profile_upsert(
        user=user,
        neighbourhood=neighbourhood,
        birth_year=birth_year,
        household_type=household_type,
        phone=phone,
        preferred_language=preferred_language,
        notification_channel=notification_channel,
        target_groups=target_groups,
    )


def user_deletion_check(*, user: User) -> None:
    """Refuse to delete (anonymise) a staff account: its name on decisions, outcomes and the
    log of views of personal data must stay readable. A district administrator closes it
    (deactivates it in the admin) instead. Raises ValidationError (code ``staff_account``)."""
    if is_staff_account(user=user):
        raise ValidationError(
            _(
                "Staff accounts cannot be deleted here. A district administrator closes them, "
                "so that the record of your work stays complete."
            ),
            code="staff_account",
        )


@transaction.atomic
def user_anonymise(*, user: User) -> None:
    """Remove what identifies a resident and close the account, keeping the row so that the
    figures (distinct participants, applications) still count them once: every app's rows of
    theirs are erased as the app declares (``welfare_net.personal_data``). Not for a staff
    account (``user_deletion_check``)."""
    from allauth.account.models import EmailAddress

    user_deletion_check(user=user)
    _lock_user(user)
    resident_data_erase(user=user)  # every app's declared fields (its personal_data.py)
    ResidentProfile.objects.filter(user=user).delete()
    Consent.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    AuthToken.objects.filter(user=user).delete()
    user.username = f"deleted-{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def personal_data_access_record(
    *,
    viewer: User,
    view_name: str,
    reason: str,
    subject_user: User | None = None,
    subject_application_id: int | None = None,
    subject_referral_id: int | None = None,
) -> PersonalDataAccess:
    """Log one view of a resident's personal data by a staff member (who, when, whose, why).

    Whose: at least one of the resident, the application or the referral. The row is never
    changed afterwards; it is removed only when its two-year retention has ended."""
    view_name = view_name.strip()
    errors: dict[str, list[StrOrPromise]] = {}
    if reason not in PersonalDataAccess.Reason.values:
        errors.setdefault("reason", []).append(
            _("Choose why the personal data is viewed (reason).")
        )
    if not view_name:
        errors.setdefault("view_name", []).append(_("Name the page where the data was viewed."))
    if subject_user is None and subject_application_id is None and subject_referral_id is None:
        errors.setdefault("subject_user", []).append(
            _("Name whose personal data was viewed: a resident, an application or a referral.")
        )
    if errors:
        raise ValidationError(errors)
    return PersonalDataAccess.objects.create(
        viewer=viewer,
        subject_user=subject_user,
        subject_application_id=subject_application_id,
        subject_referral_id=subject_referral_id,
        view_name=view_name[:100],
        reason=reason,
        at=timezone.now(),
    )


def access_log_purge_expired(*, now: datetime) -> int:
    """Delete the access-log rows older than their retention (two years); returns how many.
    The only deletion of the log there is; run twice, the second run finds nothing."""

    def purge(ids: list[int]) -> int:
        deleted, _per_model = PersonalDataAccess.objects.filter(pk__in=ids).delete()
        return deleted

    return in_batches(personal_data_accesses_past_retention(now=now), purge)


@dataclass(frozen=True)
class AccessSubject:
    """Whose personal data one line of a list showed: a resident, an application, a referral."""

    user_id: int | None = None
    application_id: int | None = None
    referral_id: int | None = None


def personal_data_accesses_record(
    *, viewer: User, view_name: str, reason: str, subjects: Iterable[AccessSubject]
) -> list[PersonalDataAccess]:
    """Log a list that showed several residents' personal data: one row per person shown,
    written in one query, all at the same moment. Lines naming no one are skipped."""
    if reason not in PersonalDataAccess.Reason.values or not view_name.strip():
        raise ValidationError(_("Name the page and the reason of a personal-data view."))
    at = timezone.now()
    rows = [
        PersonalDataAccess(
            viewer=viewer,
            subject_user_id=subject.user_id,
            subject_application_id=subject.application_id,
            subject_referral_id=subject.referral_id,
            view_name=view_name.strip()[:100],
            reason=reason,
            at=at,
        )
        for subject in subjects
        if subject.user_id or subject.application_id or subject.referral_id
    ]
    return PersonalDataAccess.objects.bulk_create(rows) if rows else []


@transaction.atomic
def auth_token_issue(*, user: User) -> str:
    """A new API token for a user who has just proved who they are, one per device (an app
    that logs in again gets another). Only its digest is kept: the token is returned here
    once. Past ``API_TOKENS_PER_USER`` the oldest tokens end. It works until it expires
    (``REST_KNOX["TOKEN_TTL"]``) or the user's sessions end (``User.sessions_ended_at``)."""
    _lock_user(user)
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    _token, key = AuthToken.objects.create(user=user)
    keep = (
        AuthToken.objects.filter(user=user)
        .order_by("-created")
        .values("pk")[: settings.API_TOKENS_PER_USER]
    )
    AuthToken.objects.filter(user=user).exclude(pk__in=keep).delete()
    return str(key)


def auth_token_revoke(*, token: AuthToken) -> None:
    """Sign one device out of the API: its token ends."""
    token.delete()


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> None:
    """End every session and API token of the user at once, on every device. The session
    auth hash changes (``User.sessions_ended_at``); a door that should keep its own session
    keeps it with ``update_session_auth_hash`` afterwards."""
    _lock_user(user)
    user.sessions_ended_at = timezone.now()
    user.save(update_fields=["sessions_ended_at"])
    AuthToken.objects.filter(user=user).delete()
