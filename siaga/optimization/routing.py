"""A thin, reusable routing core on top of PyVRP 0.14.

Planners describe a routing problem with plain frozen dataclasses (integer distance matrix, depots, clients
with demand / prize / time window, vehicle types) and get routes back as lists of client indices. Nothing here
knows about TPS, officers or patrols, so the deployment planner (CVRP per Polsek) and the patrol planner
(prize-collecting VRPTW) share it.

The same core runs the public VRPLIB benchmarks (`run_vrplib_benchmark`), so the solver that plans a Polres is
the one measured against best-known solutions.

PyVRP 0.14 notes: locations are added first (`Model.add_location`), depots and clients refer to them; a route
is iterated as scheduled activities (`Route.visits()` is gone), and a client activity's `idx` is the client's
index among clients.
"""

from __future__ import annotations

import csv
import math
import multiprocessing
import statistics
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    # PyVRP and vrplib load in the functions that use them, not when the web server starts (issue 15:
    # restart to healthy <= 5 s; siaga/core/tests/test_startup.py).
    from pyvrp import ProblemData, Solution

#: PyVRP's "no limit" value for time windows, durations and distances.
UNBOUNDED = int(np.iinfo(np.int64).max)


@dataclass(frozen=True, slots=True)
class RoutingDepot:
    """A depot (a station where vehicles start and end). `node` indexes the distance matrix."""

    node: int
    tw_early: int = 0
    tw_late: int = UNBOUNDED


@dataclass(frozen=True, slots=True)
class RoutingClient:
    """A place to visit. Optional clients (`required=False`) are visited only when their prize pays."""

    node: int
    demand: int = 1
    prize: int = 0
    required: bool = True
    service_duration: int = 0
    tw_early: int = 0
    tw_late: int = UNBOUNDED


@dataclass(frozen=True, slots=True)
class RoutingVehicleType:
    """`depot` indexes `RoutingProblem.depots`; vehicles return to `end_depot` (default: the start depot)."""

    num_available: int
    capacity: int
    depot: int = 0
    end_depot: int | None = None
    fixed_cost: int = 0
    tw_early: int = 0
    tw_late: int = UNBOUNDED
    max_distance: int = UNBOUNDED


@dataclass(frozen=True)
class RoutingProblem:
    """Integer distance (and optional duration) matrices over nodes, plus the routing entities."""

    distance: NDArray[np.int64] = field(compare=False)
    depots: tuple[RoutingDepot, ...]
    clients: tuple[RoutingClient, ...]
    vehicle_types: tuple[RoutingVehicleType, ...]
    #: Travel times; defaults to the distance matrix (as in the VRPLIB time-window sets).
    duration: NDArray[np.int64] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class RoutingRoute:
    vehicle_type: int
    clients: tuple[int, ...]  # indices into RoutingProblem.clients, in visiting order
    distance: int
    duration: int


@dataclass(frozen=True, slots=True)
class RoutingSolution:
    routes: tuple[RoutingRoute, ...]
    cost: int  # PyVRP's objective: distance cost + fixed costs + uncollected prizes
    distance: int
    uncollected_prizes: int
    unvisited: tuple[int, ...]  # client indices not on any route
    feasible: bool
    runtime_s: float

    def is_feasible(self) -> bool:
        return self.feasible


def build_data(problem: RoutingProblem) -> ProblemData:
    """Turn a `RoutingProblem` into PyVRP `ProblemData` (matrices set in bulk, not edge by edge)."""
    from pyvrp import Model

    model = Model()
    n_nodes = problem.distance.shape[0]
    locations = [model.add_location(x=0, y=0) for _ in range(n_nodes)]
    depots = [
        model.add_depot(locations[d.node], tw_early=d.tw_early, tw_late=d.tw_late) for d in problem.depots
    ]
    for c in problem.clients:
        model.add_client(
            locations[c.node],
            delivery=c.demand,
            service_duration=c.service_duration,
            tw_early=c.tw_early,
            tw_late=c.tw_late,
            prize=c.prize,
            required=c.required,
        )
    for vt in problem.vehicle_types:
        model.add_vehicle_type(
            num_available=vt.num_available,
            capacity=vt.capacity,
            start_depot=depots[vt.depot],
            end_depot=depots[vt.depot if vt.end_depot is None else vt.end_depot],
            fixed_cost=vt.fixed_cost,
            tw_early=vt.tw_early,
            tw_late=vt.tw_late,
            max_distance=vt.max_distance,
        )
    distance = np.asarray(problem.distance, dtype=np.int64)
    duration = distance if problem.duration is None else np.asarray(problem.duration, dtype=np.int64)
    # Model.add_edge is one Python object per arc; for a few hundred nodes setting the matrices directly is
    # much faster and gives the same ProblemData.
    return model.data().replace(distance_matrices=[distance], duration_matrices=[duration])  # type: ignore[list-item]  # pyvrp's stub says ndarray[int]; it takes any int64 matrix


def solve_routing(
    problem: RoutingProblem,
    *,
    time_limit: float,
    seed: int,
    initial_routes: Sequence[Sequence[int]] | None = None,
) -> RoutingSolution:
    """Solve with PyVRP's iterated local search for `time_limit` seconds; deterministic for a given seed."""
    started = time.perf_counter()
    data = build_data(problem)
    initial = _initial_solution(data, initial_routes)
    import pyvrp
    from pyvrp.stop import MaxRuntime

    result = pyvrp.solve(
        data,
        stop=MaxRuntime(time_limit),
        seed=seed,
        collect_stats=False,
        display=False,
        initial_solution=initial,
    )
    return _to_solution(data, result.best, time.perf_counter() - started)


def _initial_solution(data: ProblemData, routes: Sequence[Sequence[int]] | None) -> Solution | None:
    if not routes:
        return None
    non_empty = [list(r) for r in routes if r]
    if not non_empty:
        return None
    from pyvrp import Solution

    return Solution(data, non_empty)


def _to_solution(data: ProblemData, best: Solution, runtime_s: float) -> RoutingSolution:
    routes = tuple(
        RoutingRoute(
            vehicle_type=r.vehicle_type(),
            clients=tuple(act.idx for act in r if act.is_client()),
            distance=r.distance(),
            duration=r.duration(),
        )
        for r in best.routes()
    )
    visited = {c for r in routes for c in r.clients}
    unvisited = tuple(c for c in range(data.num_clients) if c not in visited)
    cost = best.distance_cost() + best.fixed_vehicle_cost() + best.uncollected_prizes()
    return RoutingSolution(
        routes=routes,
        cost=cost,
        distance=best.distance(),
        uncollected_prizes=best.uncollected_prizes(),
        unvisited=unvisited,
        feasible=best.is_feasible(),
        runtime_s=runtime_s,
    )


# --------------------------------------------------------------------------------------------------------
# VRPLIB benchmarks
# --------------------------------------------------------------------------------------------------------

#: Best-known solutions for instances shipped without a .sol file. Solomon R101 (distance-only objective,
#: 20 routes) as listed in bench/data/PROVENANCE.md; in DIMACS units it is 16377 at SCALE 10.
KNOWN_BKS: dict[str, float] = {"R101.100.20": 1637.7}

INSTANCE_SUFFIXES = (".vrp", ".vrptw")


@dataclass(frozen=True)
class VrplibInstance:
    """A VRPLIB instance converted to the instance's own integer cost convention.

    `scale` divides integer costs back to the published unit (DIMACS SCALE 10 for the LKH-3 time-window
    files; 1 for the X instances, whose convention is Euclidean distance rounded to the nearest integer).
    """

    name: str
    problem: RoutingProblem
    scale: float


def _pairwise_euclidean(coords: NDArray[np.float64]) -> NDArray[np.float64]:
    diff = coords[:, None, :] - coords[None, :, :]
    return np.sqrt((diff**2).sum(axis=-1))


def load_vrplib_instance(path: Path) -> VrplibInstance:
    """Read a CVRP (.vrp) or CVRPTW (.vrp/.vrptw) instance with `vrplib` and apply its rounding convention."""
    import vrplib

    raw = vrplib.read_instance(str(path))
    kind = str(raw.get("type", "CVRP")).upper()
    weight_type = str(raw.get("edge_weight_type", "EUC_2D")).upper()
    scale = float(raw.get("scale", 1))
    prizes = raw.get("prize")
    if kind == "PCVRPTW" or prizes is not None:
        if prizes is None or "TW" not in kind or weight_type != "EUC_2D":
            raise ValueError(
                f"{path.name}: a prize-collecting file needs TYPE PCVRPTW, EUC_2D and a PRIZE_SECTION"
            )
        # The PC-VRPTW set (PyVRP/Instances) publishes its costs in DIMACS units: distances, times and prizes
        # x10 and truncated, cost = distance + prizes of the clients left out, with no division back.
        return _load_pcvrptw(path, raw)
    coords = np.asarray(raw["node_coord"], dtype=float)
    euclid = _pairwise_euclidean(coords) * scale
    if weight_type == "FLOOR_2D":
        # vrplib floors the *unscaled* distance; DIMACS truncates after scaling, so compute it here.
        distance = np.floor(euclid + 1e-9).astype(np.int64)
    elif weight_type == "EUC_2D":
        distance = np.floor(euclid + 0.5).astype(np.int64)  # TSPLIB nint()
    else:
        distance = np.asarray(raw["edge_weight"]).round().astype(np.int64)

    depot_nodes = [int(d) for d in np.atleast_1d(raw["depot"])]
    n = int(raw["dimension"])
    demand = np.asarray(raw.get("demand", np.zeros(n)), dtype=int)
    windows = raw.get("time_window")
    service = raw.get("service_time", 0)
    service_arr = np.broadcast_to(np.asarray(service, dtype=float), (n,))
    has_tw = "TW" in kind and windows is not None

    depots = tuple(
        RoutingDepot(
            node=d,
            tw_early=int(windows[d][0] * scale) if has_tw else 0,
            tw_late=int(windows[d][1] * scale) if has_tw else UNBOUNDED,
        )
        for d in depot_nodes
    )
    clients = tuple(
        RoutingClient(
            node=i,
            demand=int(demand[i]),
            service_duration=round(float(service_arr[i]) * scale) if has_tw else 0,
            tw_early=int(windows[i][0] * scale) if has_tw else 0,
            tw_late=int(windows[i][1] * scale) if has_tw else UNBOUNDED,
        )
        for i in range(n)
        if i not in depot_nodes
    )
    # The X instances have an unlimited fleet; the LKH-3 Solomon files fix it (VEHICLES).
    fleet = int(raw.get("vehicles", len(clients)))
    vehicle = RoutingVehicleType(
        num_available=fleet,
        capacity=int(raw["capacity"]),
        tw_early=depots[0].tw_early,
        tw_late=depots[0].tw_late,
    )
    problem = RoutingProblem(distance=distance, depots=depots, clients=clients, vehicle_types=(vehicle,))
    return VrplibInstance(name=str(raw.get("name", path.stem)), problem=problem, scale=scale)


def _load_pcvrptw(path: Path, raw: dict[str, Any]) -> VrplibInstance:
    """A prize-collecting VRPTW file: clients with a zero prize are required, the others optional."""

    def dimacs(values: Any) -> NDArray[np.int64]:
        return (10 * np.asarray(values, dtype=float)).astype(np.int64)

    n = int(raw["dimension"])
    depot_nodes = [int(d) for d in np.atleast_1d(raw["depot"])]
    distance = dimacs(_pairwise_euclidean(np.asarray(raw["node_coord"], dtype=float)))
    windows = dimacs(raw["time_window"])
    service = dimacs(np.broadcast_to(np.asarray(raw.get("service_time", 0), dtype=float), (n,)))
    prize = dimacs(raw["prize"])
    demand = np.asarray(raw.get("demand", np.zeros(n)), dtype=int)
    depots = tuple(
        RoutingDepot(node=d, tw_early=int(windows[d][0]), tw_late=int(windows[d][1])) for d in depot_nodes
    )
    clients = tuple(
        RoutingClient(
            node=i,
            demand=int(demand[i]),
            prize=int(prize[i]),
            required=bool(prize[i] == 0),
            service_duration=int(service[i]),
            tw_early=int(windows[i][0]),
            tw_late=int(windows[i][1]),
        )
        for i in range(n)
        if i not in depot_nodes
    )
    vehicle = RoutingVehicleType(
        num_available=int(raw.get("vehicles", len(clients))),
        capacity=int(raw["capacity"]),
        tw_early=depots[0].tw_early,
        tw_late=depots[0].tw_late,
    )
    problem = RoutingProblem(distance=distance, depots=depots, clients=clients, vehicle_types=(vehicle,))
    return VrplibInstance(name=str(raw.get("name", path.stem)), problem=problem, scale=1.0)


def find_bks(path: Path) -> float | None:
    """Best-known cost in published units: the .sol beside the instance, a bks_all_*.csv, or KNOWN_BKS."""
    sol = path.with_suffix(".sol")
    if sol.exists():
        import vrplib

        return float(vrplib.read_solution(str(sol))["cost"])
    for table in sorted(path.parent.glob("bks_all_*.csv")):
        with table.open(newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("instance") == path.stem:
                    return float(row["bks_cost"])
    return KNOWN_BKS.get(path.stem)


def iter_instance_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Expand folders into their VRPLIB instance files (sorted), keep files as given."""
    found: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            found.extend(sorted(p for p in entry.iterdir() if p.suffix in INSTANCE_SUFFIXES))
        elif entry.suffix in INSTANCE_SUFFIXES:
            found.append(entry)
    return found


def _solve_seed(task: tuple[Path, float, int]) -> tuple[float, bool]:
    """One seeded run, in its own process when run_vrplib_instance has several workers."""
    path, time_limit, seed = task
    instance = load_vrplib_instance(path)
    sol = solve_routing(instance.problem, time_limit=time_limit, seed=seed)
    return sol.cost / instance.scale, sol.is_feasible()


def run_vrplib_instance(path: Path, *, time_limit: float, seeds: int, workers: int = 1) -> dict[str, object]:
    """Solve one instance once per seed; costs in the instance's published unit, gap % against the BKS.

    `workers` > 1 runs the seeds in that many processes at once (each seed is single-threaded and limited by
    wall-clock time, so give each its own core: workers at most the number of cores).
    """
    bks = find_bks(path)
    tasks = [(Path(path), time_limit, seed) for seed in range(seeds)]
    if workers > 1:
        # spawn, not fork: the caller may be a Django process with open database connections.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_solve_seed, tasks))
    else:
        results = [_solve_seed(task) for task in tasks]
    costs = [cost for cost, _feasible in results]
    feasible = [ok for _cost, ok in results]
    gaps = [100.0 * (c - bks) / bks for c in costs] if bks else []
    return {
        "instance": path.stem,
        "bks": bks,
        "time_limit_s": time_limit,
        "seeds": seeds,
        "costs": [round(c, 3) for c in costs],
        "all_feasible": all(feasible),
        "mean_cost": round(statistics.fmean(costs), 3),
        "median_cost": round(statistics.median(costs), 3),
        "mean_gap_pct": round(statistics.fmean(gaps), 3) if gaps else None,
        "median_gap_pct": round(statistics.median(gaps), 3) if gaps else None,
        "worst_gap_pct": round(max(gaps), 3) if gaps else None,
    }


def run_vrplib_benchmark(
    paths: Iterable[Path | str], *, time_limit: float, seeds: int, workers: int = 1
) -> list[dict[str, object]]:
    """Run `run_vrplib_instance` on every instance found under `paths` (files or folders)."""
    return [
        run_vrplib_instance(p, time_limit=time_limit, seeds=seeds, workers=workers)
        for p in iter_instance_paths(paths)
    ]


def km_to_int_m(km: NDArray[np.float64]) -> NDArray[np.int64]:
    """Kilometre matrix to integer metres: PyVRP works on integers, metres keep rounding error negligible."""
    return np.rint(np.asarray(km, dtype=float) * 1000.0).astype(np.int64)


def gap_pct(cost: float, bks: float) -> float:
    return 100.0 * (cost - bks) / bks if bks else math.nan
