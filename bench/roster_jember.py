"""Jember-like guard roster: KPU Jember, Bawaslu Jember, the KPU logistics warehouse and a CCTV seat.

    .venv/bin/python bench/roster_jember.py --time-limit 30 --seed 0

30 days ending on voting day (Pemilu, Wednesday 14 Feb 2024), three 8-hour shifts, 60 officers.
Requirements per shift rise at H-5 (9 Feb), when logistics leave the warehouse: KPU 2 -> 4, Bawaslu 2 -> 3,
warehouse 2 -> 4 (armed, "senpi"); the CCTV seat always has exactly one qualified watcher. Some officers
have leave, ten are in the voting-day PAM TPS plan. The script then makes two CCTV watchers sick for
three days and re-solves close to the first roster. It prints size, time, objective and status.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from siaga.optimization.roster import (
    BusyPeriod,
    Officer,
    Post,
    RequirementPeriod,
    RosterInstance,
    ShiftRequest,
    Unavailability,
    make_unavailable,
    solve,
    three_eight_hour_shifts,
    validate,
)

VOTING_DAY = date(2024, 2, 14)
H_MINUS_5 = VOTING_DAY - timedelta(days=5)


def jember_instance(*, seed: int = 0, n_officers: int = 60) -> RosterInstance:
    rng = random.Random(seed)
    horizon = tuple(VOTING_DAY - timedelta(days=29 - i) for i in range(30))
    posts = (
        Post("KPU_JEMBER", 2, name="Kantor KPU Jember", periods=(RequirementPeriod(H_MINUS_5, 4),)),
        Post("BAWASLU_JEMBER", 2, name="Kantor Bawaslu Jember", periods=(RequirementPeriod(H_MINUS_5, 3),)),
        Post("GUDANG_KPU", 2, name="Gudang logistik KPU", qualification="senpi",
             periods=(RequirementPeriod(H_MINUS_5, 4),)),
        Post("CCTV", 1, name="Kursi CCTV Command Center", exact=True, qualification="cctv"),
    )  # fmt: skip
    officers = []
    for i in range(n_officers):
        quals = set()
        if i < 12:
            quals.add("cctv")
        if i % 2 == 1:
            quals.add("senpi")
        leave: tuple[Unavailability, ...] = ()
        if i % 7 == 3:  # one officer in seven takes three days of leave before H-5
            start = horizon[rng.randrange(0, 18)]
            leave = tuple(Unavailability(start + timedelta(days=k), reason="cuti") for k in range(3))
        busy: tuple[BusyPeriod, ...] = ()
        if 40 <= i < 50:  # in the PAM TPS plan on voting day
            busy = (BusyPeriod(datetime(2024, 2, 14, 6), datetime(2024, 2, 14, 20), reason="PAM TPS"),)
        requests = tuple(
            ShiftRequest(horizon[rng.randrange(30)], wants_to_work=False, weight=2) for _ in range(i % 3)
        )
        officers.append(
            Officer(
                f"P{i:02d}", qualifications=frozenset(quals), unavailable=leave, busy=busy, requests=requests
            )
        )
    return RosterInstance(
        horizon=horizon, shifts=three_eight_hour_shifts(), posts=posts, officers=tuple(officers)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    instance = jember_instance(seed=args.seed)
    built = time.perf_counter() - started
    demand = sum(
        p.required_on(d, s.code) for p in instance.posts for d in instance.horizon for s in instance.shifts
    )
    print(
        f"instance: {len(instance.officers)} officers, {len(instance.posts)} posts, "
        f"{len(instance.horizon)} days x {len(instance.shifts)} shifts, {demand} officer-shifts required "
        f"(built in {built:.2f} s)"
    )
    result = solve(instance, time_limit=args.time_limit, seed=args.seed, workers=args.workers)
    print(
        f"solve: {result.status} objective={result.objective} bound={result.bound} "
        f"variables={result.num_variables} constraints={result.num_constraints} seconds={result.seconds:.2f}"
    )
    print(
        f"  objective parts: {result.objective_parts}; rows={len(result.assignment)}; "
        f"validate() violations={len(validate(instance, result.assignment))}"
    )

    sick_days = [VOTING_DAY - timedelta(days=k) for k in (3, 2, 1)]
    sick = make_unavailable(instance, officer_ids=["P00", "P01"], dates=sick_days)
    again = solve(
        sick, time_limit=args.time_limit, seed=args.seed, workers=args.workers, previous=result.assignment
    )
    moved = len(set(result.assignment) - set(again.assignment))
    forced = sum(a.officer_id in {"P00", "P01"} and a.on in sick_days for a in result.assignment)
    print(
        f"re-solve, P00 and P01 sick 11-13 Feb: {again.status} objective={again.objective} "
        f"seconds={again.seconds:.2f} rows changed={moved} (forced by the sick officers: {forced}) "
        f"violations={len(validate(sick, again.assignment))}"
    )
    if again.diagnosis is not None:
        print("\n".join(again.diagnosis.summary().splitlines()[:10]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
