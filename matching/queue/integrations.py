"""Services other branches add (outcomes, referral handling, the personal-data access log),
looked up only when they exist, so the queue works before they are merged. Each is None
until its module is there; the views then leave out the matching form or call.
"""

import importlib
from typing import Any


def _optional(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


connection_record_outcome: Any = _optional(
    "matching.services.outcomes", "connection_record_outcome"
)
referral_record_contact: Any = _optional("matching.services.referrals", "referral_record_contact")
referral_convert: Any = _optional("matching.services.referrals", "referral_convert")
referral_close: Any = _optional("matching.services.referrals", "referral_close")
personal_data_access_record: Any = _optional("residents.services", "personal_data_access_record")
