"""Curtois & Qu shift-scheduling benchmark: the Siaga roster solver core on the benchmark's text files.

    .venv/bin/python bench/roster_curtois.py bench/data/roster/Instance1.txt --time-limit 10 --json

Published optima / best known: Instance1 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056,
9: 439, 10: 4631, 11: 3443, 12: 4040. The logic lives in `siaga.optimization.roster.curtois.run_curtois`
so a management command can call it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.optimization.roster.curtois import run_curtois

PUBLISHED = {
    "Instance1": 607, "Instance2": 828, "Instance3": 1001, "Instance4": 1716, "Instance5": 1143,
    "Instance6": 1950, "Instance7": 1056, "Instance9": 439, "Instance10": 4631, "Instance11": 3443,
    "Instance12": 4040,
}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="benchmark files (InstanceN.txt)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print one JSON object per instance")
    args = parser.parse_args(argv)

    for path in args.paths:
        row = run_curtois(path, args.time_limit, seed=args.seed, workers=args.workers)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            best = PUBLISHED.get(str(row["instance"]))
            gap = (
                f"{100 * (row['objective'] - best) / best:.2f} %"  # type: ignore[operator]
                if best and row["objective"] is not None
                else "n/a"
            )
            print(
                f"{row['instance']:<12} {row['status']:<10} objective={row['objective']} "
                f"bound={row['bound']} published={best} gap={gap} seconds={row['seconds']}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
