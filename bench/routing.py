"""Routing benchmark: the Siaga routing core on VRPLIB instances, one JSON object per instance line.

    .venv/bin/python bench/routing.py bench/data/cvrp bench/data/vrptw \
        --time-limit 60 --seeds 10 --json

The logic lives in `siaga.optimization.routing.run_vrplib_benchmark` so a management command can call it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.optimization.routing import iter_instance_paths, run_vrplib_instance


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="VRPLIB files or folders (.vrp/.vrptw, .sol beside them)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--seeds", type=int, default=10, help="runs per instance, seeds 0..N-1")
    parser.add_argument(
        "--workers", type=int, default=1, help="seeds run at once, one process each (at most the cores)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON lines (default: a table)")
    args = parser.parse_args(argv)

    for path in iter_instance_paths(args.paths):
        row = run_vrplib_instance(path, time_limit=args.time_limit, seeds=args.seeds, workers=args.workers)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(
                f"{row['instance']:<16} bks={row['bks']} mean={row['mean_cost']} "
                f"gap mean={row['mean_gap_pct']}% median={row['median_gap_pct']}% "
                f"worst={row['worst_gap_pct']}%",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
