"""What the matching app holds of a resident (see ``welfare_net.personal_data``). The counts
and states the figures need stay; ``services.account_delete`` withdraws open applications
and clears declared target groups first."""

from welfare_net.personal_data import ResidentData, without_key
from welfare_net.retention import ANONYMISED

DECLARATIONS = (
    ResidentData(
        "matching.SupportApplication",
        owner="applicant",
        erase={
            "applicant_name": ANONYMISED,
            "contact_phone": "",
            "contact_email": "",
            "description": ANONYMISED,
            "birth_year": None,
            "household_type": "",
        },
        kept={
            "areas": "the area codes of the need, counted by the figures",
            "support_type": "a support type code",
            "consent_text_version": "which version of the consent text was shown",
        },
    ),
    ResidentData("matching.ApplicationEvent", owner="application__applicant", erase={"note": ""}),
    ResidentData(
        "matching.MatchProposal",
        owner="application__applicant",
        # The details repeat the applicant's age, household type and groups; the rules met
        # and the score's parts (codes and numbers) stay.
        erase={"decision_note": "", "reasons": without_key("reasons", "details")},
    ),
    ResidentData(
        "matching.Referral",
        owner="referrer",
        erase={"neighbour_name": "", "situation": ANONYMISED, "how_to_reach": ANONYMISED},
        kept={
            "closed_reason": "the coordinator's words about the neighbour, whose case it is",
            "contact_note": "the coordinator's words about the neighbour, whose case it is",
        },
    ),
    ResidentData(
        "matching.Notification",
        owner="user",
        erase={"subject": "", "body": ""},
        kept={
            "recipient": "user:<account number>, no contact",
            "object_key": "what the message was about: numbers and codes",
        },
    ),
)
