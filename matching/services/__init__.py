"""Every write matching knows: applications and referrals, match runs, proposal decisions,
the messages owed."""

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
from .notification_requests import (
    CatchUp,
    coordinator_digests_request,
    notification_request,
    notification_request_done,
    notification_requests_catch_up,
)
from .outcomes import connection_record_outcome
from .proposals import proposal_accept, proposal_reject
from .referrals import referral_close, referral_convert, referral_record_contact
from .retention import (
    applications_anonymise,
    applications_anonymise_expired,
    notifications_blank_expired,
    referrals_anonymise_expired,
)

__all__ = [
    "BulkResult",
    "CatchUp",
    "ReassignOption",
    "account_delete",
    "application_event_record",
    "application_submit",
    "application_transition",
    "application_withdraw",
    "applications_anonymise",
    "applications_anonymise_expired",
    "connection_record_outcome",
    "coordinator_digests_request",
    "match_run_execute",
    "notification_request",
    "notification_request_done",
    "notification_requests_catch_up",
    "notifications_blank_expired",
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
    "referrals_anonymise_expired",
]
