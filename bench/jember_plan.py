"""Jember-size PAM TPS deployment benchmark, built without Django from siaga/territory/data/jember/.

    .venv/bin/python bench/jember_plan.py --time-limit 60 --workers 2 [--compare-10x] [--replan]

Synthetic but realistic: the 7,706 TPS of Pemilu 2024 are placed around their desa centroids with a seeded
RNG; ~645 officers are spread over the 31 Polsek/Polsubsektor in proportion to their TPS; patterns are
kurang rawan 2 police : 24 TPS and rawan 2 : 2, with 6 TPS of Andongrejo (Kecamatan Tempurejo) rawan.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.optimization.deployment import (
    DeploymentInstance,
    Officer,
    Pattern,
    Polsek,
    Result,
    Tps,
    replan,
    solve,
    validate,
)

DATA = Path(__file__).resolve().parents[1] / "siaga" / "territory" / "data" / "jember"
RAWAN_DESA = "35.09.18.2003"  # Andongrejo, Kecamatan Tempurejo
RAWAN_COUNT = 6
#: Desa TPS scatter (degrees, ~1 km): TPS sit in hamlets around the desa centre.
SCATTER_DEG = 0.009
PATTERNS = (
    Pattern("kurang_rawan", criticality=1, police_per_team=2, tps_per_team=24, linmas_per_tps=2),
    Pattern("rawan", criticality=2, police_per_team=2, tps_per_team=2, linmas_per_tps=2),
    Pattern(
        "sangat_rawan", criticality=3, police_per_team=4, tps_per_team=1, linmas_per_tps=2, tni_per_team=1
    ),
    Pattern("khusus", criticality=4, police_per_team=4, tps_per_team=1, linmas_per_tps=2, tni_per_team=1),
)


def load_polsek() -> dict[str, Polsek]:
    """Kecamatan code -> the Polsek/Polsubsektor holding it (Polres HQ has no TPS of its own)."""
    out: dict[str, Polsek] = {}
    with (DATA / "jember_police_units.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            if row["level"] in {"polsek", "polsubsektor"}:
                out[row["kode_kecamatan"]] = Polsek(
                    id=row["unit"],
                    name=row["unit"],
                    lat=float(row["lat"]),
                    lng=float(row["lng"]),
                    kecamatan_codes=(row["kode_kecamatan"],),
                )
    return out


def load_tps(polsek: dict[str, Polsek], rng: np.random.Generator) -> list[Tps]:
    tps: list[Tps] = []
    with (DATA / "jember_desa.csv").open(newline="") as fh:
        for row in csv.DictReader(fh):
            n = int(row["tps_pemilu2024_total"])
            offsets = rng.normal(0.0, SCATTER_DEG, size=(n, 2))
            for k in range(n):
                rawan = row["kode_desa"] == RAWAN_DESA and k < RAWAN_COUNT
                tps.append(
                    Tps(
                        id=f"{row['kode_desa']}-{k + 1:03d}",
                        lat=float(row["lat"]) + offsets[k, 0],
                        lng=float(row["lng"]) + offsets[k, 1],
                        category="rawan" if rawan else "kurang_rawan",
                        polsek_id=polsek[row["kode_kecamatan"]].id,
                    )
                )
    return tps


def make_officers(
    polsek: list[Polsek], tps: list[Tps], total: int, rng: np.random.Generator
) -> list[Officer]:
    """Officers in proportion to TPS (largest remainder); about 1 in 8 a perwira, at least 2 per Polsek."""
    counts = {p.id: 0 for p in polsek}
    for t in tps:
        counts[t.polsek_id] += 1
    shares = {pid: total * c / len(tps) for pid, c in counts.items()}
    alloc = {pid: int(s) for pid, s in shares.items()}
    for pid in sorted(shares, key=lambda p: shares[p] - alloc[p], reverse=True)[
        : total - sum(alloc.values())
    ]:
        alloc[pid] += 1
    officers: list[Officer] = []
    for pid, n in alloc.items():
        perwira = max(2, round(n / 8))
        for k in range(n):
            is_perwira = k < perwira
            rank = int(rng.integers(7, 10)) if is_perwira else int(rng.integers(1, 7))
            officers.append(
                Officer(id=f"{pid}/{k + 1:03d}", polsek_id=pid, rank_order=rank, is_perwira=is_perwira)
            )
    return officers


def build_instance(*, officers: int, seed: int) -> DeploymentInstance:
    rng = np.random.default_rng(seed)
    by_kecamatan = load_polsek()
    tps = load_tps(by_kecamatan, rng)
    polsek = sorted(by_kecamatan.values(), key=lambda p: p.id)
    return DeploymentInstance(
        polsek=tuple(polsek),
        tps=tuple(tps),
        officers=tuple(make_officers(polsek, tps, officers, rng)),
        patterns=PATTERNS,
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process plus the largest worker (ru_maxrss is in KiB on Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)


def summary(instance: DeploymentInstance, result: Result) -> dict[str, object]:
    return {
        "tps_total": len(instance.tps),
        "tps_covered": len(result.covered_tps_ids),
        "officers_total": len(instance.officers),
        "officers_used": result.officers_used,
        "teams": len(result.teams),
        "padal": len(result.padal),
        "uncovered_tps": sum(1 for s in result.shortfall if s.kind == "uncovered_tps"),
        "first_valid_s": result.first_valid_s,
        "final_s": result.final_s,
        "total_route_km": round(result.total_route_km, 1),
        "max_route_km": round(result.max_route_km, 1),
        "valid": not validate(instance, result.plan),
    }


def remove_officers(instance: DeploymentInstance, share: float, seed: int) -> DeploymentInstance:
    rng = np.random.default_rng(seed + 1)
    ids = [o.id for o in instance.officers]
    gone = set(rng.choice(len(ids), size=round(share * len(ids)), replace=False).tolist())
    officers = tuple(
        dataclasses.replace(o, is_available=i not in gone) for i, o in enumerate(instance.officers)
    )
    return dataclasses.replace(instance, officers=officers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--officers", type=int, default=645)
    parser.add_argument("--compare-10x", action="store_true", help="rerun with 10x time, print km ratio")
    parser.add_argument("--replan", action="store_true", help="remove 5%% of officers and re-plan")
    parser.add_argument("--replan-time-limit", type=float, default=5.0)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    instance = build_instance(officers=args.officers, seed=args.seed)
    build_s = time.perf_counter() - started
    result = solve(instance, time_limit=args.time_limit, seed=args.seed, workers=args.workers)
    out: dict[str, object] = {"time_limit_s": args.time_limit, "build_s": round(build_s, 2)}
    out.update(summary(instance, result))

    if args.replan:
        reduced = remove_officers(instance, 0.05, args.seed)
        removed = sum(1 for o in reduced.officers if not o.is_available)
        again = replan(
            reduced, result.plan, time_limit=args.replan_time_limit, seed=args.seed, workers=args.workers
        )
        others = len(instance.officers) - removed
        previously_assigned = result.officers_used - sum(
            1
            for o in reduced.officers
            if not o.is_available
            and (
                any(o.id in t.officer_ids for t in result.teams)
                or any(o.id == p.officer_id for p in result.padal)
            )
        )
        out["replan"] = {
            "officers_removed": removed,
            "replan_s": again.final_s,
            "changed_officers": again.changed_assignments,
            "changed_pct_of_other_officers": round(100 * again.changed_assignments / others, 2),
            "changed_pct_of_assigned_officers": round(
                100 * again.changed_assignments / previously_assigned, 2
            ),
            "tps_covered": len(again.covered_tps_ids),
            "valid": again.is_feasible(),
        }

    if args.compare_10x:
        long = solve(instance, time_limit=10 * args.time_limit, seed=args.seed, workers=args.workers)
        out["compare_10x"] = {
            "time_limit_s": 10 * args.time_limit,
            "total_route_km": round(long.total_route_km, 1),
            "tps_covered": len(long.covered_tps_ids),
            "route_km_ratio": round(result.total_route_km / long.total_route_km, 4),
        }

    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
