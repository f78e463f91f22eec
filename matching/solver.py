"""The matching engine's pure core: assign applications to projects with free places.

This module imports no Django, directly or indirectly: the worker reads the rows, hands plain
integers to :func:`solve`, and writes the proposals back. That keeps the algorithm testable
without a database and lets the benchmark run it at city scale.

The problem
-----------
``edges`` are the allowed pairs ``(application_id, project_id, score)``: the application is
eligible for the project, and ``score >= 0`` says how good the pair is (higher is better).
``capacities`` maps a project id to its free places (``>= 0``). A *matching* uses only given
pairs, gives each application at most one project and no project more applications than its
capacity. :func:`solve` returns the matching that helps the most residents first and, among
all matchings of that size, has the highest total score.

Conventions shared by :func:`solve` and :func:`solve_greedy`
------------------------------------------------------------
* A project that appears in ``edges`` but not in ``capacities`` has no free place (capacity
  0): the caller states capacity explicitly, the solver never invents places.
* The same ``(application_id, project_id)`` pair given more than once counts once, with the
  highest of its scores.
* A negative score or a negative capacity raises :class:`ValueError`.
* Ids are arbitrary integers (negative, sparse, large); they are mapped to dense node indices
  internally and come back unchanged.
* The result depends only on the *set* of edges and the capacities, not on the order in which
  they were given: edges are put in a canonical order before the graph is built.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

__all__ = [
    "Edge",
    "Edges",
    "MatchStats",
    "SolverError",
    "match_stats",
    "solve",
    "solve_greedy",
]

Edge = tuple[int, int, int]
IntArray = npt.NDArray[np.int64]
# The contract's list of triples, or the same as an (n, 3) integer array (no conversion).
Edges = Sequence[Edge] | npt.NDArray[np.integer[Any]]


class SolverError(RuntimeError):
    """OR-Tools did not prove an optimal flow (it should always, for valid input)."""


@dataclass(frozen=True, slots=True)
class MatchStats:
    """How good a matching is: how many applications it serves and their total score."""

    matched: int
    total_score: int


@dataclass(frozen=True, slots=True)
class _Instance:
    """Validated input: distinct pairs in canonical order, ids replaced by dense ranks.

    ``app_ids`` and ``project_ids`` are the sorted distinct ids; edge ``k`` joins application
    ``app_ids[app_rank[k]]`` and project ``project_ids[project_rank[k]]`` with the highest
    score given for that pair. Edges are sorted by ``key = app_rank * len(project_ids) +
    project_rank``, that is by application id and then project id.
    """

    app_ids: IntArray
    project_ids: IntArray
    app_rank: IntArray
    project_rank: IntArray
    scores: IntArray
    keys: IntArray
    project_capacity: IntArray  # free places per distinct project (0 when not in capacities)


def _edge_array(edges: Edges) -> IntArray:
    """The edges as an ``(n, 3)`` int64 array; a numpy array of that shape is used as is."""
    if isinstance(edges, np.ndarray):
        array = edges.astype(np.int64, copy=False)
    else:
        rows = list(edges)
        if not rows:
            return np.empty((0, 3), dtype=np.int64)
        # Checking the lengths first lets the fast flat read below trust its input: a
        # short tuple next to a long one would otherwise shift every later field silently.
        lengths = set(map(len, rows))
        if lengths != {3}:
            raise ValueError(
                "edges: expected (application_id, project_id, score) triples, "
                f"got tuples of length {sorted(lengths)}"
            )
        flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=3 * len(rows))
        array = flat.reshape(-1, 3)
    if array.ndim != 2 or array.shape[1] != 3:
        raise ValueError(
            "edges: expected (application_id, project_id, score) triples, "
            f"got an array of shape {array.shape}"
        )
    return array


def _capacities_of(project_ids: IntArray, capacities: Mapping[int, int]) -> IntArray:
    """Free places of each project in ``project_ids``; 0 for one missing from ``capacities``.

    Raises on a negative capacity, even for a project without edges: it is a caller's bug.
    """
    keys = np.fromiter(capacities.keys(), dtype=np.int64, count=len(capacities))
    values = np.fromiter(capacities.values(), dtype=np.int64, count=len(capacities))
    if values.size and values.min() < 0:
        bad = int(np.argmin(values))
        raise ValueError(
            f"capacities: project {int(keys[bad])} has a negative capacity ({int(values[bad])})"
        )
    result = np.zeros(project_ids.size, dtype=np.int64)
    if keys.size:
        order = np.argsort(keys)
        keys, values = keys[order], values[order]
        at = np.minimum(np.searchsorted(keys, project_ids), keys.size - 1)
        known = keys[at] == project_ids
        result[known] = values[at[known]]
    return result


def _prepare(edges: Edges, capacities: Mapping[int, int]) -> _Instance:
    array = _edge_array(edges)
    apps, projects, scores = array[:, 0], array[:, 1], array[:, 2]
    if scores.size and scores.min() < 0:
        at = int(np.argmin(scores))
        raise ValueError(
            f"edges: score must be >= 0, got {int(scores[at])} for application "
            f"{int(apps[at])} and project {int(projects[at])}"
        )
    app_ids, app_rank = np.unique(apps, return_inverse=True)
    project_ids, project_rank = np.unique(projects, return_inverse=True)
    project_capacity = _capacities_of(project_ids, capacities)

    # One sort of a combined integer key (cheaper than a lexsort on three columns) puts the
    # edges in canonical order; each run of equal keys is one pair, which keeps its best score.
    keys = app_rank.astype(np.int64) * project_ids.size + project_rank
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if keys.size else order
    best = np.maximum.reduceat(scores[order], starts) if keys.size else scores
    first = order[starts]
    return _Instance(
        app_ids=app_ids,
        project_ids=project_ids,
        app_rank=app_rank[first],
        project_rank=project_rank[first],
        scores=best,
        keys=keys[starts],
        project_capacity=project_capacity,
    )


def solve(edges: Edges, capacities: Mapping[int, int]) -> dict[int, int]:
    """The best matching: most applications served first, then the highest total score.

    Returns ``{application_id: project_id}``. ``edges`` may also be an ``(n, 3)`` integer
    numpy array, which skips the conversion from tuples. See the module docstring for the
    conventions (missing capacity means 0, duplicate pairs keep their highest score,
    negative score or capacity raises :class:`ValueError`).

    How: a min-cost maximum flow (OR-Tools' ``SimpleMinCostFlow``) on the network
    ``source -> application -> project -> sink``. Source-to-application arcs have capacity 1
    (an application is matched at most once), application-to-project arcs capacity 1 and unit
    cost ``max_score - score``, project-to-sink arcs the project's free places.
    ``solve_max_flow_with_min_cost`` first maximises the flow, which is the number of matched
    applications, and among the maximum flows returns one of least cost.

    Why the least cost is the highest score: every unit of flow crosses exactly one
    application-to-project arc, so *every* maximum flow of value ``F`` uses exactly ``F`` such
    arcs, and its cost is ``sum(max_score - score) = F * max_score - sum(score)``. With ``F``
    fixed, minimising the cost is maximising the total score. The costs are non-negative
    (``max_score`` is the largest score given), and min-cost flow has an integral optimum, so
    each arc carries 0 or 1 and the flow reads back as a matching.

    Raises :class:`SolverError` if OR-Tools reports anything but ``OPTIMAL`` (for example
    ``BAD_COST_RANGE`` when scores are so large that its internal arithmetic could overflow).
    """
    instance = _prepare(edges, capacities)
    # An arc into a project without places can never carry flow: leave it out.
    usable = np.flatnonzero(instance.project_capacity[instance.project_rank] > 0)
    if usable.size == 0:
        return {}
    app_rank = instance.app_rank[usable]
    project_rank = instance.project_rank[usable]
    scores = instance.scores[usable]

    # Nodes: 0 the source, 1..A the applications, A+1..A+P the projects, A+P+1 the sink.
    # An application or project left without usable arcs stays as an isolated node; harmless.
    n_apps, n_projects = instance.app_ids.size, instance.project_ids.size
    source, sink = 0, n_apps + n_projects + 1
    app_nodes = np.arange(1, n_apps + 1, dtype=np.int32)
    project_nodes = np.arange(n_apps + 1, n_apps + n_projects + 1, dtype=np.int32)

    # Arcs in three blocks, application->project first, so their indices are 0..len(usable)-1.
    tails = np.concatenate(
        [app_nodes[app_rank], np.full(n_apps, source, dtype=np.int32), project_nodes]
    )
    heads = np.concatenate(
        [project_nodes[project_rank], app_nodes, np.full(n_projects, sink, dtype=np.int32)]
    )
    arc_capacity = np.concatenate(
        [
            np.ones(usable.size + n_apps, dtype=np.int64),
            np.minimum(instance.project_capacity, n_apps),  # more places than applicants: moot
        ]
    )
    arc_cost = np.concatenate(
        [scores.max() - scores, np.zeros(n_apps + n_projects, dtype=np.int64)]
    )

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, arc_capacity, arc_cost)
    flow.set_nodes_supplies(
        np.array([source, sink], dtype=np.int32),
        np.array([n_apps, -n_apps], dtype=np.int64),
    )
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise SolverError(
            f"min-cost flow ended with status {status!r} ({usable.size} edges, "
            f"{n_apps} applications, {n_projects} projects, max score {int(scores.max())})"
        )

    chosen = flow.flows(np.arange(usable.size, dtype=np.int32)) > 0
    matched_apps = instance.app_ids[app_rank[chosen]]
    matched_projects = instance.project_ids[project_rank[chosen]]
    return dict(zip(matched_apps.tolist(), matched_projects.tolist(), strict=True))


def solve_greedy(edges: Edges, capacities: Mapping[int, int]) -> dict[int, int]:
    """The baseline: first come, first served.

    Applications in ascending id order (submission order) each take their highest-scoring
    project that still has a free place (ties go to the lower project id). Same input, output
    and conventions as :func:`solve`; it never serves more applications than :func:`solve`
    and often fewer, because an early application may take the only place a later one could
    use.
    """
    instance = _prepare(edges, capacities)
    if instance.keys.size == 0:
        return {}
    # Within an application, best score first; the stable sort keeps project id order on ties
    # because the instance is already sorted by project within each application.
    score_levels, score_rank = np.unique(instance.scores, return_inverse=True)
    order = np.argsort(
        instance.app_rank * score_levels.size + (score_levels.size - 1 - score_rank),
        kind="stable",
    )
    app_rank = instance.app_rank[order]
    project_rank: list[int] = instance.project_rank[order].tolist()
    free: list[int] = instance.project_capacity.tolist()
    starts: list[int] = np.flatnonzero(np.r_[True, app_rank[1:] != app_rank[:-1]]).tolist()
    ends = [*starts[1:], app_rank.size]
    app_ids: list[int] = instance.app_ids.tolist()
    project_ids: list[int] = instance.project_ids.tolist()

    result: dict[int, int] = {}
    # One Python step per application until its first project with a place: places are
    # usually free, so it rarely walks far down an application's list.
    for app, start, end in zip(app_rank[starts].tolist(), starts, ends, strict=True):
        for k in range(start, end):
            project = project_rank[k]
            if free[project] > 0:
                free[project] -= 1
                result[app_ids[app]] = project_ids[project]
                break
    return result


def match_stats(matching: Mapping[int, int], edges: Edges) -> MatchStats:
    """Matched count and total score of ``matching``, scoring each pair as :func:`solve` does.

    A pair's score is the highest score given for it in ``edges``; a pair that is not in
    ``edges`` raises :class:`ValueError` (it could not have come from :func:`solve`).
    """
    if not matching:
        return MatchStats(matched=0, total_score=0)
    instance = _prepare(edges, {})
    pairs = np.array(list(matching.items()), dtype=np.int64)
    found = np.zeros(len(pairs), dtype=bool)
    at = np.zeros(len(pairs), dtype=np.intp)
    if instance.keys.size:
        app_at = np.minimum(
            np.searchsorted(instance.app_ids, pairs[:, 0]), instance.app_ids.size - 1
        )
        project_at = np.minimum(
            np.searchsorted(instance.project_ids, pairs[:, 1]), instance.project_ids.size - 1
        )
        keys = app_at * instance.project_ids.size + project_at
        at = np.minimum(np.searchsorted(instance.keys, keys), instance.keys.size - 1)
        found = (
            (instance.app_ids[app_at] == pairs[:, 0])
            & (instance.project_ids[project_at] == pairs[:, 1])
            & (instance.keys[at] == keys)
        )
    if not found.all():
        missing = tuple(pairs[np.argmin(found)].tolist())
        raise ValueError(f"matching: pair {missing} is not among the edges")
    return MatchStats(matched=len(matching), total_score=int(instance.scores[at].sum()))
