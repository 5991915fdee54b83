"""The Curtois & Qu employee shift-scheduling benchmark: reader, exact CP-SAT model, independent scorer.

The format (schedulingbenchmarks.org, "Computational results on new staff scheduling benchmark
instances", Curtois & Qu 2014) has sections SECTION_HORIZON, SECTION_SHIFTS, SECTION_STAFF,
SECTION_DAYS_OFF, SECTION_SHIFT_ON_REQUESTS, SECTION_SHIFT_OFF_REQUESTS and SECTION_COVER. Hard rules: one
shift a day; forbidden successions (shift u the day after shift t); max shifts per type; min and max total
minutes; max and min consecutive working days; min consecutive days off; max weekends worked; fixed days
off. Soft: shift-on and shift-off requests and cover under/over, each with its weight. As the benchmark
defines, min-consecutive rules do not apply to runs touching either end of the horizon (the days before
and after are unknown). Horizons start on a Monday, so days 5 and 6 of each week are the weekend.

This sits next to the Siaga roster because the same solver core must reach the published optima.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ortools.sat.python import cp_model

CurtoisRoster = dict[tuple[str, int], str]  # (staff id, day) -> shift id; days off are absent


@dataclass(frozen=True)
class CurtoisShift:
    id: str
    minutes: int
    cannot_follow: frozenset[str]  # shifts that may not be worked the day after this one


@dataclass(frozen=True)
class CurtoisStaff:
    id: str
    max_shifts: dict[str, int]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int


@dataclass(frozen=True)
class CurtoisRequest:
    staff_id: str
    day: int
    shift_id: str
    weight: int


@dataclass(frozen=True)
class CurtoisCover:
    day: int
    shift_id: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class CurtoisInstance:
    name: str
    horizon: int
    shifts: tuple[CurtoisShift, ...]
    staff: tuple[CurtoisStaff, ...]
    days_off: dict[str, frozenset[int]]
    on_requests: tuple[CurtoisRequest, ...]
    off_requests: tuple[CurtoisRequest, ...]
    cover: tuple[CurtoisCover, ...]

    def weekends(self) -> list[tuple[int, ...]]:
        """Saturday-Sunday pairs (cut by the horizon's end) as day indexes."""
        return [tuple(d for d in (sat, sat + 1) if d < self.horizon) for sat in range(5, self.horizon, 7)]


def _sections(text: str) -> Iterator[tuple[str, list[list[str]]]]:
    name = ""
    rows: list[list[str]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("SECTION_"):
            if name:
                yield name, rows
            name, rows = line, []
        else:
            rows.append([cell.strip() for cell in line.split(",")])
    if name:
        yield name, rows


def read_curtois(path: str | Path) -> CurtoisInstance:
    """Parse a benchmark file (any of Instance1..24)."""
    path = Path(path)
    parts: dict[str, list[list[str]]] = dict(_sections(path.read_text()))

    def requests(section: str) -> tuple[CurtoisRequest, ...]:
        return tuple(CurtoisRequest(r[0], int(r[1]), r[2], int(r[3])) for r in parts.get(section, []))

    days_off: dict[str, set[int]] = {}
    for row in parts.get("SECTION_DAYS_OFF", []):
        days_off.setdefault(row[0], set()).update(int(d) for d in row[1:] if d)
    return CurtoisInstance(
        name=path.stem,
        horizon=int(parts["SECTION_HORIZON"][0][0]),
        shifts=tuple(
            CurtoisShift(r[0], int(r[1]), frozenset(s for s in (r[2] if len(r) > 2 else "").split("|") if s))
            for r in parts["SECTION_SHIFTS"]
        ),
        staff=tuple(
            CurtoisStaff(
                id=r[0],
                max_shifts={k: int(v) for k, v in (kv.split("=") for kv in r[1].split("|") if kv)},
                max_total_minutes=int(r[2]),
                min_total_minutes=int(r[3]),
                max_consecutive_shifts=int(r[4]),
                min_consecutive_shifts=int(r[5]),
                min_consecutive_days_off=int(r[6]),
                max_weekends=int(r[7]),
            )
            for r in parts["SECTION_STAFF"]
        ),
        days_off={k: frozenset(v) for k, v in days_off.items()},
        on_requests=requests("SECTION_SHIFT_ON_REQUESTS"),
        off_requests=requests("SECTION_SHIFT_OFF_REQUESTS"),
        cover=tuple(
            CurtoisCover(int(r[0]), r[1], int(r[2]), int(r[3]), int(r[4])) for r in parts["SECTION_COVER"]
        ),
    )


def short_runs(horizon: int, min_length: int) -> Iterator[tuple[int, int]]:
    """(start, length) of every run shorter than min_length that lies strictly inside the horizon.

    A run touching day 0 or the last day is exempt: the benchmark does not know the days beyond.
    """
    for length in range(1, min_length):
        for start in range(1, horizon - length):
            yield start, length


@dataclass(frozen=True)
class CurtoisResult:
    instance: str
    status: str
    objective: int | None
    bound: float | None
    seconds: float
    roster: CurtoisRoster


def solve_curtois(
    instance: CurtoisInstance, *, time_limit: float, seed: int = 0, workers: int = 2
) -> CurtoisResult:
    """The benchmark's model, solved by CP-SAT (exact: OPTIMAL means the published optimum or better)."""
    started = time.perf_counter()
    m = cp_model.CpModel()
    days = range(instance.horizon)
    x = {
        (e.id, d, t.id): m.new_bool_var(f"x_{e.id}_{d}_{t.id}")
        for e in instance.staff
        for d in days
        for t in instance.shifts
    }
    work: dict[tuple[str, int], cp_model.LinearExprT] = {}
    for e in instance.staff:
        for d in days:
            day_vars = [x[(e.id, d, t.id)] for t in instance.shifts]
            m.add_at_most_one(day_vars)
            work[(e.id, d)] = sum(day_vars)
    for e in instance.staff:
        _staff_rules(m, instance, e, x, work)
    penalties: list[cp_model.LinearExprT] = []
    penalties += [r.weight * (1 - x[(r.staff_id, r.day, r.shift_id)]) for r in instance.on_requests]
    penalties += [r.weight * x[(r.staff_id, r.day, r.shift_id)] for r in instance.off_requests]
    for c in instance.cover:
        staffed = sum(x[(e.id, c.day, c.shift_id)] for e in instance.staff)
        under = m.new_int_var(0, c.requirement, f"under_{c.day}_{c.shift_id}")
        over = m.new_int_var(0, len(instance.staff), f"over_{c.day}_{c.shift_id}")
        m.add(staffed - c.requirement == over - under)
        penalties += [c.under_weight * under, c.over_weight * over]
    m.minimize(sum(penalties))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    code = solver.solve(m)
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    roster = {(e, d): t for (e, d, t), var in x.items() if found and solver.value(var)}
    return CurtoisResult(
        instance=instance.name,
        status=solver.status_name(code),
        objective=round(solver.objective_value) if found else None,
        bound=solver.best_objective_bound if found else None,
        seconds=time.perf_counter() - started,
        roster=roster,
    )


def _staff_rules(
    m: cp_model.CpModel,
    inst: CurtoisInstance,
    e: CurtoisStaff,
    x: dict[tuple[str, int, str], cp_model.IntVar],
    work: dict[tuple[str, int], cp_model.LinearExprT],
) -> None:
    """The hard rules of one member of staff."""
    h = inst.horizon
    for d in inst.days_off.get(e.id, frozenset()):
        m.add(work[(e.id, d)] == 0)
    for t in inst.shifts:
        m.add(sum(x[(e.id, d, t.id)] for d in range(h)) <= e.max_shifts.get(t.id, h))
        for u in t.cannot_follow:
            for d in range(h - 1):
                m.add_bool_or([x[(e.id, d, t.id)].Not(), x[(e.id, d + 1, u)].Not()])
    minutes = sum(t.minutes * x[(e.id, d, t.id)] for d in range(h) for t in inst.shifts)
    m.add(minutes <= e.max_total_minutes)
    m.add(minutes >= e.min_total_minutes)
    window = e.max_consecutive_shifts + 1
    for start in range(h - window + 1):
        m.add(sum(work[(e.id, d)] for d in range(start, start + window)) <= e.max_consecutive_shifts)
    on = [m.new_bool_var(f"on_{e.id}_{d}") for d in range(h)]
    for d in range(h):
        m.add(on[d] == work[(e.id, d)])
    # A short run of work [s, s+L) is forbidden when bounded by days off on both sides, and vice versa.
    for s, length in short_runs(h, e.min_consecutive_shifts):
        m.add_bool_or([on[s - 1], *[on[d].Not() for d in range(s, s + length)], on[s + length]])
    for s, length in short_runs(h, e.min_consecutive_days_off):
        m.add_bool_or([on[s - 1].Not(), *[on[d] for d in range(s, s + length)], on[s + length].Not()])
    weekend_worked = []
    for w, wdays in enumerate(inst.weekends()):
        b = m.new_bool_var(f"we_{e.id}_{w}")
        m.add_max_equality(b, [on[d] for d in wdays])
        weekend_worked.append(b)
    m.add(sum(weekend_worked) <= e.max_weekends)


def evaluate_curtois(inst: CurtoisInstance, roster: CurtoisRoster) -> tuple[int, list[str]]:
    """The penalty of a roster and its hard-rule violations, computed without the solver."""
    h, errors = inst.horizon, []
    shift = {t.id: t for t in inst.shifts}
    for e in inst.staff:
        worked = [(e.id, d) in roster for d in range(h)]
        errors += [f"{e.id} works day off {d}" for d in inst.days_off.get(e.id, ()) if worked[d]]
        for t in inst.shifts:
            n = sum(roster.get((e.id, d)) == t.id for d in range(h))
            if n > e.max_shifts.get(t.id, h):
                errors.append(f"{e.id} works {n} {t.id} shifts")
        for d in range(h - 1):
            a, b = roster.get((e.id, d)), roster.get((e.id, d + 1))
            if a and b and b in shift[a].cannot_follow:
                errors.append(f"{e.id}: {b} may not follow {a} (day {d})")
        minutes = sum(shift[roster[(e.id, d)]].minutes for d in range(h) if worked[d])
        if not e.min_total_minutes <= minutes <= e.max_total_minutes:
            errors.append(f"{e.id} works {minutes} minutes")
        for value, name, lo, hi in (
            (True, "work", e.min_consecutive_shifts, e.max_consecutive_shifts),
            (False, "off", e.min_consecutive_days_off, h),
        ):
            d = 0
            while d < h:
                if worked[d] != value:
                    d += 1
                    continue
                end = d
                while end < h and worked[end] == value:
                    end += 1
                length = end - d
                inner = d > 0 and end < h
                if length > hi or (inner and length < lo):
                    errors.append(f"{e.id}: {name} run of {length} from day {d}")
                d = end
        weekends = sum(any(worked[d] for d in wd) for wd in inst.weekends())
        if weekends > e.max_weekends:
            errors.append(f"{e.id} works {weekends} weekends")
    penalty = sum(r.weight for r in inst.on_requests if roster.get((r.staff_id, r.day)) != r.shift_id)
    penalty += sum(r.weight for r in inst.off_requests if roster.get((r.staff_id, r.day)) == r.shift_id)
    for c in inst.cover:
        n = sum(roster.get((e.id, c.day)) == c.shift_id for e in inst.staff)
        penalty += c.under_weight * max(0, c.requirement - n) + c.over_weight * max(0, n - c.requirement)
    return penalty, errors


def run_curtois(path: str | Path, time_limit: float, *, seed: int = 0, workers: int = 2) -> dict[str, object]:
    """Read, solve and report one instance: {"instance", "objective", "status", "seconds", "bound"}."""
    result = solve_curtois(read_curtois(path), time_limit=time_limit, seed=seed, workers=workers)
    return {
        "instance": result.instance,
        "objective": result.objective,
        "status": result.status,
        "seconds": round(result.seconds, 3),
        "bound": result.bound,
    }
