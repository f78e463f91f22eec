"""The matching app's models, one module per concern; every public name is re-exported here."""

from .applications import ApplicationEvent, SupportApplication, Urgency
from .notifications import Notification, NotificationRequest
from .referrals import Referral
from .runs import MatchProposal, MatchRun

__all__ = [
    "ApplicationEvent",
    "MatchProposal",
    "MatchRun",
    "Notification",
    "NotificationRequest",
    "Referral",
    "SupportApplication",
    "Urgency",
]
