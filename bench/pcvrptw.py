"""Routing core of the patrol planner on the prize-collecting VRPTW benchmark RC2_10_1 (1,000 clients).

Patrol routes are a prize-collecting VRP with time windows (sampled points required, others optional with
prizes); this runs the same solver, PyVRP 0.14, on the Gehring-Homberger based PC-VRPTW instance and
compares with the best-known solution (BKS).

Convention (bench/README.md): DIMACS rounding, distances x10 and truncated; cost = distance + prizes of the
unvisited clients, in those x10 units. The BKS .sol is re-evaluated here under the same rounding, so the
gap is in the instance's own units. Output: JSON.

    .venv/bin/python bench/pcvrptw.py --time-limit 60 --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
from itertools import accumulate
from pathlib import Path

import pyvrp
from pyvrp.stop import MaxRuntime

#: The instance ships with the repository (bench/data/PROVENANCE.md).
DATA = Path(__file__).resolve().parent / "data" / "pcvrptw"


def bks_cost(instance: str, folder: Path) -> int:
    with (folder / "bks_all_PCVRPTW.csv").open() as handle:
        for row in csv.DictReader(handle):
            if row["instance"] == instance:
                return int(row["bks_cost"])
    raise KeyError(instance)


def run(instance: str, folder: Path, time_limit: float, seeds: list[int]) -> dict[str, object]:
    data = pyvrp.read(str(folder / f"{instance}.vrp"), round_func="dimacs")
    bks = bks_cost(instance, folder)
    reference = pyvrp.read_solution(str(folder / f"{instance}.sol"), data)
    evaluator = pyvrp.CostEvaluator([0], 0, 0)
    runs = []
    for seed in seeds:
        result = pyvrp.solve(data, stop=MaxRuntime(time_limit), seed=seed, collect_stats=True, display=False)
        cost = result.cost()
        elapsed = list(accumulate(result.stats.runtimes))
        to_one_percent = next(
            (
                t
                for t, datum in zip(elapsed, result.stats.data, strict=False)
                if datum.best_feas and datum.best_cost <= 1.01 * bks
            ),
            None,
        )
        runs.append(
            {
                "seed": seed,
                "cost": cost,
                "feasible": result.is_feasible(),
                "gap_percent": round(100 * (cost - bks) / bks, 3),
                "distance": result.best.distance(),
                "uncollected_prizes": result.best.uncollected_prizes(),
                "clients_visited": result.best.num_clients(),
                "routes": result.best.num_routes(),
                "seconds_to_1_percent": None if to_one_percent is None else round(to_one_percent, 1),
                "iterations": result.num_iterations,
            }
        )
    gaps = [r["gap_percent"] for r in runs]
    return {
        "instance": instance,
        "clients": data.num_clients,
        "vehicles": data.num_vehicles,
        "rounding": "dimacs (x10, truncated)",
        "bks": bks,
        "bks_solution_reevaluated": evaluator.cost(reference),
        "time_limit_seconds": time_limit,
        "pyvrp": "0.14",
        "runs": runs,
        "gap_percent_mean": round(statistics.mean(gaps), 3),
        "gap_percent_median": round(statistics.median(gaps), 3),
        "gap_percent_worst": max(gaps),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--instance", default="RC2_10_1")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(1, 11)))
    args = parser.parse_args()
    print(json.dumps(run(args.instance, args.data, args.time_limit, args.seeds), indent=2))


if __name__ == "__main__":
    main()
