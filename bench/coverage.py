"""Patrol coverage benchmark: ORIGAMI speed, agreement with the exact MILP, and sampling accuracy.

    .venv/bin/python bench/coverage.py --points 200 --resources 40 --seed 1 --json
    .venv/bin/python bench/coverage.py --sweep --json

The logic lives in siaga.optimization.patrols.bench so a Django management command can call it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.optimization.patrols.bench import run_coverage_bench, run_coverage_sweep


@contextlib.contextmanager
def native_stdout_to_stderr() -> Iterator[None]:
    """HiGHS (inside scipy's milp) prints debug lines on the C-level stdout; keep them out of the JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--resources", type=float, default=None, help="default: points / 5")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sweep", action="store_true", help="time ORIGAMI on 10^3 .. 10^6 points")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args()
    with native_stdout_to_stderr():
        if args.sweep:
            figures = run_coverage_sweep(seed=args.seed)
        else:
            figures = run_coverage_bench(args.points, args.resources, args.seed)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
