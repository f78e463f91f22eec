import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise
from simple_history.models import HistoricalRecords

from welfare_net.db import TimeStampedModel


class Area(models.TextChoices):
    """The five areas residents take part in (domain.md). Fixed: code depends on them."""

    DONATION = "donation", _("Donations")
    NETWORK = "network", _("Neighbour networks")
    TALENT = "talent", _("Talent sharing")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")


class SupportType(models.TextChoices):
    GOODS = "goods", _("Goods")
    CASH = "cash", _("Cash")
    SERVICE = "service", _("Service")
    MENTORING = "mentoring", _("Mentoring")
    HEALTH_CARE = "health_care", _("Health care")
    PROGRAMME = "programme", _("Programme")


class HouseholdType(models.TextChoices):
    SINGLE_PERSON = "single_person", _("Single-person household")
    COUPLE = "couple", _("Couple")
    WITH_CHILDREN = "with_children", _("Household with children")
    SINGLE_PARENT = "single_parent", _("Single-parent family")
    MULTI_GENERATION = "multi_generation", _("Multi-generation household")
    OTHER = "other", _("Other")


class District(TimeStampedModel):
    """A local government running the platform (an autonomous district, gu)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Neighbourhood(TimeStampedModel):
    """An administrative neighbourhood (dong) of a district. Loaded as data, never hard-coded."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    code = models.SlugField(_("code"), max_length=40)

    class Meta:
        ordering = ["district", "name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "code"], name="neighbourhood_code_per_district"
            ),
            models.UniqueConstraint(
                fields=["district", "name"], name="neighbourhood_name_per_district"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TargetGroup(TimeStampedModel):
    """A group that eligibility rules name (older people living alone, ...). Data, not code."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    # Health and disability details are sensitive: declaring them needs a separate consent.
    is_sensitive = models.BooleanField(_("sensitive information"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStampedModel):
    """A provider of sharing projects."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("District office")
        COMMUNITY_CENTRE = "community_centre", _("Community centre")
        WELFARE_CENTRE = "welfare_centre", _("Welfare centre")
        NGO = "ngo", _("Non-profit organisation")
        SHOP = "shop", _("Shop or business")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="organisation_name_per_district"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Project(TimeStampedModel):
    """A sharing project a district registers: what it offers, to whom, how many, when."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="projects", verbose_name=_("district")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, db_index=True)
    support_type = models.CharField(_("support type"), max_length=20, choices=SupportType.choices)
    # Served neighbourhoods; with whole_district set the list is ignored.
    whole_district = models.BooleanField(_("whole district"), default=False)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="projects", verbose_name=_("neighbourhoods served")
    )
    # Eligibility: each empty rule means open to all.
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="projects", verbose_name=_("target groups")
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    household_types = models.JSONField(
        _("household types"),
        default=list,
        blank=True,
        help_text=_("Codes of the household types served; empty means all."),
    )
    eligibility_note = models.TextField(_("eligibility in words"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (places)"))
    places_taken = models.PositiveIntegerField(_("places taken"), default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    apply_by = models.DateField(_("application deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    history = HistoricalRecords(m2m_fields=[neighbourhoods, target_groups])

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            models.Index(
                fields=["district", "status", "area"], name="project_district_status_area"
            ),
            models.Index(fields=["starts_on", "ends_on"], name="project_period"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(places_taken__gte=0) & Q(places_taken__lte=F("capacity")),
                name="project_places_taken_within_capacity",
                violation_error_message=_("Places taken must be between 0 and the capacity."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(apply_by__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(apply_by__lte=F("ends_on")),
                name="project_deadline_not_after_end",
                violation_error_message=_("The application deadline must not be after the end."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="project_age_range_ordered",
                violation_error_message=_("The minimum age must not exceed the maximum age."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return self.capacity - self.places_taken

    def clean(self) -> None:
        errors: dict[str, list[StrOrPromise]] = {}
        if self.capacity is not None and self.places_taken > self.capacity:
            errors.setdefault("capacity", []).append(
                _("Capacity cannot be lower than the places already taken (%(taken)s).")
                % {"taken": self.places_taken}
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors.setdefault("ends_on", []).append(
                _("The end date must not be before the start date.")
            )
        if self.apply_by and self.ends_on and self.apply_by > self.ends_on:
            errors.setdefault("apply_by", []).append(
                _("The application deadline must not be after the end date.")
            )
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            errors.setdefault("max_age", []).append(
                _("The maximum age must not be lower than the minimum age.")
            )
        unknown = sorted(set(self.household_types or []) - set(HouseholdType.values))
        if not isinstance(self.household_types, list) or unknown:
            errors.setdefault("household_types", []).append(
                _("Unknown household type: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
            )
        if (
            self.organisation_id
            and self.district_id
            and self.organisation.district_id != self.district_id
        ):
            errors.setdefault("organisation", []).append(
                _("The organisation belongs to another district.")
            )
        if errors:
            raise ValidationError(errors)


class Participation(TimeStampedModel):
    """A resident taking part in a project as a volunteer or a participant."""

    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        PARTICIPANT = "participant", _("Participant")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("resident"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="participations", verbose_name=_("project")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "project", "role"],
                condition=Q(status="active"),
                name="participation_one_active_per_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="participation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.project} ({self.get_role_display()})"


class StaffMember(TimeStampedModel):
    """Who works for which district: district staff, or a coordinator of some neighbourhoods.

    A staff member sees only their own district's records; a coordinator only the cases of
    their neighbourhoods (and areas, where given). Superusers see every district.
    """

    class Role(models.TextChoices):
        STAFF = "staff", _("District staff")
        COORDINATOR = "coordinator", _("Coordinator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_member",
        verbose_name=_("user"),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="staff", verbose_name=_("district")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="coordinators", verbose_name=_("neighbourhoods")
    )
    areas = models.JSONField(
        _("areas"), default=list, blank=True, help_text=_("Empty means every area.")
    )

    class Meta:
        ordering = ["district", "user__username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.district})"


class CoordinatorInvitation(TimeStampedModel):
    """District staff's offer to make someone a coordinator of some neighbourhoods.

    Nothing changes for the person until they accept, logged in with the invited email
    (``services.coordinator_invitation_accept``): only then is their ``StaffMember`` row made.
    The link's token is made when the email goes out, to an account's address only
    (``services.coordinator_invitation_email``), and stored as its SHA-256 digest, so a copy of
    the table accepts nothing. No token: no email was sent (no such account).
    """

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        related_name="coordinator_invitations",
        verbose_name=_("district"),
    )
    email = models.EmailField(_("email"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="coordinator_invitations_sent",
        verbose_name=_("invited by"),
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="+", verbose_name=_("neighbourhoods")
    )
    areas = models.JSONField(
        _("areas"), default=list, blank=True, help_text=_("Empty means every area.")
    )
    # None until the email goes out: unique among the links made, and no link for no account.
    token_digest = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, editable=False
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coordinator invitation")
        verbose_name_plural = _("coordinator invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.district})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None
