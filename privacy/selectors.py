"""A resident's data, gathered from every app for their request of access (PIPA Article 35)."""

from typing import Any

from django.utils import timezone

from donations import selectors as donations
from matching import selectors as matching
from projects import selectors as projects
from residents import selectors as residents
from surveys import selectors as surveys
from talents import selectors as talents

EXPORT_FORMAT = "welfare_net.resident_data/1"


def resident_data_export(*, user_id: int) -> dict[str, Any]:
    """Everything the platform holds on one resident, as plain data (dates as objects: the
    caller encodes them). Each app says what it holds (``<app>.selectors.personal_data_of``);
    the queries are the same in number whatever the resident did.

    Visitor counts hold nothing tied to a person, so they are not part of it.
    """
    matching_part = matching.personal_data_of(user_id=user_id)
    application_numbers = [a["number"] for a in matching_part["support_applications"]]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now(),
        "resident_id": user_id,
        **residents.personal_data_of(user_id=user_id, application_ids=application_numbers),
        **projects.personal_data_of(user_id=user_id),
        **donations.personal_data_of(user_id=user_id),
        **talents.personal_data_of(user_id=user_id),
        **surveys.personal_data_of(user_id=user_id),
        **matching_part,
    }
