"""A case as the queue shows it: a list row (``QueueRow``, ``queue_row``), a proposal's
reasons in plain words, and whose personal data a page of rows shows (for the access log).
No queries of their own: they read what ``cases`` fetched."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects.models import Area, HouseholdType
from residents.services import AccessSubject

from ... import eligibility
from ...models import MatchProposal, Referral, SupportApplication

UNMATCHED_WORDS: dict[str, Promise] = {
    SupportApplication.UnmatchedReason.NO_ELIGIBLE_PROJECT: _(
        "No open project fits this person's need and situation."
    ),
    SupportApplication.UnmatchedReason.NO_FREE_PLACE: _(
        "Projects fit, but none has a free place left."
    ),
}

RULE_WORDS: dict[str, Promise] = {
    eligibility.RULE_AREA: _("the project is in an area of need"),
    eligibility.RULE_OPEN: _("the project is open"),
    eligibility.RULE_IN_PERIOD: _("the project is running now"),
    eligibility.RULE_NEIGHBOURHOOD: _("the project serves the neighbourhood"),
    eligibility.RULE_TARGET_GROUPS: _("the person belongs to a group the project serves"),
    eligibility.RULE_AGE: _("the person's age is within the project's limits"),
    eligibility.RULE_HOUSEHOLD_TYPE: _("the household type is one the project serves"),
    eligibility.RULE_NOT_REJECTED: _("not rejected for this project before"),
}
SCORE_WORDS: dict[str, Promise] = {
    eligibility.SCORE_URGENCY: _("urgency"),
    eligibility.SCORE_WAITED: _("days waited"),
    eligibility.SCORE_SAME_NEIGHBOURHOOD: _("project of the same neighbourhood"),
    eligibility.SCORE_SUPPORT_TYPE: _("the kind of help asked for"),
    eligibility.SCORE_PREFERRED: _("the project the person chose"),
}


@dataclass
class ReasonWords:
    rules: list[Promise | str] = field(default_factory=list)
    parts: list[tuple[Promise | str, int]] = field(default_factory=list)


def reason_words(reasons: dict[str, Any]) -> ReasonWords:
    """A proposal's stored reasons in plain words: the rules met, and each non-zero part of
    the score (unknown keys are skipped, so an older or newer version never breaks the page)."""
    words = ReasonWords()
    for rule in reasons.get("rules") or []:
        if rule in RULE_WORDS:
            words.rules.append(RULE_WORDS[rule])
    for key, points in (reasons.get("score") or {}).items():
        if key in SCORE_WORDS and points:
            words.parts.append((SCORE_WORDS[key], points))
    return words


def household_label(code: str) -> Promise | str:
    return dict(HouseholdType.choices).get(code, code)


def days_waiting(since: Any) -> int:
    return max(0, (timezone.now() - since).days)


@dataclass
class QueueRow:
    """One row of a tab, ready for the template, whatever the tab."""

    kind: str  # "proposal", "application" or "referral"
    public_id: UUID
    who: str
    neighbourhood: str
    area_labels: list[Promise | str]
    description: str
    urgency: int | None
    urgency_label: Promise | str
    waiting_days: int
    proposal: MatchProposal | None = None
    project_title: str = ""
    places_left: int | None = None
    reasons: ReasonWords | None = None
    score: int | None = None
    unmatched_words: Promise | str = ""
    # The codes behind the labels, for the API (the page shows only the words).
    areas: list[str] = field(default_factory=list)
    unmatched_reason: str = ""

    @property
    def age_class(self) -> str:
        if self.waiting_days > 7:
            return "age-over-7"
        if self.waiting_days > 3:
            return "age-over-3"
        return ""


def _area_labels(codes: list[str]) -> list[Promise | str]:
    names = dict(Area.choices)
    return [names.get(code, code) for code in codes or []]


def _application_row(application: SupportApplication, proposal: MatchProposal | None) -> QueueRow:
    row = QueueRow(
        kind="application",
        public_id=application.public_id,
        who=application.applicant_name,
        neighbourhood=application.neighbourhood.name,
        area_labels=_area_labels(application.areas),
        description=application.description,
        urgency=application.urgency,
        urgency_label=application.get_urgency_display(),
        waiting_days=days_waiting(application.submitted_at),
        unmatched_words=UNMATCHED_WORDS.get(application.unmatched_reason, ""),
        areas=list(application.areas or []),
        unmatched_reason=application.unmatched_reason,
    )
    if proposal is not None:
        row.proposal = proposal
        row.project_title = proposal.project.title
        row.places_left = proposal.project.places_left
        row.reasons = reason_words(proposal.reasons or {})
        row.score = proposal.score
    return row


def access_subjects(items: Iterable[Any]) -> list[AccessSubject]:
    """Whose personal data a page of the list shows, for the access log (no query: the
    page's proposals carry their application)."""
    subjects = []
    for item in items:
        if isinstance(item, Referral):
            subjects.append(AccessSubject(referral_id=item.pk))
        else:
            application = item.application if isinstance(item, MatchProposal) else item
            subjects.append(
                AccessSubject(user_id=application.applicant_id, application_id=application.pk)
            )
    return subjects


def queue_row(item: Any) -> QueueRow:
    """A proposal, an application (with ``live_proposals`` prefetched) or a referral as a row."""
    if isinstance(item, MatchProposal):
        row = _application_row(item.application, item)
        row.kind = "proposal"
        return row
    if isinstance(item, Referral):
        return QueueRow(
            kind="referral",
            public_id=item.public_id,
            who=item.neighbour_name or str(_("(name not given)")),
            neighbourhood=item.neighbourhood.name,
            area_labels=[],
            description=item.situation,
            urgency=None,
            urgency_label=item.get_status_display(),
            waiting_days=days_waiting(item.created_at),
        )
    live = getattr(item, "live_proposals", [])
    return _application_row(item, live[0] if live else None)
