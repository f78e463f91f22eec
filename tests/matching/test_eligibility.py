"""The eligibility rules and the score, one by one, on plain facts (no database)."""

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.eligibility import (
    RULES,
    WEIGHT_PREFERRED,
    WEIGHT_SAME_NEIGHBOURHOOD,
    WEIGHT_SUPPORT_TYPE,
    WEIGHT_URGENCY,
    ApplicationFacts,
    ProjectFacts,
    build_edges,
    evaluate,
    failed_rules,
    score_parts,
)

TODAY = dt.date(2026, 6, 15)
DISTRICT = 1
HOME = 10
ELSEWHERE = 11


def application(**changes: object) -> ApplicationFacts:
    facts = ApplicationFacts(
        id=1,
        district_id=DISTRICT,
        neighbourhood_id=HOME,
        areas=frozenset({"health"}),
        urgency=2,
        submitted_on=TODAY,
        support_type="",
        birth_year=1950,
        household_type="single_person",
        target_groups=frozenset({"older-alone"}),
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def project(**changes: object) -> ProjectFacts:
    facts = ProjectFacts(
        id=100,
        district_id=DISTRICT,
        area="health",
        support_type="health_care",
        status="open",
        starts_on=TODAY - dt.timedelta(days=30),
        whole_district=True,
    )
    return dataclasses.replace(facts, **changes)  # type: ignore[arg-type]


def test_a_pair_that_meets_every_rule_is_an_edge() -> None:
    assert failed_rules(application(), project(), TODAY) == []
    assert evaluate(application(), project(), TODAY) is not None


def test_the_project_area_must_be_one_of_the_applications_areas() -> None:
    assert failed_rules(application(areas=frozenset({"education"})), project(), TODAY) == ["area"]
    both = application(areas=frozenset({"education", "health"}))
    assert failed_rules(both, project(), TODAY) == []


def test_a_project_that_is_not_open_is_not_an_edge() -> None:
    for status in ("draft", "paused", "closed"):
        assert failed_rules(application(), project(status=status), TODAY) == ["open"]


def test_a_project_that_has_not_started_is_not_an_edge() -> None:
    later = project(starts_on=TODAY + dt.timedelta(days=1))
    assert failed_rules(application(), later, TODAY) == ["in_period"]
    assert failed_rules(application(), project(starts_on=TODAY), TODAY) == []


def test_a_project_that_has_ended_is_not_an_edge_and_one_ending_today_still_is() -> None:
    assert failed_rules(application(), project(ends_on=TODAY - dt.timedelta(days=1)), TODAY) == [
        "in_period"
    ]
    assert failed_rules(application(), project(ends_on=TODAY), TODAY) == []
    assert failed_rules(application(), project(ends_on=None), TODAY) == []


def test_a_project_past_its_application_deadline_is_not_an_edge() -> None:
    late = project(apply_by=TODAY - dt.timedelta(days=1))
    assert failed_rules(application(), late, TODAY) == ["in_period"]
    assert failed_rules(application(), project(apply_by=TODAY), TODAY) == []


def test_a_project_must_serve_the_applicants_neighbourhood_or_the_whole_district() -> None:
    elsewhere = project(whole_district=False, neighbourhood_ids=frozenset({ELSEWHERE}))
    here = project(whole_district=False, neighbourhood_ids=frozenset({HOME, ELSEWHERE}))

    assert failed_rules(application(), elsewhere, TODAY) == ["neighbourhood"]
    assert failed_rules(application(), here, TODAY) == []


def test_a_project_of_another_district_is_never_an_edge_even_for_the_whole_district() -> None:
    assert failed_rules(application(), project(district_id=2), TODAY) == ["neighbourhood"]


def test_a_project_without_target_groups_is_open_to_all() -> None:
    nobody = application(target_groups=frozenset())
    assert failed_rules(nobody, project(target_groups=frozenset()), TODAY) == []


def test_a_project_with_target_groups_needs_one_shared_group() -> None:
    for_parents = project(target_groups=frozenset({"single-parent", "near-poor"}))
    assert failed_rules(application(), for_parents, TODAY) == ["target_groups"]
    parent = application(target_groups=frozenset({"near-poor", "crisis"}))
    assert failed_rules(parent, for_parents, TODAY) == []


def test_the_age_this_year_must_be_within_the_projects_limits() -> None:
    # Born 1950: 76 in 2026.
    assert failed_rules(application(), project(min_age=65), TODAY) == []
    assert failed_rules(application(), project(min_age=76, max_age=76), TODAY) == []
    assert failed_rules(application(), project(min_age=77), TODAY) == ["age"]
    assert failed_rules(application(), project(max_age=75), TODAY) == ["age"]


def test_an_unknown_birth_year_fails_an_age_limit_but_not_a_project_without_one() -> None:
    unknown = application(birth_year=None)
    assert failed_rules(unknown, project(min_age=65), TODAY) == ["age"]
    assert failed_rules(unknown, project(), TODAY) == []


def test_the_household_type_must_be_in_the_projects_list_when_it_has_one() -> None:
    for_families = project(household_types=frozenset({"with_children", "single_parent"}))
    assert failed_rules(application(), for_families, TODAY) == ["household_type"]
    assert failed_rules(application(household_type=""), for_families, TODAY) == ["household_type"]
    assert failed_rules(application(household_type="single_parent"), for_families, TODAY) == []


def test_a_pair_a_coordinator_rejected_is_not_an_edge_again() -> None:
    rejected = application(rejected_project_ids=frozenset({100}))
    assert failed_rules(rejected, project(), TODAY) == ["not_rejected_before"]
    assert failed_rules(rejected, project(id=101), TODAY) == []


def test_failed_rules_names_every_rule_a_pair_breaks_in_a_stable_order() -> None:
    bad = project(status="paused", area="education", min_age=90, district_id=2)
    assert failed_rules(application(), bad, TODAY) == ["area", "open", "neighbourhood", "age"]


def test_the_score_adds_urgency_days_waited_neighbourhood_support_type_and_preference() -> None:
    app = application(
        urgency=4,
        submitted_on=TODAY - dt.timedelta(days=10),
        support_type="health_care",
        preferred_project_id=100,
    )
    local = project(whole_district=False, neighbourhood_ids=frozenset({HOME}))

    parts = score_parts(app, local, TODAY)

    assert parts == {
        "urgency": 4 * WEIGHT_URGENCY,
        "waited": 20,
        "same_neighbourhood": WEIGHT_SAME_NEIGHBOURHOOD,
        "support_type": WEIGHT_SUPPORT_TYPE,
        "preferred_project": WEIGHT_PREFERRED,
        "total": 400 + 20 + 60 + 50 + 150,
    }


def test_a_whole_district_project_gets_no_neighbourhood_points() -> None:
    assert score_parts(application(), project(), TODAY)["same_neighbourhood"] == 0


def test_waiting_counts_for_at_most_ninety_days() -> None:
    long_ago = application(submitted_on=TODAY - dt.timedelta(days=400))
    assert score_parts(long_ago, project(), TODAY)["waited"] == 180


def test_an_urgent_need_outranks_three_months_of_waiting() -> None:
    urgent_today = application(urgency=4)
    waited_long = application(urgency=2, submitted_on=TODAY - dt.timedelta(days=90))
    assert (
        score_parts(urgent_today, project(), TODAY)["total"]
        > score_parts(waited_long, project(), TODAY)["total"]
    )


def test_an_edge_carries_its_reasons_with_stable_keys() -> None:
    app = application(target_groups=frozenset({"older-alone", "crisis"}))
    edge = evaluate(app, project(target_groups=frozenset({"crisis"})), TODAY)

    assert edge is not None
    assert edge.reasons == {
        "version": 1,
        "rules": list(RULES),
        "details": {
            "area": "health",
            "neighbourhood": "whole_district",
            "target_groups": ["crisis"],
            "age": 76,
            "household_type": "single_person",
        },
        "score": {
            "urgency": 200,
            "waited": 0,
            "same_neighbourhood": 0,
            "support_type": 0,
            "preferred_project": 0,
            "total": 200,
        },
    }
    assert edge.score == edge.reasons["score"]["total"]


def test_build_edges_skips_closed_projects_and_scores_like_evaluate() -> None:
    apps = [application(id=1), application(id=2, areas=frozenset({"education"}))]
    projects = [
        project(id=100),
        project(id=101, status="paused"),
        project(id=102, whole_district=False, neighbourhood_ids=frozenset({HOME})),
    ]

    edges = build_edges(apps, projects, TODAY)

    assert sorted(edges) == [(1, 100, 200), (1, 102, 260)]


# --- The fast bulk builder agrees with the rules, pair by pair ----------------------------

AREAS = ["donation", "network", "talent", "health", "education"]
GROUPS = ["older-alone", "near-poor", "single-parent", "crisis"]
HOUSEHOLDS = ["single_person", "couple", "with_children", ""]

applications_strategy = st.builds(
    ApplicationFacts,
    id=st.integers(1, 10_000),
    district_id=st.sampled_from([1, 2]),
    neighbourhood_id=st.integers(10, 13),
    areas=st.frozensets(st.sampled_from(AREAS), min_size=1, max_size=3),
    urgency=st.integers(1, 4),
    submitted_on=st.dates(TODAY - dt.timedelta(days=200), TODAY),
    support_type=st.sampled_from(["", "goods", "service", "health_care"]),
    birth_year=st.none() | st.integers(1925, 2020),
    household_type=st.sampled_from(HOUSEHOLDS),
    target_groups=st.frozensets(st.sampled_from(GROUPS), max_size=2),
    preferred_project_id=st.none() | st.integers(1, 8),
    rejected_project_ids=st.frozensets(st.integers(1, 8), max_size=2),
)


@st.composite
def projects_strategy(draw: st.DrawFn, project_id: int) -> ProjectFacts:
    starts_on = draw(st.dates(TODAY - dt.timedelta(days=60), TODAY + dt.timedelta(days=5)))
    ends_on = draw(st.none() | st.dates(starts_on, starts_on + dt.timedelta(days=90)))
    min_age = draw(st.none() | st.integers(0, 80))
    max_age = draw(st.none() | st.integers(min_age or 0, 100))
    return ProjectFacts(
        id=project_id,
        district_id=draw(st.sampled_from([1, 2])),
        area=draw(st.sampled_from(AREAS)),
        support_type=draw(st.sampled_from(["goods", "service", "health_care"])),
        status=draw(st.sampled_from(["open", "open", "open", "paused", "draft"])),
        starts_on=starts_on,
        ends_on=ends_on,
        apply_by=draw(st.none() | st.dates(starts_on, ends_on or TODAY + dt.timedelta(days=30))),
        whole_district=draw(st.booleans()),
        neighbourhood_ids=draw(st.frozensets(st.integers(10, 13), max_size=3)),
        target_groups=draw(st.frozensets(st.sampled_from(GROUPS), max_size=2)),
        min_age=min_age,
        max_age=max_age,
        household_types=draw(st.frozensets(st.sampled_from(HOUSEHOLDS[:3]), max_size=2)),
    )


@settings(max_examples=150, deadline=None)
@given(
    apps=st.lists(applications_strategy, max_size=12, unique_by=lambda a: a.id),
    projects=st.integers(0, 8).flatmap(
        lambda n: st.tuples(*[projects_strategy(i + 1) for i in range(n)])
    ),
)
def test_build_edges_finds_exactly_the_pairs_evaluate_accepts_with_the_same_scores(
    apps: list[ApplicationFacts], projects: tuple[ProjectFacts, ...]
) -> None:
    expected = {
        (edge.application_id, edge.project_id, edge.score)
        for app in apps
        for p in projects
        if (edge := evaluate(app, p, TODAY)) is not None
    }

    edges = build_edges(apps, list(projects), TODAY)

    assert len(edges) == len(set(edges))
    assert set(edges) == expected
    assert all(score >= 0 for _, _, score in edges)
