"""The matching benchmark, run small: its report, its synthetic district, its exact check."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.matching import exact_max_matched, main, synthetic_district
from matching.solver import solve


def test_the_report_is_one_json_object_with_the_solver_at_the_exact_maximum(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["--applications", "400", "--projects", "30", "--districts", "2", "--seed", "7"])
    report = json.loads(capsys.readouterr().out)

    assert report["instance"]["applications"] == 800
    assert report["instance"]["projects"] == 60
    assert report["solver"]["matched"] == report["exact_max_matched"]
    assert report["solver_matched_equals_exact_max"] is True
    greedy, solver = report["greedy"], report["solver"]
    assert (greedy["matched"], greedy["total_score"]) <= (solver["matched"], solver["total_score"])
    assert report["end_to_end"] is None


def test_a_synthetic_district_is_sparse_and_short_of_places() -> None:
    district = synthetic_district(applications=2_000, projects=347, seed=3)
    edges = district.edges
    per_application = np.bincount(edges[:, 0] - 1, minlength=2_000)

    assert 30 <= per_application.mean() <= 80
    assert edges[:, 2].min() >= 0
    assert edges[:, 2].max() <= 100
    assert sum(district.capacities.values()) < district.applications


def test_districts_of_one_city_share_no_ids() -> None:
    first = synthetic_district(applications=50, projects=10, seed=1, id_offset=0)
    second = synthetic_district(applications=50, projects=10, seed=1, id_offset=1)

    assert not set(first.edges[:, 0]) & set(second.edges[:, 0])
    assert not set(first.capacities) & set(second.capacities)


def test_the_exact_maximum_agrees_with_the_solver_on_a_small_district() -> None:
    district = synthetic_district(applications=300, projects=20, seed=11)
    assert exact_max_matched(district) == len(solve(district.edges, district.capacities))
