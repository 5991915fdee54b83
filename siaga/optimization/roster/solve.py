"""solve(): the roster by CP-SAT, bounded in time and reproducible; diagnose(): why no roster exists."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from ortools.sat.python import cp_model

from .instance import Assignment, RosterInstance
from .model import DROPPABLE, RosterModel, build_model
from .validate import Rule, Violation, validate


class Status(StrEnum):
    OPTIMAL = "OPTIMAL"  # proven best under the soft goals
    FEASIBLE = "FEASIBLE"  # legal roster, optimality not proven within the time limit
    INFEASIBLE = "INFEASIBLE"  # proven: no roster keeps every hard rule (see Result.diagnosis)
    UNKNOWN = "UNKNOWN"  # the time limit ran out before any roster or proof was found


@dataclass(frozen=True)
class Uncovered:
    """A post-shift that cannot be fully staffed, with the rules that stand in the way."""

    post_id: str
    on: date
    shift_code: str
    required: int
    missing: int
    rules: tuple[Rule, ...]
    reason: str


@dataclass(frozen=True)
class Diagnosis:
    """Why the roster is infeasible, in terms a Kabag Ops can act on."""

    locked_conflicts: tuple[Violation, ...] = ()
    uncovered: tuple[Uncovered, ...] = ()
    # The best roster with gaps: every rule kept, `missing` officers short on the uncovered post-shifts.
    partial_assignment: tuple[Assignment, ...] = ()
    proven: bool = True  # False when the relaxation hit its time limit (the gaps may be fewer)

    def summary(self) -> str:
        lines = [f"locked: {v.message}" for v in self.locked_conflicts]
        lines += [
            f"{u.post_id} {u.shift_code} {u.on.isoformat()}: {u.missing} of {u.required} missing; {u.reason}"
            for u in self.uncovered
        ]
        return "\n".join(lines) or "no reason found"


@dataclass(frozen=True)
class Result:
    """The outcome of solve(): status, objective (lower is better), bound, roster, figures."""

    status: Status
    objective: float | None
    bound: float | None
    assignment: tuple[Assignment, ...]
    seconds: float
    num_variables: int
    num_constraints: int
    objective_parts: dict[str, int] = field(default_factory=dict)
    diagnosis: Diagnosis | None = None

    def is_feasible(self) -> bool:
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)


_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


def _solver(*, time_limit: float, seed: int, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    return solver


def _run(rm: RosterModel, *, time_limit: float, seed: int, workers: int) -> tuple[cp_model.CpSolver, Status]:
    solver = _solver(time_limit=time_limit, seed=seed, workers=workers)
    code = solver.solve(rm.model)
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(f"invalid roster model: {rm.model.validate()}")
    return solver, _STATUS[code]


def solve(
    instance: RosterInstance,
    *,
    time_limit: float,
    seed: int = 0,
    workers: int = 2,
    previous: Iterable[Assignment] = (),
    diagnose_infeasible: bool = True,
) -> Result:
    """The best roster found within time_limit seconds.

    previous: an earlier roster to stay close to (each of its rows dropped costs Weights.change), so a
    re-solve after two officers fall sick moves as few people as possible.
    When the model is infeasible, Result.diagnosis says which post-shifts cannot be covered and why.
    """
    started = time.perf_counter()
    rm = build_model(instance, previous=previous)
    proto = rm.model.proto
    if _locked_conflicts(instance):
        # Locked rows that break a rule make the model infeasible by definition; say so without a search.
        return Result(
            status=Status.INFEASIBLE,
            objective=None,
            bound=None,
            assignment=(),
            seconds=time.perf_counter() - started,
            num_variables=len(proto.variables),
            num_constraints=len(proto.constraints),
            diagnosis=Diagnosis(locked_conflicts=_locked_conflicts(instance)),
        )
    solver, status = _run(rm, time_limit=time_limit, seed=seed, workers=workers)
    feasible = status in (Status.OPTIMAL, Status.FEASIBLE)
    diagnosis = None
    if status == Status.INFEASIBLE and diagnose_infeasible:
        diagnosis = diagnose(instance, time_limit=time_limit, seed=seed, workers=workers)
    return Result(
        status=status,
        objective=solver.objective_value if feasible else None,
        bound=solver.best_objective_bound if feasible else None,
        assignment=rm.assignment(solver) if feasible else (),
        seconds=time.perf_counter() - started,
        num_variables=len(proto.variables),
        num_constraints=len(proto.constraints),
        objective_parts={k: int(solver.value(v)) for k, v in rm.objective_parts.items()} if feasible else {},
        diagnosis=diagnosis,
    )


def diagnose(instance: RosterInstance, *, time_limit: float, seed: int = 0, workers: int = 2) -> Diagnosis:
    """Which post-shifts cannot be covered, and which rule blocks each.

    1. Locked assignments are checked alone: if they already break a rule, no roster can keep them.
    2. Coverage gets a slack per post-shift and the total slack is minimised: the post-shifts left with
       slack are the gaps of the best roster that keeps every other rule.
    3. For each gap, counting explains the simple cases (too few qualified officers, too few free ones);
       otherwise each rule family is dropped in turn, with every gap allowed only to shrink, and the
       families whose removal fills the gap are named, quoting a concrete clash from that roster.
    """
    locked_conflicts = _locked_conflicts(instance)
    if locked_conflicts:
        return Diagnosis(locked_conflicts=locked_conflicts)

    budget = max(time_limit / 2, 1.0)
    rm = build_model(instance, relax_coverage=True)
    solver, status = _run(rm, time_limit=budget, seed=seed, workers=workers)
    if status not in (Status.OPTIMAL, Status.FEASIBLE):
        return Diagnosis(proven=False)
    gaps = {k: int(solver.value(v)) for k, v in rm.slack.items() if solver.value(v) > 0}
    partial = rm.assignment(solver)

    # Which dropped family fills which gap (each gap may only shrink, so the attribution is honest).
    fills: dict[tuple[str, date, str], list[tuple[Rule, tuple[Assignment, ...]]]] = {k: [] for k in gaps}
    if gaps:
        per_family = max(time_limit / (2 * len(DROPPABLE)), 0.5)
        for family in DROPPABLE:
            ablated = build_model(instance, relax_coverage=True, drop=[family])
            for key, slack in ablated.slack.items():
                ablated.model.add(slack <= gaps.get(key, 0))
            for xkey, var in ablated.x.items():
                ablated.model.add_hint(var, solver.value(rm.x[xkey]) if xkey in rm.x else 0)
            s2, st2 = _run(ablated, time_limit=per_family, seed=seed, workers=workers)
            if st2 not in (Status.OPTIMAL, Status.FEASIBLE):
                continue
            roster = ablated.assignment(s2)
            for key in gaps:
                if s2.value(ablated.slack[key]) < gaps[key]:
                    fills[key].append((family, roster))

    uncovered = tuple(
        _explain(instance, key, missing, fills[key])
        for key, missing in sorted(gaps.items(), key=lambda kv: kv[0][1:])
    )
    return Diagnosis(uncovered=uncovered, partial_assignment=partial, proven=status == Status.OPTIMAL)


def _locked_conflicts(instance: RosterInstance) -> tuple[Violation, ...]:
    """Rules the locked assignments break on their own (more than an exact post takes counts too)."""
    own = validate(instance, instance.locked, check_coverage=False)
    over = [v for v in validate(instance, instance.locked) if v.rule == Rule.OVERSTAFFED]
    return tuple(own + over)


def _explain(
    instance: RosterInstance,
    key: tuple[str, date, str],
    missing: int,
    fills: list[tuple[Rule, tuple[Assignment, ...]]],
) -> Uncovered:
    post_id, on, code = key
    post, shift = instance.post(post_id), instance.shift(code)
    need = post.required_on(on, code)
    where = f"{post_id} {shift.label(on)}"

    def gap(rules: tuple[Rule, ...], reason: str) -> Uncovered:
        return Uncovered(post_id, on, code, need, missing, rules, f"{where}: {reason}")

    qualified = [
        o for o in instance.officers if not post.qualification or post.qualification in o.qualifications
    ]
    if len(qualified) < need:
        return gap(
            (Rule.QUALIFICATION,),
            f"not enough qualified officers: {len(qualified)} hold '{post.qualification}', {need} needed",
        )
    on_leave = [o.id for o in qualified if any(u.blocks(on, code) for u in o.unavailable)]
    busy = [
        o.id
        for o in qualified
        if o.id not in on_leave
        and any(shift.starts_at(on) < b.ends_at and b.starts_at < shift.ends_at(on) for b in o.busy)
    ]
    free = len(qualified) - len(on_leave) - len(busy)
    if free < need:
        rules = tuple(r for r, ids in ((Rule.UNAVAILABLE, on_leave), (Rule.BUSY, busy)) if ids)
        names = ", ".join([f"{i} (leave)" for i in on_leave] + [f"{i} (busy)" for i in busy])
        return gap(
            rules, f"only {free} of {len(qualified)} qualified officers are free, {need} needed: {names}"
        )

    if not fills:
        return gap(
            (),
            "the rules together (one shift a day, rest, weekly hours) leave no free officer; "
            "more officers are needed",
        )
    rules = tuple(r for r, _ in fills)
    clauses = []
    for rule, roster in fills:
        clauses.append(_clause(instance, key, rule, roster))
    return gap(rules, "; ".join(clauses))


_PLAIN = {
    Rule.QUALIFICATION: "not enough qualified officers",
    Rule.UNAVAILABLE: "unavailability (leave)",
    Rule.BUSY: "officers busy in another plan",
    Rule.ONE_SHIFT_PER_DAY: "one shift per officer per day",
    Rule.REST: "rest rule",
    Rule.WEEKLY_HOURS: "weekly hours",
}


def _clause(
    instance: RosterInstance, key: tuple[str, date, str], rule: Rule, roster: tuple[Assignment, ...]
) -> str:
    """'rest rule: less than 13 h rest between ...', quoting the clash in the roster that fills the gap."""
    _post_id, on, code = key
    at_gap = {a.officer_id for a in roster if (a.post_id, a.on, a.shift_code) == key}
    breaks = [v for v in validate(instance, roster, check_coverage=False) if v.rule == rule]
    # Prefer the clash at the gap itself, then one by an officer who fills it, then any: the relaxed roster
    # may fill the gap by moving someone else into the rule-breaking row.
    label = instance.shift(code).label(on)
    examples = (
        [
            v
            for v in breaks
            if v.officer_id in at_gap and (label in v.message or (v.on, v.shift_code) == (on, code))
        ]
        or [v for v in breaks if v.officer_id in at_gap]
        or breaks
    )
    detail = f" ({examples[0].message})" if examples else ""
    return f"blocked by {_PLAIN[rule]}{detail}"
