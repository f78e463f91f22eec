"""Every write matching knows: applications and referrals, match runs, proposal decisions."""

from .applications import (
    account_delete,
    application_event_record,
    application_submit,
    application_transition,
    application_withdraw,
    referral_submit,
)
from .match_runs import match_run_execute
from .proposals import proposal_accept, proposal_reject

__all__ = [
    "account_delete",
    "application_event_record",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "match_run_execute",
    "proposal_accept",
    "proposal_reject",
    "referral_submit",
]
