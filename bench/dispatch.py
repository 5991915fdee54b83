"""Dispatch recommendation latency with many units: the vectorised ranking behind "nearest available units".

    .venv/bin/python bench/dispatch.py [--units 10000] [--repeats 2000] [--k 5] [--seed 0]

Builds `--units` synthetic units scattered over Jember (about 3,300 km^2), a tenth of them held back by a
commitment provider (post or TPS team at its minimum), and times `siaga.incidents.ranking.rank_nearest` for random
incidents: great-circle x circuity travel time, the eligibility mask, top-k. No database: the figure is the
computation a dispatcher waits for once the units' positions are loaded (one indexed query in the app).
Prints JSON with p50_ms, p99_ms, max_ms and a check against a brute-force sort.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from siaga.incidents.ranking import haversine_to_point_km, rank_nearest

JEMBER_LAT = (-8.55, -7.95)
JEMBER_LNG = (113.25, 114.05)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=2_000)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    lats = rng.uniform(*JEMBER_LAT, args.units)
    lngs = rng.uniform(*JEMBER_LNG, args.units)
    # A provider's answer arrives as a set of blocked unit ids; the mask is built from it on every call.
    unit_ids = np.arange(args.units)
    blocked = set(rng.choice(unit_ids, size=args.units // 10, replace=False).tolist())
    targets = np.column_stack(
        [rng.uniform(*JEMBER_LAT, args.repeats), rng.uniform(*JEMBER_LNG, args.repeats)]
    )

    timings = []
    mismatches = 0
    for i, (lat, lng) in enumerate(targets):
        started = time.perf_counter()
        eligible = ~np.isin(unit_ids, list(blocked)) if blocked else None
        ranked = rank_nearest(lats, lngs, lat=float(lat), lng=float(lng), eligible=eligible, k=args.k)
        timings.append(time.perf_counter() - started)
        if i % 100 == 0:  # brute-force check on a sample
            km = haversine_to_point_km(lats, lngs, float(lat), float(lng))
            order = [j for j in np.argsort(km) if j not in blocked][: args.k]
            mismatches += [r.index for r in ranked] != order
            assert all(r.index not in blocked for r in ranked)
    ms = np.array(timings) * 1000
    print(
        json.dumps(
            {
                "units": args.units,
                "held_back": len(blocked),
                "repeats": args.repeats,
                "k": args.k,
                "p50_ms": round(float(np.percentile(ms, 50)), 3),
                "p99_ms": round(float(np.percentile(ms, 99)), 3),
                "max_ms": round(float(ms.max()), 3),
                "brute_force_mismatches": mismatches,
                "target_p99_ms": 20,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
