"""The consent texts residents are shown, versioned: a record keeps the version it was given on.

Personal Information Protection Act practice: each text states the purpose, the items, how
long they are kept, and that the resident may refuse (and what refusing means).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Consent


@dataclass(frozen=True)
class ConsentText:
    kind: str
    version: str
    title: Promise
    purpose: Promise
    items: Promise
    retention: Promise
    refusal: Promise


CONSENT_TEXTS: dict[str, ConsentText] = {
    Consent.Kind.PERSONAL: ConsentText(
        kind=Consent.Kind.PERSONAL,
        version="2026-01",
        title=_("Use of personal information (required to apply)"),
        purpose=_(
            "To receive and review your applications for support, contact you, and connect "
            "you to sharing projects."
        ),
        items=_(
            "Name, email, phone, neighbourhood, birth year, household type, the groups you "
            "declare, and what you write in your applications."
        ),
        retention=_(
            "Three years after your last application is closed, then destroyed or anonymised."
        ),
        refusal=_(
            "You may refuse. Without this consent you can still browse, donate and offer a "
            "talent, but you cannot apply for support on this site."
        ),
    ),
    Consent.Kind.SENSITIVE: ConsentText(
        kind=Consent.Kind.SENSITIVE,
        version="2026-01",
        title=_("Use of sensitive information (health, disability)"),
        purpose=_("To find health care and disability support that fits your needs."),
        items=_("The health or disability needs you declare."),
        retention=_(
            "Three years after your last application is closed, then destroyed or anonymised."
        ),
        refusal=_(
            "You may refuse. Projects for people with disabilities or health needs may then "
            "not be proposed to you."
        ),
    ),
    Consent.Kind.NOTIFICATIONS: ConsentText(
        kind=Consent.Kind.NOTIFICATIONS,
        version="2026-01",
        title=_("Notifications (optional)"),
        purpose=_("To tell you by email or text message when your application moves forward."),
        items=_("Email address and phone number."),
        retention=_("Until you withdraw this consent or delete your account."),
        refusal=_("You may refuse. You can always follow your applications on My page."),
    ),
}
