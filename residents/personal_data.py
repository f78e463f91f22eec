"""What the residents app, and the third-party apps of accounts, hold of a resident (see
``welfare_net.personal_data``)."""

from typing import Any

from django.db.models import Q

from welfare_net.personal_data import ResidentData


def _login_names(user: Any) -> Q:
    # The login limit counts attempts under the account's username (login_guard.login_name);
    # rows from before that counted the name typed, lower case.
    found = Q(pk__in=[])
    for name in {name.strip() for name in (user.email, user.username) if name}:
        found |= Q(username__iexact=name)
    return found


DECLARATIONS = (
    ResidentData(
        "residents.User",
        owner="pk",
        erased_elsewhere={
            name: "residents.services.user_anonymise: the row stays, so the figures count "
            "the resident once"
            for name in ("username", "first_name", "last_name", "email", "password")
        },
    ),
    ResidentData("residents.ResidentProfile", owner="user", delete=True),
    ResidentData("residents.Consent", owner="user", delete=True),
    ResidentData(
        "residents.PersonalDataAccess",
        owner="subject_user",
        kept={
            "view_name": "the name of the page viewed, never the resident's words; the log is "
            "kept two years by law"
        },
    ),
    ResidentData("account.EmailAddress", owner="user", delete=True),
    ResidentData("account.EmailConfirmation", owner="email_address__user", delete=True),
    ResidentData("knox.AuthToken", owner="user", delete=True),
    ResidentData("axes.AccessAttempt", owner=_login_names, delete=True),
    ResidentData("axes.AccessFailureLog", owner=_login_names, delete=True),
    ResidentData("axes.AccessLog", owner=_login_names, delete=True),
    ResidentData(
        "admin.LogEntry",
        owner="user",  # the staff member who changed a row; residents have no admin
        kept={"object_id": "the number of the row changed"},
        erased_elsewhere={
            "object_repr": "welfare_net.personal_data, for every row it erases",
            "change_message": "welfare_net.personal_data, for every row it erases",
        },
    ),
)
