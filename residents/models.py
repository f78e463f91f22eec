from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from projects.models import HouseholdType
from welfare_net.db import TimeStampedModel

# Korean mobile and landline numbers, with or without hyphens: 010-1234-5678, 02-123-4567.
phone_validator = RegexValidator(
    r"^0\d{1,2}-?\d{3,4}-?\d{4}$",
    _("Enter a phone number such as 010-1234-5678."),
)


class User(AbstractUser):
    """The login account of anyone on the platform: residents, coordinators and staff.

    What a resident tells about themselves lives in ``ResidentProfile``; this row only
    authenticates. Email is the login (allauth), username is kept for the admin.
    """

    # When every session and API token made before ended: a new password (``set_password``,
    # whichever door set it) or "sign out everywhere" (services.user_sign_out_everywhere).
    # Part of the session auth hash; a token issued before it is refused
    # (welfare_net.api_auth.TokenAuthentication).
    sessions_ended_at = models.DateTimeField(
        _("signed out everywhere at"), null=True, blank=True, editable=False
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def set_password(self, raw_password: str | None) -> None:
        """Django's, and the API tokens issued before end with the sessions (saved with the
        password by whoever calls this: the site, a reset, the admin, ``changepassword``)."""
        super().set_password(raw_password)
        self.sessions_ended_at = timezone.now()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's HMAC of the password, with ``sessions_ended_at`` in it once set: "sign
        out everywhere" ends the other sessions as a new password does. Unset, the hash is
        Django's own, so the sessions of before this field stay valid."""
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        ended = self.sessions_ended_at
        value = f"{self.password}${ended.isoformat()}" if ended else self.password
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class ResidentProfile(TimeStampedModel):
    """What a resident tells about themselves. No resident registration number, ever."""

    class Language(models.TextChoices):
        KOREAN = "ko", _("Korean")
        ENGLISH = "en", _("English")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message (SMS)")
        NONE = "none", _("No notifications")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    neighbourhood = models.ForeignKey(
        "projects.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("neighbourhood"),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    household_type = models.CharField(
        _("household type"), max_length=20, choices=HouseholdType.choices, blank=True
    )
    target_groups = models.ManyToManyField(
        "projects.TargetGroup",
        blank=True,
        related_name="residents",
        verbose_name=_("target groups (self-declared)"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=Language.choices, default=Language.KOREAN
    )
    notification_channel = models.CharField(
        _("notifications by"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )

    class Meta:
        verbose_name = _("resident profile")
        verbose_name_plural = _("resident profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900) & Q(birth_year__lte=2100),
                name="resident_birth_year_plausible",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class Consent(TimeStampedModel):
    """A resident's recorded consent: what, under which text version, when, withdrawn when."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal information")
        SENSITIVE = "sensitive", _("Sensitive information (health, disability)")
        NOTIFICATIONS = "notifications", _("Notifications")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text_version = models.CharField(_("text version shown"), max_length=30)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["user", "kind"], name="consent_user_kind")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} ({self.text_version})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class PersonalDataAccess(models.Model):
    """One view of a resident's personal data by a staff member: who, when, whose, why.

    Rows are kept two years (see ``selectors.personal_data_accesses_past_retention``) and are
    never edited: only ``services.personal_data_access_record`` writes them, the admin is read
    only. Residents is the bottom layer and may not import ``matching``, so an application or
    a referral that was viewed is named by its plain id, not by a foreign key.
    """

    class Reason(models.TextChoices):
        CASE_REVIEW = "case_review", _("Case review")
        OUTCOME_RECORDING = "outcome_recording", _("Outcome recording")
        REFERRAL_CONTACT = "referral_contact", _("Referral contact")
        DATA_EXPORT = "data_export", _("Data export")
        OTHER = "other", _("Other")

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="personal_data_views",
        verbose_name=_("viewed by"),
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_data_viewed",
        verbose_name=_("whose data"),
    )
    # Plain ids: matching sits above residents, so no foreign key to its tables.
    subject_application_id = models.PositiveBigIntegerField(
        _("support application id"), null=True, blank=True
    )
    subject_referral_id = models.PositiveBigIntegerField(_("referral id"), null=True, blank=True)
    view_name = models.CharField(_("page viewed"), max_length=100)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    at = models.DateTimeField(_("viewed at"), db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.viewer} · {self.get_reason_display()} · {self.at:%Y-%m-%d %H:%M}"
