"""Every write matching knows: applications and referrals, match runs, proposal decisions."""

from .applications import (
    account_delete,
    application_event_record,
    application_submit,
    application_transition,
    application_withdraw,
    referral_submit,
)
from .decisions import (
    BulkResult,
    ReassignOption,
    proposal_approve,
    proposal_decline,
    proposal_hold,
    proposal_reassign,
    proposals_bulk_accept,
    reassign_options,
)
from .match_runs import match_run_execute
from .outcomes import connection_record_outcome
from .proposals import proposal_accept, proposal_reject
from .referrals import referral_close, referral_convert, referral_record_contact

__all__ = [
    "BulkResult",
    "ReassignOption",
    "account_delete",
    "application_event_record",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "connection_record_outcome",
    "match_run_execute",
    "proposal_accept",
    "proposal_approve",
    "proposal_decline",
    "proposal_hold",
    "proposal_reassign",
    "proposal_reject",
    "proposals_bulk_accept",
    "reassign_options",
    "referral_close",
    "referral_convert",
    "referral_record_contact",
    "referral_submit",
]
