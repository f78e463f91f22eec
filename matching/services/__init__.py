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
from .outcomes import connection_record_outcome
from .proposals import proposal_accept, proposal_reject
from .referrals import referral_close, referral_convert, referral_record_contact

__all__ = [
    "account_delete",
    "application_event_record",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "connection_record_outcome",
    "match_run_execute",
    "proposal_accept",
    "proposal_reject",
    "referral_close",
    "referral_convert",
    "referral_record_contact",
    "referral_submit",
]
