"""What the projects app holds of a person (see ``welfare_net.personal_data``): a resident's
participation holds no words; staff members' and the projects' history are staff's."""

from typing import Any

from django.db.models import Q

from welfare_net.personal_data import ResidentData


def _invitations_to(user: Any) -> Q:
    # An invitation names the person invited by their email address only.
    return Q(email__iexact=user.email) if user.email else Q(pk__in=[])


DECLARATIONS = (
    ResidentData("projects.CoordinatorInvitation", owner=_invitations_to, delete=True),
    ResidentData(
        "projects.StaffMember",
        owner="user",
        kept={"areas": "the area codes a staff member works in; staff accounts are not deleted"},
    ),
    ResidentData(
        "projects.HistoricalProject",
        owner="history_user",
        all_kept="a project's own words, written by district staff (the history's user)",
    ),
    ResidentData(
        "projects.HistoricalOrganisation",
        owner="history_user",
        all_kept="an organisation's own words, written by district staff (the history's user)",
    ),
)
