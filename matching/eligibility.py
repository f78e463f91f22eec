"""Who may be matched to what, and how well: pure functions on plain facts (no ORM, no Django).

An application and a project form an *edge* (a pair the solver may choose) when every rule
below holds. Each rule has a stable key; the keys are stored in proposals' ``reasons`` and
read by the coordinator queue, so they never change meaning:

``area``                the project's area is one of the application's areas of need
``open``                the project's status is open
``in_period``           starts_on <= today <= ends_on (or open-ended), and today <= apply_by
                        when a deadline is set
``neighbourhood``       same district, and the project serves the applicant's neighbourhood
                        or the whole district
``target_groups``       the project names no groups (open to all), or shares at least one
                        with the applicant
``age``                 the applicant's age this year (today's year - birth year) is within
                        min_age/max_age when either is set; an unknown birth year fails a
                        project with an age limit, because nobody can vouch for it
``household_type``      the applicant's household type is in the project's list when the list
                        is not empty; an unknown household type fails a non-empty list
``not_rejected_before`` a coordinator has not rejected this pair before

The score is an integer >= 0, the sum of these parts (the weights are the module's
``WEIGHT_*`` constants):

``urgency``             urgency 1-4 x 100
``waited``              2 per day waited since submission, at most 90 days (180)
``same_neighbourhood``  60 when the project names the applicant's neighbourhood (a
                        whole-district project gets 0)
``support_type``        50 when the applicant asked for the project's support type
``preferred_project``   150 when it is the project the applicant chose

Urgency and waiting are the same for every project of an application: they decide *who*
gets the scarce places; the other parts decide *which* project.

``reasons`` (``Edge.reasons``, stored as JSON on the proposal)::

    {"version": 1,
     "rules": ["area", "open", "in_period", ...],          # every rule met, in RULES order
     "details": {"area": "health", "neighbourhood": "served" | "whole_district",
                 "target_groups": [shared codes] (empty: the project is open to all),
                 "age": 72 | null, "household_type": "single_person" | ""},
     "score": {"urgency": 300, "waited": 42, "same_neighbourhood": 60, "support_type": 0,
               "preferred_project": 0, "total": 402}}
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

REASONS_VERSION = 1

RULE_AREA = "area"
RULE_OPEN = "open"
RULE_IN_PERIOD = "in_period"
RULE_NEIGHBOURHOOD = "neighbourhood"
RULE_TARGET_GROUPS = "target_groups"
RULE_AGE = "age"
RULE_HOUSEHOLD_TYPE = "household_type"
RULE_NOT_REJECTED = "not_rejected_before"
RULES: tuple[str, ...] = (
    RULE_AREA,
    RULE_OPEN,
    RULE_IN_PERIOD,
    RULE_NEIGHBOURHOOD,
    RULE_TARGET_GROUPS,
    RULE_AGE,
    RULE_HOUSEHOLD_TYPE,
    RULE_NOT_REJECTED,
)

NEIGHBOURHOOD_SERVED = "served"
NEIGHBOURHOOD_WHOLE_DISTRICT = "whole_district"

SCORE_URGENCY = "urgency"
SCORE_WAITED = "waited"
SCORE_SAME_NEIGHBOURHOOD = "same_neighbourhood"
SCORE_SUPPORT_TYPE = "support_type"
SCORE_PREFERRED = "preferred_project"
SCORE_TOTAL = "total"

WEIGHT_URGENCY = 100
WEIGHT_WAITED_PER_DAY = 2
WAITED_DAYS_CAP = 90
WEIGHT_SAME_NEIGHBOURHOOD = 60
WEIGHT_SUPPORT_TYPE = 50
WEIGHT_PREFERRED = 150

PROJECT_OPEN = "open"


@dataclass(frozen=True, slots=True)
class ApplicationFacts:
    """What matching knows about a pending application (copied from its row)."""

    id: int
    district_id: int
    neighbourhood_id: int
    areas: frozenset[str]
    urgency: int
    submitted_on: date
    support_type: str = ""
    birth_year: int | None = None
    household_type: str = ""
    target_groups: frozenset[str] = frozenset()
    preferred_project_id: int | None = None
    rejected_project_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """What matching knows about a project; ``neighbourhood_ids`` is ignored if whole_district."""

    id: int
    district_id: int
    area: str
    support_type: str
    status: str
    starts_on: date
    ends_on: date | None = None
    apply_by: date | None = None
    whole_district: bool = False
    neighbourhood_ids: frozenset[int] = frozenset()
    target_groups: frozenset[str] = frozenset()
    min_age: int | None = None
    max_age: int | None = None
    household_types: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Edge:
    application_id: int
    project_id: int
    score: int
    reasons: dict[str, Any] = field(compare=False, hash=False)


# --- The rules, one by one ----------------------------------------------------------------


def area_matches(application: ApplicationFacts, project: ProjectFacts) -> bool:
    return project.area in application.areas


def project_is_open(project: ProjectFacts) -> bool:
    return project.status == PROJECT_OPEN


def project_in_period(project: ProjectFacts, today: date) -> bool:
    if project.starts_on > today:
        return False
    if project.ends_on is not None and today > project.ends_on:
        return False
    return project.apply_by is None or today <= project.apply_by


def neighbourhood_served(application: ApplicationFacts, project: ProjectFacts) -> bool:
    if project.district_id != application.district_id:
        return False
    return project.whole_district or application.neighbourhood_id in project.neighbourhood_ids


def target_groups_met(application: ApplicationFacts, project: ProjectFacts) -> bool:
    return not project.target_groups or not project.target_groups.isdisjoint(
        application.target_groups
    )


def age_of(birth_year: int | None, today: date) -> int | None:
    return None if birth_year is None else today.year - birth_year


def age_met(application: ApplicationFacts, project: ProjectFacts, today: date) -> bool:
    if project.min_age is None and project.max_age is None:
        return True
    age = age_of(application.birth_year, today)
    if age is None:
        return False
    if project.min_age is not None and age < project.min_age:
        return False
    return project.max_age is None or age <= project.max_age


def household_type_met(application: ApplicationFacts, project: ProjectFacts) -> bool:
    return not project.household_types or application.household_type in project.household_types


def not_rejected_before(application: ApplicationFacts, project: ProjectFacts) -> bool:
    return project.id not in application.rejected_project_ids


def failed_rules(application: ApplicationFacts, project: ProjectFacts, today: date) -> list[str]:
    """The keys of the rules the pair fails, in ``RULES`` order; empty means it is an edge."""
    checks = {
        RULE_AREA: area_matches(application, project),
        RULE_OPEN: project_is_open(project),
        RULE_IN_PERIOD: project_in_period(project, today),
        RULE_NEIGHBOURHOOD: neighbourhood_served(application, project),
        RULE_TARGET_GROUPS: target_groups_met(application, project),
        RULE_AGE: age_met(application, project, today),
        RULE_HOUSEHOLD_TYPE: household_type_met(application, project),
        RULE_NOT_REJECTED: not_rejected_before(application, project),
    }
    return [rule for rule in RULES if not checks[rule]]


# --- The score ----------------------------------------------------------------------------


def days_waited(application: ApplicationFacts, today: date) -> int:
    return max(0, (today - application.submitted_on).days)


def application_score(application: ApplicationFacts, today: date) -> int:
    """The part of the score that is the same for every project: urgency and waiting."""
    waited = min(days_waited(application, today), WAITED_DAYS_CAP) * WEIGHT_WAITED_PER_DAY
    return application.urgency * WEIGHT_URGENCY + waited


def score_parts(
    application: ApplicationFacts, project: ProjectFacts, today: date
) -> dict[str, int]:
    parts = {
        SCORE_URGENCY: application.urgency * WEIGHT_URGENCY,
        SCORE_WAITED: min(days_waited(application, today), WAITED_DAYS_CAP) * WEIGHT_WAITED_PER_DAY,
        SCORE_SAME_NEIGHBOURHOOD: (
            0
            if project.whole_district
            or application.neighbourhood_id not in project.neighbourhood_ids
            else WEIGHT_SAME_NEIGHBOURHOOD
        ),
        SCORE_SUPPORT_TYPE: (
            WEIGHT_SUPPORT_TYPE
            if application.support_type and application.support_type == project.support_type
            else 0
        ),
        SCORE_PREFERRED: WEIGHT_PREFERRED if application.preferred_project_id == project.id else 0,
    }
    parts[SCORE_TOTAL] = sum(parts.values())
    return parts


def evaluate(application: ApplicationFacts, project: ProjectFacts, today: date) -> Edge | None:
    """The edge between an application and a project with its reasons, or None if ineligible."""
    if failed_rules(application, project, today):
        return None
    return explain(application, project, today)


def explain(application: ApplicationFacts, project: ProjectFacts, today: date) -> Edge:
    """The edge of a pair already known to be one (from ``build_edges``), with its reasons."""
    parts = score_parts(application, project, today)
    reasons: dict[str, Any] = {
        "version": REASONS_VERSION,
        "rules": list(RULES),
        "details": {
            RULE_AREA: project.area,
            RULE_NEIGHBOURHOOD: (
                NEIGHBOURHOOD_WHOLE_DISTRICT if project.whole_district else NEIGHBOURHOOD_SERVED
            ),
            RULE_TARGET_GROUPS: sorted(project.target_groups & application.target_groups),
            RULE_AGE: age_of(application.birth_year, today),
            RULE_HOUSEHOLD_TYPE: application.household_type,
        },
        "score": parts,
    }
    return Edge(application.id, project.id, parts[SCORE_TOTAL], reasons)


# --- Every edge of a district at once -----------------------------------------------------


def build_edges(
    applications: Iterable[ApplicationFacts], projects: Sequence[ProjectFacts], today: date
) -> list[tuple[int, int, int]]:
    """Every edge as (application id, project id, score), without reasons.

    The same pairs and scores as calling ``evaluate`` on every pair, but a district-year
    (10,000 applications, 350 projects) takes a fraction of a second: projects that are not
    open or not in their period are dropped once, and each application looks only at the
    projects of its areas that serve its neighbourhood.
    """
    served: dict[tuple[str, int], list[ProjectFacts]] = defaultdict(list)
    whole: dict[tuple[str, int], list[ProjectFacts]] = defaultdict(list)
    for project in projects:
        if not (project_is_open(project) and project_in_period(project, today)):
            continue
        if project.whole_district:
            whole[project.area, project.district_id].append(project)
        else:
            for neighbourhood_id in project.neighbourhood_ids:
                served[project.area, neighbourhood_id].append(project)

    edges: list[tuple[int, int, int]] = []
    for app in applications:
        base = application_score(app, today)
        age = age_of(app.birth_year, today)
        for area in app.areas:
            for same_place, candidates in (
                (True, served.get((area, app.neighbourhood_id), ())),
                (False, whole.get((area, app.district_id), ())),
            ):
                for project in candidates:
                    if project.district_id != app.district_id:
                        continue
                    if project.target_groups and project.target_groups.isdisjoint(
                        app.target_groups
                    ):
                        continue
                    if project.min_age is not None or project.max_age is not None:
                        if age is None:
                            continue
                        if project.min_age is not None and age < project.min_age:
                            continue
                        if project.max_age is not None and age > project.max_age:
                            continue
                    if (
                        project.household_types
                        and app.household_type not in project.household_types
                    ):
                        continue
                    if project.id in app.rejected_project_ids:
                        continue
                    score = base
                    if same_place:
                        score += WEIGHT_SAME_NEIGHBOURHOOD
                    if app.support_type and app.support_type == project.support_type:
                        score += WEIGHT_SUPPORT_TYPE
                    if app.preferred_project_id == project.id:
                        score += WEIGHT_PREFERRED
                    edges.append((app.id, project.id, score))
    return edges
