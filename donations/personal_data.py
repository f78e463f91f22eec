"""What the donations app holds of a resident (see ``welfare_net.personal_data``)."""

from welfare_net.personal_data import ResidentData
from welfare_net.retention import ANONYMISED

DECLARATIONS = (
    # A goods pledge must describe its goods (a constraint): the words become a dash.
    ResidentData(
        "donations.DonationPledge", owner="donor", erase={"goods_description": ANONYMISED}
    ),
    ResidentData(
        "donations.DonationReceipt",
        owner="pledge__donor",
        kept={
            "number": "the receipt's own number",
            "donor_name": "tax law keeps the record of a donation receipt issued five years "
            "(Income Tax Act art. 160-3, Corporate Tax Act art. 112-2), donor named",
            "organisation_name": "the recipient organisation, not the donor",
        },
    ),
)
