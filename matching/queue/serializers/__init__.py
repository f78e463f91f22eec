"""What the queue's API shows of cases (``cases``), and what a coordinator sends to decide
them (``inputs``). The shapes follow the website's queue."""

from .cases import (
    ApplicationCaseSerializer,
    ApplicationStateSerializer,
    CaseApplicationSerializer,
    CaseEventSerializer,
    CaseProposalSerializer,
    ProjectRefSerializer,
    ProposalDecisionSerializer,
    QueueCountsSerializer,
    QueueRowSerializer,
    ReasonsSerializer,
    ReassignOptionSerializer,
    ReferralCaseSerializer,
    ReferralStateSerializer,
)
from .inputs import (
    AcceptSerializer,
    HoldSerializer,
    OutcomeSerializer,
    ReassignSerializer,
    ReferralCloseSerializer,
    ReferralContactSerializer,
    ReferralConvertSerializer,
    RejectSerializer,
)

__all__ = [
    "AcceptSerializer",
    "ApplicationCaseSerializer",
    "ApplicationStateSerializer",
    "CaseApplicationSerializer",
    "CaseEventSerializer",
    "CaseProposalSerializer",
    "HoldSerializer",
    "OutcomeSerializer",
    "ProjectRefSerializer",
    "ProposalDecisionSerializer",
    "QueueCountsSerializer",
    "QueueRowSerializer",
    "ReasonsSerializer",
    "ReassignOptionSerializer",
    "ReassignSerializer",
    "ReferralCaseSerializer",
    "ReferralCloseSerializer",
    "ReferralContactSerializer",
    "ReferralConvertSerializer",
    "ReferralStateSerializer",
    "RejectSerializer",
]
