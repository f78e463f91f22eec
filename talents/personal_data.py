"""What the talents app holds of a resident (see ``welfare_net.personal_data``)."""

from welfare_net.personal_data import ResidentData
from welfare_net.retention import ANONYMISED

from .models import TalentOffer

DECLARATIONS = (
    # The offer stays counted, withdrawn: no one may be sent to a deleted account.
    ResidentData(
        "talents.TalentOffer",
        owner="resident",
        erase={
            "description": ANONYMISED,
            "availability": "",
            "status": TalentOffer.Status.WITHDRAWN,
        },
    ),
)
