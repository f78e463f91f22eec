"""Reads behind the resident's pages: apply, refer, an application's timeline, My page."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypedDict
from uuid import UUID

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import WithAnnotations

from donations.models import DonationPledge, DonationReceipt
from donations.selectors import receipts_for_donor
from projects.models import Area, Neighbourhood, Participation, Project, SupportType
from residents.models import Consent, ResidentProfile, User
from talents.models import TalentOffer

from ..models import ApplicationEvent, Notification, Referral, SupportApplication

Status = SupportApplication.Status

# Mirrors ``allowed_from`` of ``services.application_withdraw`` (a test keeps the two in step):
# the page offers the withdraw button only where the service would accept it.
WITHDRAWABLE_STATUSES = frozenset({Status.PENDING, Status.PROPOSED, Status.ON_HOLD})

# What each state change means to the resident, in plain words, for the timeline.
EVENT_WORDS: dict[str, Promise] = {
    Status.PENDING: _("We received your application."),
    Status.PROPOSED: _("A sharing project was found. The community centre is reviewing it."),
    Status.ON_HOLD: _("Your application is on hold for now. The community centre will explain."),
    Status.ACCEPTED: _("Connection in progress. The community centre will contact you."),
    Status.DELIVERED: _("Support was delivered."),
    Status.CLOSED: _("The application was closed without support."),
    Status.WITHDRAWN: _("You withdrew the application."),
}

# The four steps the resident sees: submitted, in review, connected, outcome.
PROGRESS_STEPS: tuple[Promise, ...] = (
    _("Submitted"),
    _("In review"),
    _("Connecting"),
    _("Result"),
)
_STEP_OF_STATUS: dict[str, int] = {
    Status.PENDING: 0,
    Status.PROPOSED: 1,
    Status.ON_HOLD: 1,
    Status.ACCEPTED: 2,
    Status.DELIVERED: 3,
    Status.CLOSED: 3,
    Status.WITHDRAWN: 3,
}


REFERRAL_STATUS_WORDS: dict[str, Promise] = {
    Referral.Status.RECEIVED: _("The community centre has received it and will contact them."),
    Referral.Status.CONTACTED: _("The community centre has contacted your neighbour."),
    Referral.Status.CONNECTED: _("Your neighbour agreed and was connected to support."),
    Referral.Status.CLOSED: _("The community centre has closed this referral."),
}


def area_labels(codes: list[str]) -> list[Promise | str]:
    """The names of the areas of need, in the resident's language."""
    names = dict(Area.choices)
    return [names.get(code, code) for code in codes]


def support_type_label(code: str) -> Promise | str:
    return dict(SupportType.choices).get(code, code)


def referral_status_words(referral: Referral) -> Promise | str:
    return REFERRAL_STATUS_WORDS.get(referral.status, referral.get_status_display())


@dataclass(frozen=True)
class Readiness:
    """Whether a user may apply: a profile, and an active personal-information consent."""

    profile: ResidentProfile | None
    has_personal_consent: bool


def resident_profile_for(user: User) -> ResidentProfile | None:
    return (
        ResidentProfile.objects.select_related("neighbourhood__district")
        .filter(user_id=user.pk)
        .first()
    )


def application_readiness(user: User) -> Readiness:
    profile = resident_profile_for(user)
    has_consent = (
        profile is not None
        and Consent.objects.filter(
            user_id=user.pk, kind=Consent.Kind.PERSONAL, withdrawn_at__isnull=True
        ).exists()
    )
    return Readiness(profile=profile, has_personal_consent=has_consent)


def open_projects_for(profile: ResidentProfile) -> QuerySet[Project]:
    """Projects a resident may name as preferred: open ones of their own district."""
    return Project.objects.filter(
        district_id=profile.neighbourhood.district_id, status=Project.Status.OPEN
    ).order_by("title", "pk")


def neighbourhoods_for(profile: ResidentProfile) -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.filter(district_id=profile.neighbourhood.district_id).order_by(
        "name"
    )


def application_of(*, user: User, public_id: UUID) -> SupportApplication | None:
    """The user's own application, or None (another resident's is not found)."""
    return (
        SupportApplication.objects.select_related("preferred_project")
        .filter(public_id=public_id, applicant_id=user.pk)
        .first()
    )


class LatestEvent(TypedDict):
    latest_event_status: str | None
    latest_event_at: datetime | None


if TYPE_CHECKING:  # WithAnnotations takes two arguments only for the type checker
    ApplicationWithLatestEvent = WithAnnotations[SupportApplication, LatestEvent]


def applications_of(*, user: User) -> "QuerySet[ApplicationWithLatestEvent]":
    """The user's own applications, newest first, each with its preferred project and its
    latest event (``latest_event_status``, ``latest_event_at``). One query."""
    latest_event = ApplicationEvent.objects.filter(application_id=OuterRef("pk")).order_by(
        "-created_at", "-pk"
    )
    return (
        SupportApplication.objects.filter(applicant_id=user.pk)
        .select_related("preferred_project")
        .annotate(
            latest_event_status=Subquery(latest_event.values("to_status")[:1]),
            latest_event_at=Subquery(latest_event.values("created_at")[:1]),
        )
        .order_by("-submitted_at", "-pk")
    )


# What the referrer may see of their referral: only what they entered, and its status.
REFERRER_FIELDS = (
    "public_id",
    "referrer_id",
    "neighbourhood__name",
    "neighbourhood__name_en",
    "neighbour_name",
    "situation",
    "how_to_reach",
    "neighbour_knows",
    "status",
    "created_at",
)


def referral_of(*, user: User, public_id: UUID) -> Referral | None:
    """The user's own referral with only what the referrer entered, or None."""
    return referrals_of(user=user).filter(public_id=public_id).first()


def referrals_of(*, user: User) -> QuerySet[Referral]:
    """The user's own referrals, newest first, with only what the referrer entered."""
    return (
        Referral.objects.select_related("neighbourhood")
        .only(*REFERRER_FIELDS)
        .filter(referrer_id=user.pk)
        .order_by("-created_at", "-pk")
    )


def receipt_of(*, user: User, pk: int) -> DonationReceipt | None:
    """A donation receipt of the user's own pledge, or None."""
    return receipts_for_donor(donor=user).filter(pk=pk).first()


def can_withdraw(application: SupportApplication) -> bool:
    return application.status in WITHDRAWABLE_STATUSES


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    status: str
    words: Promise | str
    note: str = ""


@dataclass(frozen=True)
class ProgressStep:
    label: Promise
    reached: bool
    current: bool


def application_timeline(application: SupportApplication) -> list[TimelineEntry]:
    """The application's events in plain words, oldest first.

    Notes are shown only where the applicant wrote them (a withdrawal reason): what staff
    write on an event is for staff.
    """
    events = ApplicationEvent.objects.filter(application_id=application.pk).order_by(
        "created_at", "pk"
    )
    return [
        TimelineEntry(
            at=event.created_at,
            status=event.to_status,
            words=event_words(event.to_status),
            note=event.note if event.actor_id == application.applicant_id else "",
        )
        for event in events
    ]


def application_progress(application: SupportApplication) -> list[ProgressStep]:
    current = _STEP_OF_STATUS.get(application.status, 0)
    return [
        ProgressStep(label=label, reached=index <= current, current=index == current)
        for index, label in enumerate(PROGRESS_STEPS)
    ]


@dataclass(frozen=True)
class ApplicationSummary:
    application: SupportApplication
    area_labels: list[Promise | str]
    latest_event_words: Promise | str
    latest_event_at: datetime | None


@dataclass
class MyPage:
    """Everything a resident follows on My page; each list is read in one query."""

    applications: list[ApplicationSummary] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    talent_offers: list[TalentOffer] = field(default_factory=list)
    pledges: list[DonationPledge] = field(default_factory=list)
    participations: list[Participation] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.applications
            or self.referrals
            or self.talent_offers
            or self.pledges
            or self.participations
        )


def my_page_for(user: User) -> MyPage:
    """The resident's applications (with their latest event), referrals, talent offers,
    pledges (with any receipt) and participations. Five queries, whatever the numbers."""
    applications = applications_of(user=user)
    referrals = referrals_of(user=user)
    talent_offers = (
        TalentOffer.objects.filter(resident_id=user.pk)
        .select_related("project")
        .order_by("-created_at", "-pk")
    )
    pledges = (
        DonationPledge.objects.filter(donor_id=user.pk)
        .select_related("project", "receipt")
        .order_by("-created_at", "-pk")
    )
    participations = (
        Participation.objects.filter(resident_id=user.pk)
        .select_related("project")
        .order_by("-started_on", "-pk")
    )
    return MyPage(
        applications=[
            ApplicationSummary(
                application=application,
                area_labels=area_labels(application.areas),
                latest_event_words=event_words(application.latest_event_status),
                latest_event_at=application.latest_event_at,
            )
            for application in applications
        ],
        referrals=list(referrals),
        talent_offers=list(talent_offers),
        pledges=list(pledges),
        participations=list(participations),
    )


def event_words(status: str | None) -> Promise | str:
    """What a state change means to the resident, in plain words ("" for none)."""
    if not status:
        return ""
    return EVENT_WORDS.get(status, status)


# --- Notifications, for the admin ---------------------------------------------------------


@dataclass(frozen=True)
class NotificationSubject:
    """Whose personal data a sent message carries, as the personal-data access log names it."""

    user: User | None
    application_id: int | None
    referral_id: int | None


def notification_subject(notification: Notification) -> NotificationSubject:
    """The resident, application or referral a message was about (read from its object key:
    an event's id, ``<referral id>:<status>``, an application's id, or a digest's day)."""
    key = notification.object_key
    user = notification.user
    if notification.kind == Notification.Kind.APPLICATION_EVENT and key.isdigit():
        application_id = (
            ApplicationEvent.objects.filter(pk=int(key))
            .values_list("application_id", flat=True)
            .first()
        )
        return NotificationSubject(user=user, application_id=application_id, referral_id=None)
    if notification.kind == Notification.Kind.REFERRAL_STATUS and key.split(":")[0].isdigit():
        return NotificationSubject(
            user=user, application_id=None, referral_id=int(key.split(":")[0])
        )
    if notification.kind == Notification.Kind.REFERRAL_CONVERTED and key.isdigit():
        return NotificationSubject(user=user, application_id=int(key), referral_id=None)
    return NotificationSubject(user=user, application_id=None, referral_id=None)
