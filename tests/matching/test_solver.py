"""The pure matching engine: contract properties, optimality against exact methods, baseline."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching.solver import (
    Edge,
    MatchStats,
    SolverError,
    match_stats,
    solve,
    solve_greedy,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
Instance = tuple[list[Edge], dict[int, int]]


@st.composite
def instances(
    draw: st.DrawFn,
    *,
    max_apps: int = 8,
    max_projects: int = 5,
    max_edges: int = 30,
    max_capacity: int = 3,
    max_score: int = 20,
) -> Instance:
    """Edges (with duplicates, arbitrary ids) and capacities (some projects left out)."""
    any_id = st.integers(min_value=-(2**62), max_value=2**62)
    app_ids = draw(st.lists(any_id, min_size=1, max_size=max_apps, unique=True))
    project_ids = draw(st.lists(any_id, min_size=1, max_size=max_projects, unique=True))
    edges = draw(
        st.lists(
            st.tuples(
                st.sampled_from(app_ids),
                st.sampled_from(project_ids),
                st.integers(min_value=0, max_value=max_score),
            ),
            max_size=max_edges,
        )
    )
    capacities = draw(
        st.dictionaries(
            st.sampled_from(project_ids), st.integers(min_value=0, max_value=max_capacity)
        )
    )
    return edges, capacities


def best_scores(edges: Sequence[Edge]) -> dict[tuple[int, int], int]:
    best: dict[tuple[int, int], int] = {}
    for app, project, score in edges:
        best[app, project] = max(score, best.get((app, project), score))
    return best


def value(matching: Mapping[int, int], edges: Sequence[Edge]) -> tuple[int, int]:
    """(matched count, total score): the order in which the contract ranks matchings."""
    scores = best_scores(edges)
    return len(matching), sum(scores[pair] for pair in matching.items())


def assert_is_valid_matching(
    matching: Mapping[int, int], edges: Sequence[Edge], capacities: Mapping[int, int]
) -> None:
    pairs = best_scores(edges)
    for pair in matching.items():
        assert pair in pairs, f"{pair} is not an allowed pair"
    for project, used in Counter(matching.values()).items():
        assert used <= capacities.get(project, 0), f"project {project} over capacity"


def brute_force_value(edges: Sequence[Edge], capacities: Mapping[int, int]) -> tuple[int, int]:
    """The best (count, score) over every assignment, by exhaustive search."""
    scores = best_scores(edges)
    options: dict[int, list[tuple[int, int]]] = {}
    for (app, project), score in scores.items():
        options.setdefault(app, []).append((project, score))
    apps = sorted(options)
    free = dict(capacities)

    def search(i: int) -> tuple[int, int]:
        if i == len(apps):
            return 0, 0
        best = search(i + 1)  # this application unmatched
        for project, score in options[apps[i]]:
            if free.get(project, 0) > 0:
                free[project] -= 1
                count, total = search(i + 1)
                free[project] += 1
                best = max(best, (count + 1, total + score))
        return best

    return search(0)


def assignment_value(edges: Sequence[Edge], capacities: Mapping[int, int]) -> tuple[int, int]:
    """The best (count, score) by scipy's Hungarian method on capacity-expanded slots.

    Each place is a column; a pair weighs BIG + score, with BIG larger than any total score,
    so one more matched application always outweighs any gain in score.
    """
    scores = best_scores(edges)
    apps = sorted({app for app, _ in scores})
    slots = [p for p, c in sorted(capacities.items()) for _ in range(min(c, len(apps)))]
    if not apps or not slots:
        return 0, 0
    big = len(apps) * max(scores.values()) + 1
    weight = np.zeros((len(apps), len(slots)), dtype=np.int64)
    for i, app in enumerate(apps):
        for j, project in enumerate(slots):
            if (app, project) in scores:
                weight[i, j] = big + scores[app, project]
    rows, cols = linear_sum_assignment(weight, maximize=True)
    total = int(weight[rows, cols].sum())
    return total // big, total % big


def greedy_reference(edges: Sequence[Edge], capacities: Mapping[int, int]) -> dict[int, int]:
    """The baseline as its docstring says, written the plain way."""
    scores = best_scores(edges)
    free = dict(capacities)
    result: dict[int, int] = {}
    for app in sorted({app for app, _ in scores}):
        choices = sorted(
            ((-score, project) for (a, project), score in scores.items() if a == app),
        )
        for _, project in choices:
            if free.get(project, 0) > 0:
                free[project] -= 1
                result[app] = project
                break
    return result


# The contract


@given(instances())
def test_solve_returns_a_valid_matching(instance: Instance) -> None:
    edges, capacities = instance
    assert_is_valid_matching(solve(edges, capacities), edges, capacities)


@given(instances(), st.randoms(use_true_random=False))
def test_solve_does_not_depend_on_the_order_of_its_input(
    instance: Instance, rng: random.Random
) -> None:
    edges, capacities = instance
    shuffled = edges[:]
    rng.shuffle(shuffled)
    reordered_capacities = dict(reversed(list(capacities.items())))
    assert solve(shuffled, reordered_capacities) == solve(edges, capacities)


@given(instances())
def test_solve_gives_the_same_answer_every_time(instance: Instance) -> None:
    edges, capacities = instance
    assert solve(edges, capacities) == solve(list(edges), dict(capacities))


@given(instances())
def test_solve_accepts_a_numpy_array_of_edges(instance: Instance) -> None:
    edges, capacities = instance
    array = np.array(edges, dtype=np.int64).reshape(-1, 3)
    assert solve(array, capacities) == solve(edges, capacities)


# Optimality, against methods that share no code with the solver


@settings(max_examples=200, deadline=None)
@given(instances(max_apps=7, max_projects=3, max_edges=14))
def test_solve_is_as_good_as_an_exhaustive_search(instance: Instance) -> None:
    edges, capacities = instance
    assert value(solve(edges, capacities), edges) == brute_force_value(edges, capacities)


@settings(max_examples=150, deadline=None)
@given(instances(max_apps=25, max_projects=8, max_edges=90, max_capacity=4, max_score=1000))
def test_solve_is_as_good_as_the_hungarian_method_on_expanded_places(
    instance: Instance,
) -> None:
    edges, capacities = instance
    assert value(solve(edges, capacities), edges) == assignment_value(edges, capacities)


def test_solve_prefers_serving_more_applications_to_a_higher_score() -> None:
    # Application 1 alone on project 10 scores 100; serving both scores 0, and wins.
    edges = [(1, 10, 100), (1, 11, 0), (2, 10, 0)]
    assert solve(edges, {10: 1, 11: 1}) == {1: 11, 2: 10}


def test_solve_prefers_the_higher_total_score_among_matchings_of_the_same_size() -> None:
    edges = [(1, 10, 10), (1, 11, 9), (2, 10, 10), (2, 11, 1)]
    assert solve(edges, {10: 1, 11: 1}) == {1: 11, 2: 10}


# Edge cases of the input


def test_solve_of_nothing_is_an_empty_matching() -> None:
    assert solve([], {}) == {}
    assert solve([], {10: 3}) == {}
    assert solve_greedy([], {}) == {}


def test_a_project_missing_from_capacities_has_no_places() -> None:
    edges = [(1, 10, 5), (1, 99, 50), (2, 99, 50)]
    assert solve(edges, {10: 1}) == {1: 10}
    assert solve_greedy(edges, {10: 1}) == {1: 10}


def test_a_project_with_capacity_zero_gets_nobody() -> None:
    edges = [(1, 10, 5), (2, 10, 5)]
    assert solve(edges, {10: 0}) == {}
    assert solve_greedy(edges, {10: 0}) == {}


@pytest.mark.parametrize(
    "edges",
    [
        [(1, 10, 1), (1, 10, 9), (2, 10, 5)],
        [(1, 10, 9), (2, 10, 5), (1, 10, 1)],
    ],
)
def test_a_duplicate_pair_counts_once_with_its_highest_score(edges: list[Edge]) -> None:
    # One place: application 1 (best score 9) beats application 2 (5) only if 9 is kept.
    assert solve(edges, {10: 1}) == {1: 10}
    assert match_stats({1: 10}, edges) == MatchStats(matched=1, total_score=9)


def test_ids_may_be_any_integers_and_come_back_unchanged() -> None:
    low, high = -(2**63), 2**63 - 1
    edges = [(high, low, 3), (low, high, 4), (0, low, 1)]
    assert solve(edges, {low: 1, high: 1}) == {high: low, low: high}


def test_more_places_than_applicants_serve_everyone() -> None:
    edges = [(app, 10, app) for app in range(5)]
    assert solve(edges, {10: 10**12}) == {app: 10 for app in range(5)}


def test_a_negative_score_is_refused() -> None:
    with pytest.raises(ValueError, match="score must be >= 0"):
        solve([(1, 10, 3), (2, 10, -1)], {10: 1})
    with pytest.raises(ValueError, match="score must be >= 0"):
        solve_greedy([(2, 10, -1)], {10: 1})


def test_a_negative_capacity_is_refused_even_for_a_project_without_edges() -> None:
    with pytest.raises(ValueError, match="capacities: project 11 has a negative capacity"):
        solve([(1, 10, 3)], {10: 1, 11: -2})
    with pytest.raises(ValueError, match="negative capacity"):
        solve_greedy([(1, 10, 3)], {10: -1})


def test_an_edge_that_is_not_a_triple_is_refused() -> None:
    with pytest.raises(ValueError, match="triples"):
        solve([(1, 10), (2, 10, 3, 4)], {10: 1})  # type: ignore[list-item]
    with pytest.raises(ValueError, match="triples"):
        solve(np.zeros((2, 2), dtype=np.int64), {10: 1})


def test_scores_too_large_for_the_flow_solver_raise_a_clear_error() -> None:
    with pytest.raises(SolverError, match="BAD_COST_RANGE"):
        solve([(1, 10, 2**62), (2, 10, 0)], {10: 1})


# The greedy baseline


@given(instances())
def test_greedy_returns_a_valid_matching(instance: Instance) -> None:
    edges, capacities = instance
    assert_is_valid_matching(solve_greedy(edges, capacities), edges, capacities)


@given(instances())
def test_greedy_serves_applications_first_come_first_served(instance: Instance) -> None:
    edges, capacities = instance
    assert solve_greedy(edges, capacities) == greedy_reference(edges, capacities)


@given(instances())
def test_greedy_never_beats_the_solver(instance: Instance) -> None:
    edges, capacities = instance
    greedy = value(solve_greedy(edges, capacities), edges)
    optimal = value(solve(edges, capacities), edges)
    assert greedy[0] <= optimal[0]
    assert greedy <= optimal


def test_greedy_serves_fewer_when_an_early_application_takes_a_later_ones_only_place() -> None:
    # Application 1 could go to 11, but takes 10, the only project application 2 may use.
    edges = [(1, 10, 10), (1, 11, 5), (2, 10, 10)]
    capacities = {10: 1, 11: 1}
    assert solve_greedy(edges, capacities) == {1: 10}
    assert solve(edges, capacities) == {1: 11, 2: 10}


def test_greedy_scores_lower_when_it_serves_as_many() -> None:
    edges = [(1, 10, 10), (1, 11, 9), (2, 10, 10), (2, 11, 1)]
    capacities = {10: 1, 11: 1}
    assert value(solve_greedy(edges, capacities), edges) == (2, 11)
    assert value(solve(edges, capacities), edges) == (2, 19)


def test_greedy_breaks_a_tie_in_score_towards_the_lower_project_id() -> None:
    assert solve_greedy([(1, 12, 5), (1, 11, 5)], {11: 1, 12: 1}) == {1: 11}


# Stats


def test_match_stats_counts_the_pairs_and_adds_their_best_scores() -> None:
    edges = [(1, 10, 4), (2, 11, 6), (2, 11, 2)]
    assert match_stats({1: 10, 2: 11}, edges) == MatchStats(matched=2, total_score=10)
    assert match_stats({}, edges) == MatchStats(matched=0, total_score=0)


def test_match_stats_refuses_a_pair_that_is_not_an_edge() -> None:
    with pytest.raises(ValueError, match=r"pair \(1, 11\)"):
        match_stats({1: 11}, [(1, 10, 4), (2, 11, 6)])
    with pytest.raises(ValueError, match="not among the edges"):
        match_stats({1: 10}, [])


# Purity


def test_the_solver_module_imports_no_django() -> None:
    probe = (
        "import sys, matching.solver\n"
        "assert 'matching.solver' in sys.modules\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "PYTHONPATH": str(REPO_ROOT)},
    )
    assert done.stdout.strip() == "[]", done.stdout
