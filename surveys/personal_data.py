"""What the surveys app holds of a resident (see ``welfare_net.personal_data``): the scores
stay, so past results do not change; the words of free answers go."""

from welfare_net.personal_data import ResidentData

DECLARATIONS = (ResidentData("surveys.Answer", owner="response__respondent", erase={"text": ""}),)
