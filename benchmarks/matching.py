"""Benchmark of the matching engine's solver on synthetic district-years, without Django.

Run ``python -m benchmarks.matching`` (one district-year the size of the model district:
10,389 applications, 347 projects) or ``python -m benchmarks.matching --districts 25`` (a
city: every district is matched separately, as the worker does, and the totals reported). It
prints one JSON object: for the OR-Tools solver (:func:`matching.solver.solve`) and the
first-come-first-served baseline (:func:`matching.solver.solve_greedy`) the matched count,
total score and seconds, and the largest possible matched count computed by an independent
exact method (``scipy.sparse.csgraph.maximum_flow``), with a flag saying whether the solver
reached it.

The synthetic district is shaped like the model one: five areas, sixteen neighbourhoods,
projects that serve some neighbourhoods or the whole district and some target groups or
anyone; an application is eligible for the projects of its need areas that serve its
neighbourhood (or the whole district) and its groups. Places add up to less than the
applications, so some demand stays unserved, as in the district's first year (89% connected).

With ``--end-to-end`` the report's ``"end_to_end"`` key also holds the run through
PostgreSQL (seed the rows, read them, solve and write the proposals, one ``match_run_execute``
per district) measured by :func:`benchmarks.matching_e2e.end_to_end` in a database of its own,
``welfare_net_bench``; without it the key is ``null``. This module itself stays free of
Django (matching_e2e sets Django up only when called), so the solver's figures can be
measured on their own.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from matching.solver import Edge, match_stats, solve, solve_greedy

AREAS = 5
NEIGHBOURHOODS = 16
GROUPS = 10  # the target groups eligibility rules name (see the domain notes)
PLACES_PER_APPLICATION = 0.9  # total places / applications: some demand is unserved
END_TO_END_NOTE = (
    "Not measured in this run: add --end-to-end for the PostgreSQL run (read applications and "
    "projects, solve, write proposals), from benchmarks/matching_e2e.py."
)


@dataclass(frozen=True)
class District:
    """One synthetic district-year: eligible pairs with scores, and free places per project."""

    edges: npt.NDArray[np.int64]  # (n, 3): application_id, project_id, score
    capacities: dict[int, int]
    applications: int
    projects: int


def synthetic_district(
    *, applications: int, projects: int, seed: int, id_offset: int = 0
) -> District:
    """A district-year with eligibility-like sparsity (about 30 to 80 projects per application).

    Application ids start at ``id_offset * 10**7`` and project ids at ``id_offset * 10**5`` so
    that districts of one city never share an id.
    """
    rng = np.random.default_rng(seed)

    # Projects: an area, the neighbourhoods served (or the whole district), target groups.
    project_area = rng.choice(AREAS, size=projects, p=[0.14, 0.22, 0.2, 0.24, 0.2])
    whole_district = rng.random(projects) < 0.3
    served = np.zeros((projects, NEIGHBOURHOODS), dtype=bool)
    for p in np.flatnonzero(~whole_district):
        k = int(rng.integers(1, 6))
        served[p, rng.choice(NEIGHBOURHOODS, size=k, replace=False)] = True
    served[whole_district] = True
    open_to_anyone = rng.random(projects) < 0.4
    project_groups = rng.random((projects, GROUPS)) < 0.3
    project_groups[open_to_anyone] = True

    # Places: skewed sizes adding up to a little less than the applications.
    weights = rng.lognormal(mean=0.0, sigma=0.8, size=projects)
    places = rng.multinomial(round(applications * PLACES_PER_APPLICATION), weights / weights.sum())

    # Applications: a neighbourhood, a primary need area (demand weighted unlike supply, so
    # some areas run short), maybe more need areas, and one to three target groups.
    neighbourhood = rng.choice(
        NEIGHBOURHOODS, size=applications, p=rng.dirichlet(np.full(NEIGHBOURHOODS, 8.0))
    )
    primary = rng.choice(AREAS, size=applications, p=[0.1, 0.2, 0.2, 0.3, 0.2])
    needs = rng.random((applications, AREAS)) < 0.35
    needs[np.arange(applications), primary] = True
    groups = np.zeros((applications, GROUPS), dtype=bool)
    for extra in range(3):
        chosen = rng.integers(0, GROUPS, size=applications)
        keep = np.ones(applications, dtype=bool) if extra == 0 else rng.random(applications) < 0.5
        groups[np.flatnonzero(keep), chosen[keep]] = True

    area_ok = needs[:, project_area]
    place_ok = served[:, neighbourhood].T
    group_ok = (groups.astype(np.int32) @ project_groups.T.astype(np.int32)) > 0
    app_index, project_index = np.nonzero(area_ok & place_ok & group_ok)

    # Score 0..100: the primary need, a local project and a targeted one fit better.
    score = (
        np.where(project_area[project_index] == primary[app_index], 55, 30)
        + np.where(whole_district[project_index], 0, 20)
        + np.where(open_to_anyone[project_index], 0, 10)
        + rng.integers(0, 16, size=app_index.size)
    )
    edges = np.column_stack(
        [
            app_index + id_offset * 10**7 + 1,
            project_index + id_offset * 10**5 + 1,
            np.minimum(score, 100),
        ]
    ).astype(np.int64)
    capacities = {int(p) + id_offset * 10**5 + 1: int(c) for p, c in enumerate(places.tolist())}
    return District(
        edges=edges, capacities=capacities, applications=applications, projects=projects
    )


def exact_max_matched(district: District) -> int:
    """The largest matched count, by scipy's max flow on source -> application -> project -> sink.

    Independent of OR-Tools: a different library and a plain maximum flow, no costs.
    """
    edges = district.edges
    app_ids, app_index = np.unique(edges[:, 0], return_inverse=True)
    project_ids, project_index = np.unique(edges[:, 1], return_inverse=True)
    n_apps, n_projects = app_ids.size, project_ids.size
    source, sink = 0, n_apps + n_projects + 1
    capacity = np.array([district.capacities.get(int(p), 0) for p in project_ids])
    rows = np.concatenate(
        [np.zeros(n_apps), app_index + 1, np.arange(n_projects) + n_apps + 1]
    ).astype(np.int32)
    cols = np.concatenate(
        [np.arange(n_apps) + 1, project_index + n_apps + 1, np.full(n_projects, sink)]
    ).astype(np.int32)
    data = np.concatenate([np.ones(n_apps + edges.shape[0]), capacity]).astype(np.int32)
    graph = csr_matrix((data, (rows, cols)), shape=(sink + 1, sink + 1))
    return int(maximum_flow(graph, source, sink).flow_value)


def _timed(
    method: Callable[[Sequence[Edge], dict[int, int]], dict[int, int]],
    edges: list[Edge],
    capacities: dict[int, int],
) -> tuple[dict[int, int], float, float]:
    """The result, wall-clock seconds and CPU seconds (steadier on a shared machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = method(edges, capacities)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run(*, applications: int, projects: int, districts: int, seed: int) -> dict[str, Any]:
    """Build, solve and check every district; the report as a JSON-ready dict."""
    totals: dict[str, dict[str, float]] = {
        name: {
            "matched": 0,
            "total_score": 0,
            "seconds": 0.0,
            "cpu_seconds": 0.0,
            "max_district_seconds": 0.0,
        }
        for name in ("solver", "greedy")
    }
    n_edges = n_places = exact = 0
    exact_seconds = 0.0
    all_equal = True
    for district_number in range(districts):
        district = synthetic_district(
            applications=applications,
            projects=projects,
            seed=seed + district_number,
            id_offset=district_number,
        )
        # The solver is timed on the contract's input, a list of tuples, as the worker will
        # pass it, so the conversion to arrays is part of the measured time.
        edges: list[Edge] = [(a, p, s) for a, p, s in district.edges.tolist()]
        n_edges += len(edges)
        n_places += sum(district.capacities.values())
        matched_here = 0
        for name, method in (("solver", solve), ("greedy", solve_greedy)):
            matching, seconds, cpu_seconds = _timed(method, edges, district.capacities)
            stats = match_stats(matching, district.edges)
            total = totals[name]
            total["matched"] += stats.matched
            total["total_score"] += stats.total_score
            total["seconds"] += seconds
            total["cpu_seconds"] += cpu_seconds
            total["max_district_seconds"] = max(total["max_district_seconds"], seconds)
            if name == "solver":
                matched_here = stats.matched
        started = time.perf_counter()
        exact_here = exact_max_matched(district)
        exact_seconds += time.perf_counter() - started
        exact += exact_here
        all_equal = all_equal and matched_here == exact_here

    def rounded(total: dict[str, float]) -> dict[str, Any]:
        return {
            "matched": int(total["matched"]),
            "total_score": int(total["total_score"]),
            "seconds": round(total["seconds"], 3),
            "cpu_seconds": round(total["cpu_seconds"], 3),
            "max_district_seconds": round(total["max_district_seconds"], 3),
        }

    total_applications = applications * districts
    return {
        "benchmark": "matching",
        "parameters": {
            "applications": applications,
            "projects": projects,
            "districts": districts,
            "seed": seed,
        },
        "instance": {
            "applications": total_applications,
            "projects": projects * districts,
            "edges": n_edges,
            "edges_per_application": round(n_edges / max(total_applications, 1), 1),
            "places": n_places,
        },
        "solver": rounded(totals["solver"]),
        "greedy": rounded(totals["greedy"]),
        "exact_max_matched": exact,
        "exact_method": "scipy.sparse.csgraph.maximum_flow, per district",
        "exact_seconds": round(exact_seconds, 3),
        "solver_matched_equals_exact_max": all_equal,
        "end_to_end": None,
        "end_to_end_note": END_TO_END_NOTE,
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.matching", description=__doc__)
    parser.add_argument("--applications", type=int, default=10_389, help="per district")
    parser.add_argument("--projects", type=int, default=347, help="per district")
    parser.add_argument("--districts", type=int, default=1, help="each matched separately")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--end-to-end",
        action="store_true",
        help="also time match runs through PostgreSQL (welfare_net_bench, district-years)",
    )
    args = parser.parse_args(argv)
    report = run(
        applications=args.applications,
        projects=args.projects,
        districts=args.districts,
        seed=args.seed,
    )
    if args.end_to_end:
        from benchmarks.matching_e2e import end_to_end

        report["end_to_end"] = end_to_end(districts=args.districts, seed=args.seed)
        report["end_to_end_note"] = (
            "district-years of 10,389 applications and 347 projects in PostgreSQL "
            "(welfare_net_bench); seconds include reading, solving and writing the proposals"
        )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
