"""Routing core: small instances whose optimum can be checked by hand."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from siaga.optimization.routing import (
    RoutingClient,
    RoutingDepot,
    RoutingProblem,
    RoutingVehicleType,
    find_bks,
    load_vrplib_instance,
    run_vrplib_benchmark,
    solve_routing,
)


def line_matrix(points: list[float]) -> np.ndarray:
    """Distances between points on a line: |a - b|."""
    p = np.asarray(points, dtype=float)
    return np.abs(p[:, None] - p[None, :]).astype(np.int64)


def problem(
    points: list[float],
    *,
    vehicles: int,
    capacity: int,
    clients: tuple[RoutingClient, ...] | None = None,
) -> RoutingProblem:
    return RoutingProblem(
        distance=line_matrix(points),
        depots=(RoutingDepot(node=0),),
        clients=clients or tuple(RoutingClient(node=i) for i in range(1, len(points))),
        vehicle_types=(RoutingVehicleType(num_available=vehicles, capacity=capacity),),
    )


def test_capacity_splits_clients_by_side_of_the_depot() -> None:
    # Depot at 0, clients at +10, +20, -10, -20, capacity 2: one route per side, 40 + 40.
    sol = solve_routing(problem([0, 10, 20, -10, -20], vehicles=2, capacity=2), time_limit=0.5, seed=1)
    assert sol.is_feasible()
    assert sol.distance == 80
    assert sorted(sorted(r.clients) for r in sol.routes) == [[0, 1], [2, 3]]
    assert sol.unvisited == ()


def test_routes_respect_capacity() -> None:
    sol = solve_routing(problem([0, 1, 2, 3, 4, 5], vehicles=5, capacity=2), time_limit=0.3, seed=0)
    assert all(len(r.clients) <= 2 for r in sol.routes)
    assert sorted(c for r in sol.routes for c in r.clients) == [0, 1, 2, 3, 4]


def test_optional_client_is_skipped_when_its_prize_does_not_pay_the_detour() -> None:
    clients = (
        RoutingClient(node=1, prize=100, required=False),  # at 10: detour 20 < 100, visited
        RoutingClient(node=2, prize=50, required=False),  # at 1000: detour 2000 > 50, skipped
    )
    sol = solve_routing(
        problem([0, 10, 1000], vehicles=1, capacity=5, clients=clients), time_limit=0.3, seed=0
    )
    assert [r.clients for r in sol.routes] == [(0,)]
    assert sol.unvisited == (1,)
    assert sol.uncollected_prizes == 50


def test_optional_clients_fill_the_fleet_when_capacity_is_short() -> None:
    clients = tuple(RoutingClient(node=i, prize=10_000, required=False) for i in range(1, 5))
    sol = solve_routing(
        problem([0, 1, 2, 3, 50], vehicles=1, capacity=3, clients=clients), time_limit=0.3, seed=0
    )
    # Three fit; the one left out is the far one at 50.
    assert sorted(c for r in sol.routes for c in r.clients) == [0, 1, 2]
    assert sol.unvisited == (3,)


def test_time_windows_force_the_visiting_order() -> None:
    # A at -5 and B at +5: the distance is the same either way round, but B closes at t=6 and A opens at
    # t=20, so only B-then-A is on time.
    clients = (
        RoutingClient(node=1, tw_early=20, tw_late=40),  # A at -5
        RoutingClient(node=2, tw_early=0, tw_late=6),  # B at +5
    )
    sol = solve_routing(problem([0, -5, 5], vehicles=1, capacity=5, clients=clients), time_limit=0.3, seed=0)
    assert sol.is_feasible()
    assert [r.clients for r in sol.routes] == [(1, 0)]


def test_warm_start_is_accepted_and_never_worse() -> None:
    p = problem([0, 10, 20, -10, -20], vehicles=2, capacity=2)
    sol = solve_routing(p, time_limit=0.2, seed=3, initial_routes=[[0, 2], [1, 3]])
    assert sol.distance == 80


def write_cvrp(tmp_path: Path) -> Path:
    # Depot (0,0); clients (3,4) and (0,1.6): distances 5 and 1.6 -> nint 2; (3,4)-(0,1.6) = 3.84 -> 4.
    text = """NAME : tiny
TYPE : CVRP
DIMENSION : 3
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 0 0
2 3 4
3 0 1.6
DEMAND_SECTION
1 0
2 1
3 1
DEPOT_SECTION
1
-1
EOF
"""
    path = tmp_path / "tiny.vrp"
    path.write_text(text)
    (tmp_path / "tiny.sol").write_text("Route #1: 1 2\nCost 10\n")
    return path


def test_vrplib_cvrp_uses_rounded_euclidean_and_reports_gap(tmp_path: Path) -> None:
    path = write_cvrp(tmp_path)
    instance = load_vrplib_instance(path)
    assert instance.problem.distance[0, 1] == 5
    assert instance.problem.distance[0, 2] == 2
    assert instance.problem.distance[1, 2] == 4
    assert find_bks(path) == 10
    [row] = run_vrplib_benchmark([tmp_path], time_limit=0.2, seeds=2)
    # Best tour 0-1-2-0 = 5 + 4 + 2 = 11 in rounded units: 10 % above the (made-up) BKS of 10.
    assert row["mean_cost"] == 11
    assert row["mean_gap_pct"] == pytest.approx(10.0)
    assert row["worst_gap_pct"] == pytest.approx(10.0)


def test_vrplib_seeds_run_in_parallel_processes_with_the_same_results(tmp_path: Path) -> None:
    path = write_cvrp(tmp_path)
    [serial] = run_vrplib_benchmark([path], time_limit=0.2, seeds=3)
    [parallel] = run_vrplib_benchmark([path], time_limit=0.2, seeds=3, workers=2)
    assert parallel["costs"] == serial["costs"] == [11, 11, 11]
    assert parallel["all_feasible"] is True and parallel["seeds"] == 3


def test_vrplib_dimacs_scale_truncates_after_scaling(tmp_path: Path) -> None:
    text = """NAME : tw
TYPE : CVRPTW
DIMENSION : 2
VEHICLES : 1
CAPACITY : 10
SERVICE_TIME : 10
SCALE : 10
EDGE_WEIGHT_TYPE : FLOOR_2D
NODE_COORD_SECTION
1 0 0
2 1 1
DEMAND_SECTION
1 0
2 1
TIME_WINDOW_SECTION
1 0 100
2 5 50
DEPOT_SECTION
1
-1
EOF
"""
    path = tmp_path / "tw.vrptw"
    path.write_text(text)
    instance = load_vrplib_instance(path)
    assert instance.scale == 10
    assert instance.problem.distance[0, 1] == 14  # floor(10 * sqrt 2)
    client = instance.problem.clients[0]
    assert (client.tw_early, client.tw_late, client.service_duration) == (50, 500, 100)
    [row] = run_vrplib_benchmark([path], time_limit=0.1, seeds=1)
    assert row["mean_cost"] == pytest.approx(2.8)  # 28 units / SCALE


def write_pcvrptw(tmp_path: Path, *, type_line: str = "TYPE : PCVRPTW") -> Path:
    # Depot (0,0); A at (1,0) with no prize (required); B at (100,0) with prize 5, optional. DIMACS units (x10):
    # serving A costs 10 + 10 = 20; fetching B would cost 2000 more to collect 50, so the best cost is
    # 20 + 50 (B's prize, uncollected) = 70.
    text = f"""NAME : pc
{type_line}
DIMENSION : 3
VEHICLES : 2
CAPACITY : 10
SERVICE_TIME : 1
EDGE_WEIGHT_TYPE : EUC_2D
NODE_COORD_SECTION
1 0 0
2 1 0
3 100 0
DEMAND_SECTION
1 0
2 1
3 1
TIME_WINDOW_SECTION
1 0 1000
2 0 1000
3 0 1000
PRIZE_SECTION
1 0
2 0
3 5
DEPOT_SECTION
1
-1
EOF
"""
    path = tmp_path / "pc.vrp"
    path.write_text(text)
    (tmp_path / "pc.sol").write_text("Route #1: 1\nCost: 70\n")
    return path


def test_vrplib_pcvrptw_cost_counts_the_prizes_left_out_in_dimacs_units(tmp_path: Path) -> None:
    path = write_pcvrptw(tmp_path)
    instance = load_vrplib_instance(path)
    required = {c.node: (c.required, c.prize) for c in instance.problem.clients}
    assert required == {1: (True, 0), 2: (False, 50)}
    assert instance.problem.distance[0, 2] == 1000  # x10, truncated
    [row] = run_vrplib_benchmark([path], time_limit=0.2, seeds=1)
    # Before: prizes ignored, B forced onto a route and the cost read in the wrong unit, a meaningless gap.
    assert row["bks"] == 70
    assert row["costs"] == [70]
    assert row["mean_gap_pct"] == 0


def test_vrplib_refuses_a_prize_file_it_cannot_score(tmp_path: Path) -> None:
    path = write_pcvrptw(tmp_path, type_line="TYPE : CVRP")
    with pytest.raises(ValueError, match="PCVRPTW"):
        load_vrplib_instance(path)


def test_bench_cli_prints_one_json_object_per_instance(tmp_path: Path) -> None:
    write_cvrp(tmp_path)
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run(
        [
            sys.executable,
            str(root / "bench" / "routing.py"),
            str(tmp_path),
            "--time-limit",
            "0.1",
            "--seeds",
            "1",
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    rows = [json.loads(line) for line in out]
    assert [r["instance"] for r in rows] == ["tiny"]
    assert {"instance", "bks", "mean_cost", "mean_gap_pct", "median_gap_pct", "worst_gap_pct"} <= rows[
        0
    ].keys()


def test_solver_package_never_imports_django() -> None:
    code = (
        "import sys, siaga.optimization.routing, siaga.optimization.deployment; "
        "sys.exit(1 if 'django' in sys.modules else 0)"
    )
    root = Path(__file__).resolve().parents[3]
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
