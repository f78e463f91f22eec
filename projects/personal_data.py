"""What the projects app holds of a person (see ``welfare_net.personal_data``): a resident's
participation holds no words; staff members' and the projects' history are staff's."""

from welfare_net.personal_data import ResidentData

DECLARATIONS = (
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
