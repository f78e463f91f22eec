"""Messages to residents, referrers and coordinators: built in the recipient's language,
sent by email or text message, each recorded so that a task delivered twice sends once.

Residents are told only through the channel they chose, and only while their consent to
notifications is active. A neighbour applied for by a coordinator has no account: they get
one text message, at the contact phone they gave, saying the application was made.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from projects.models import StaffMember
from residents.models import Consent, ResidentProfile, User

from .digest import CoordinatorDigest, DigestCase, coordinator_digest
from .models import ApplicationEvent, MatchProposal, Notification, Referral, SupportApplication
from .sms import sms_send

Status = SupportApplication.Status
Kind = Notification.Kind
Channel = Notification.Channel

# The application events a resident hears about: a place found, and how it ended.
NOTIFIED_EVENTS = {Status.ACCEPTED, Status.DELIVERED, Status.CLOSED, Status.WITHDRAWN}


@dataclass(frozen=True)
class Address:
    recipient: str  # the Notification.recipient key
    user: User | None
    channel: str
    to: str
    language: str


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def resident_address(*, user: User) -> Address | None:
    """Where a resident wants to hear from us, or None: no channel, no consent, no address."""
    profile = ResidentProfile.objects.filter(user=user).first()
    if profile is None or profile.notification_channel == ResidentProfile.Channel.NONE:
        return None
    if not Consent.objects.filter(
        user=user, kind=Consent.Kind.NOTIFICATIONS, withdrawn_at__isnull=True
    ).exists():
        return None
    to = (
        user.email
        if profile.notification_channel == ResidentProfile.Channel.EMAIL
        else profile.phone
    )
    if not to:
        return None
    return Address(
        recipient=f"user:{user.pk}",
        user=user,
        channel=profile.notification_channel,
        to=to,
        language=profile.preferred_language,
    )


def deliver(
    *, kind: str, object_key: str, address: Address, message: Message, district_id: int | None
) -> bool:
    """Send once: the row is written first, in the same transaction as the send, so a second
    delivery of the task finds it (or waits on it) and sends nothing. A send that fails rolls
    the row back, and the task's retry sends again. Returns whether a message was sent.

    The row keeps the words sent and the case's district: the admin shows them to that
    district's staff only."""
    with transaction.atomic():
        _row, created = Notification.objects.get_or_create(
            kind=kind,
            object_key=object_key,
            recipient=address.recipient,
            defaults={
                "user": address.user,
                "channel": address.channel,
                "sent_at": timezone.now(),
                "district_id": district_id,
                "subject": message.subject[:300],
                "body": message.body,
            },
        )
        if not created:
            return False
        if address.channel == Channel.SMS:
            sms_send(to=address.to, body=message.body)
        else:
            send_mail(message.subject, message.body, None, [address.to])
    return True


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def application_event_message(*, event: ApplicationEvent, name: str) -> Message:
    """The message for one state change, in the active language."""
    application = event.application
    status = application.Status(event.to_status).label
    lines = [
        _("Hello %(name)s,") % {"name": name},
        "",
        _("Your application for support is now “%(status)s”.") % {"status": status},
    ]
    project = (
        MatchProposal.objects.filter(application=application, status=MatchProposal.Status.ACCEPTED)
        .values_list("project__title", flat=True)
        .first()
    )
    if event.to_status == Status.ACCEPTED:
        lines.append(
            _("The project “%(project)s” has a place for you. A coordinator will contact you soon.")
            % {"project": project or ""}
        )
    elif event.to_status == Status.DELIVERED and event.outcome_on is not None:
        lines.append(
            _(
                "Support from “%(project)s” was delivered on %(date)s. "
                "Thank you for letting us help."
            )
            % {"project": project or "", "date": _day(event.outcome_on)}
        )
    elif event.outcome and event.outcome_on is not None:
        lines.append(
            _(
                "It ended without support on %(date)s (%(outcome)s). "
                "You can apply again at any time."
            )
            % {
                "date": _day(event.outcome_on),
                "outcome": application.Outcome(event.outcome).label,
            }
        )
    return Message(
        subject=_("Your application: %(status)s") % {"status": status}, body="\n".join(lines)
    )


def application_event_notify(*, event: ApplicationEvent) -> bool:
    """Tell the applicant about an accepted, delivered or closed application."""
    application = event.application
    if event.to_status not in NOTIFIED_EVENTS or application.applicant is None:
        return False
    address = resident_address(user=application.applicant)
    if address is None:
        return False
    with override(address.language):
        message = application_event_message(event=event, name=application.applicant_name)
    return deliver(
        kind=Kind.APPLICATION_EVENT,
        object_key=str(event.pk),
        address=address,
        message=message,
        district_id=application.district_id,
    )


def referral_status_notify(*, referral: Referral) -> bool:
    """Tell the referrer their referral's new status, and nothing more about the neighbour."""
    if referral.referrer is None or referral.status == Referral.Status.RECEIVED:
        return False
    address = resident_address(user=referral.referrer)
    if address is None:
        return False
    with override(address.language):
        status = referral.get_status_display()
        message = Message(
            subject=_("The neighbour you referred: %(status)s") % {"status": status},
            body="\n".join(
                [
                    _("Hello %(name)s,")
                    % {"name": referral.referrer.get_full_name() or referral.referrer.username},
                    "",
                    _("The referral you made on %(date)s is now “%(status)s”.")
                    % {"date": _day(timezone.localdate(referral.created_at)), "status": status},
                    _("Thank you for looking out for your neighbour."),
                ]
            ),
        )
    return deliver(
        kind=Kind.REFERRAL_STATUS,
        object_key=f"{referral.pk}:{referral.status}",
        address=address,
        message=message,
        district_id=referral.district_id,
    )


def referral_converted_notify(*, application: SupportApplication) -> bool:
    """Text the neighbour, at the contact phone they gave, that the application was made."""
    if not application.contact_phone or application.consent_given_at is None:
        return False
    phone = application.contact_phone
    address = Address(
        recipient=f"phone:{phone}",
        user=None,
        channel=Channel.SMS,
        to=phone,
        language=settings.LANGUAGE_CODE,
    )
    with override(address.language):
        body = _(
            "%(name)s, with your consent the community centre has applied for support on your "
            "behalf. A coordinator will contact you."
        ) % {"name": application.applicant_name}
    return deliver(
        kind=Kind.REFERRAL_CONVERTED,
        object_key=str(application.pk),
        address=address,
        message=Message(subject="", body=body),
        district_id=application.district_id,
    )


def _case_line(case: DigestCase) -> str:
    if case.kind == "application":
        label = _("Application")
        status = SupportApplication.Status(case.status).label
    else:
        label = _("Referral")
        status = Referral.Status(case.status).label
    since = _day(timezone.localdate(case.since))
    return f"- {label} #{case.pk} · {case.neighbourhood} · {status} · {since}"


def coordinator_digest_message(*, digest: CoordinatorDigest) -> Message:
    """The digest in the active language: counts in the subject, one line per case."""
    lines: list[str] = []
    for title, cases in (
        (_("New in the last day"), digest.new),
        (_("Waiting over 3 days"), digest.over_3_days),
        (_("Waiting over 7 days"), digest.over_7_days),
    ):
        if cases:
            lines += [f"{title} ({len(cases)})", *(_case_line(case) for case in cases), ""]
    subject = _(
        "Cases in your neighbourhoods: %(new)s new, %(over_3)s over 3 days, %(over_7)s over 7 days"
    ) % {
        "new": len(digest.new),
        "over_3": len(digest.over_3_days),
        "over_7": len(digest.over_7_days),
    }
    return Message(subject=subject, body="\n".join(lines).strip())


def coordinator_digest_send(*, staff_member: StaffMember, on: datetime.date) -> bool:
    """Email one coordinator the day's digest (once a day; nothing when there is nothing)."""
    user = staff_member.user
    if not user.email or not user.is_active:
        return False
    digest = coordinator_digest(staff_member=staff_member, now=timezone.now())
    if digest.is_empty:
        return False
    profile = ResidentProfile.objects.filter(user=user).first()
    language = profile.preferred_language if profile else settings.LANGUAGE_CODE
    with override(language):
        message = coordinator_digest_message(digest=digest)
    address = Address(
        recipient=f"user:{user.pk}",
        user=user,
        channel=Channel.EMAIL,
        to=user.email,
        language=language,
    )
    return deliver(
        kind=Kind.COORDINATOR_DIGEST,
        object_key=on.isoformat(),
        address=address,
        message=message,
        district_id=staff_member.district_id,
    )
