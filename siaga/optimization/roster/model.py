"""The CP-SAT model of the roster. Each hard rule and soft goal is one small function.

Variables: x[officer, date, shift, post] = 1 when the officer guards the post that shift. They exist only
where the officer may work at all (qualified, not on leave, not busy), so most rules never see an illegal
pair. works[officer, date, shift] = sum over posts of x; an officer is never at two posts at once.

`drop` removes a family of rules; the diagnosis uses it to find which rule keeps a post-shift uncovered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ortools.sat.python import cp_model

from .instance import Assignment, Officer, Post, RosterInstance, ShiftType
from .validate import Rule

Slot = tuple[date, str]  # (date, shift code)
Key = tuple[str, date, str, str]  # (officer, date, shift code, post)
PostShift = tuple[str, date, str]  # (post, date, shift code)

# The rule families the diagnosis may drop one at a time.
DROPPABLE = (
    Rule.QUALIFICATION,
    Rule.UNAVAILABLE,
    Rule.BUSY,
    Rule.ONE_SHIFT_PER_DAY,
    Rule.REST,
    Rule.WEEKLY_HOURS,
)


@dataclass
class RosterModel:
    """A built CP-SAT model with handles on its variables."""

    instance: RosterInstance
    model: cp_model.CpModel
    x: dict[Key, cp_model.IntVar]
    works: dict[tuple[str, date, str], cp_model.IntVar]
    slack: dict[PostShift, cp_model.IntVar] = field(default_factory=dict)  # officers missing (diagnosis)
    surplus: dict[PostShift, cp_model.IntVar] = field(default_factory=dict)  # officers above an at-least need
    objective_parts: dict[str, cp_model.LinearExprT] = field(default_factory=dict)

    def assignment(self, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
        return tuple(
            sorted(Assignment(o, d, s, p) for (o, d, s, p), var in self.x.items() if solver.value(var))
        )


def is_unavailable(officer: Officer, on: date, shift: ShiftType) -> bool:
    return any(u.blocks(on, shift.code) for u in officer.unavailable)


def busy_overlaps(officer: Officer, on: date, shift: ShiftType) -> bool:
    start, end = shift.starts_at(on), shift.ends_at(on)
    return any(start < b.ends_at and b.starts_at < end for b in officer.busy)


def too_close_to_busy(officer: Officer, on: date, shift: ShiftType, rest: timedelta) -> bool:
    """The shift leaves less than the minimum rest before or after a busy period that counts as duty."""
    start, end = shift.starts_at(on), shift.ends_at(on)
    return any(b.needs_rest and start < b.ends_at + rest and b.starts_at < end + rest for b in officer.busy)


def may_work(
    instance: RosterInstance, officer: Officer, post: Post, on: date, shift: ShiftType, drop: frozenset[Rule]
) -> bool:
    """Static eligibility: the rules that concern one officer and one slot alone."""
    if (
        Rule.QUALIFICATION not in drop
        and post.qualification
        and post.qualification not in officer.qualifications
    ):
        return False
    if Rule.UNAVAILABLE not in drop and is_unavailable(officer, on, shift):
        return False
    if Rule.BUSY not in drop and busy_overlaps(officer, on, shift):
        return False
    rest = timedelta(minutes=instance.rules.min_rest_minutes)
    return Rule.REST in drop or not too_close_to_busy(officer, on, shift, rest)


def build_model(
    instance: RosterInstance,
    *,
    relax_coverage: bool = False,
    drop: Iterable[Rule] = (),
    previous: Iterable[Assignment] = (),
) -> RosterModel:
    """The roster model. relax_coverage adds a slack per post-shift and minimises the total slack instead."""
    dropped = frozenset(drop)
    model = cp_model.CpModel()
    x: dict[Key, cp_model.IntVar] = {}
    locked = set(instance.locked)
    for officer in instance.officers:
        for post in instance.posts:
            for on in instance.horizon:
                for shift in instance.shifts:
                    key = (officer.id, on, shift.code, post.id)
                    # Locked rows always get a variable: if one breaks a static rule the model is infeasible
                    # and the diagnosis reports the conflict instead of silently dropping the lock.
                    if Assignment(*key) in locked or may_work(instance, officer, post, on, shift, dropped):
                        x[key] = model.new_bool_var(f"x_{officer.id}_{on:%m%d}_{shift.code}_{post.id}")
    works = add_works(model, x)
    rm = RosterModel(instance, model, x, works)
    add_locked(rm)
    add_coverage(rm, relax=relax_coverage)
    if Rule.ONE_SHIFT_PER_DAY not in dropped and instance.rules.one_shift_per_day:
        add_one_shift_per_day(rm)
    if Rule.REST not in dropped:
        add_rest(rm)
    if Rule.WEEKLY_HOURS not in dropped:
        add_weekly_hours(rm)
    if relax_coverage:
        model.minimize(sum(rm.slack.values()))
    else:
        add_objective(rm, previous=list(previous))
    return rm


def add_works(
    model: cp_model.CpModel, x: dict[Key, cp_model.IntVar]
) -> dict[tuple[str, date, str], cp_model.IntVar]:
    """works = 1 when the officer is on any post that shift; at most one post at a time (one body)."""
    by_slot: dict[tuple[str, date, str], list[cp_model.IntVar]] = defaultdict(list)
    for (o, d, s, _p), var in x.items():
        by_slot[(o, d, s)].append(var)
    works = {}
    for key, vars_ in by_slot.items():
        w = model.new_bool_var(f"w_{key[0]}_{key[1]:%m%d}_{key[2]}")
        model.add(w == sum(vars_))
        works[key] = w
    return works


def add_locked(rm: RosterModel) -> None:
    """Assignments already announced stay as they are."""
    for a in rm.instance.locked:
        rm.model.add(rm.x[(a.officer_id, a.on, a.shift_code, a.post_id)] == 1)


def add_coverage(rm: RosterModel, *, relax: bool) -> None:
    """Each post-shift gets its officers: exactly for exact posts (CCTV seat), at least for the others."""
    by_post_shift: dict[PostShift, list[cp_model.IntVar]] = defaultdict(list)
    for (_o, d, s, p), var in rm.x.items():
        by_post_shift[(p, d, s)].append(var)
    for post in rm.instance.posts:
        for on in rm.instance.horizon:
            for shift in rm.instance.shifts:
                need = post.required_on(on, shift.code)
                staffed: cp_model.LinearExpr = cp_model.LinearExpr.sum(
                    by_post_shift[(post.id, on, shift.code)]
                )
                if relax:
                    slack = rm.model.new_int_var(0, need, f"under_{post.id}_{on:%m%d}_{shift.code}")
                    rm.slack[(post.id, on, shift.code)] = slack
                    staffed = staffed + slack
                if post.exact:
                    rm.model.add(staffed == need)
                else:
                    # staffed = need + surplus with surplus >= 0, rather than staffed >= need: CP-SAT turns
                    # "sum >= 1" into a clause its default LP leaves out, and then cannot bound the surplus.
                    extra = rm.model.new_int_var(
                        0, len(rm.instance.officers), f"over_{post.id}_{on:%m%d}_{shift.code}"
                    )
                    rm.surplus[(post.id, on, shift.code)] = extra
                    rm.model.add(staffed == need + extra)


def add_one_shift_per_day(rm: RosterModel) -> None:
    by_day: dict[tuple[str, date], list[cp_model.IntVar]] = defaultdict(list)
    for (o, d, _s), w in rm.works.items():
        by_day[(o, d)].append(w)
    for vars_ in by_day.values():
        if len(vars_) > 1:
            rm.model.add_at_most_one(vars_)


def rest_cliques(instance: RosterInstance) -> list[list[Slot]]:
    """Groups of slots of which an officer may work at most one because of the minimum rest.

    Two shifts clash when the second starts before the first ends plus the rest. Stretching each shift by
    the rest makes clashes interval overlaps, and the shifts stretched over one start time form a clique:
    one at-most-one per start time covers every clashing pair and is a stronger model than pairs.
    """
    rest = timedelta(minutes=instance.rules.min_rest_minutes)
    spans: list[tuple[datetime, datetime, Slot]] = [
        (s.starts_at(d), s.ends_at(d) + rest, (d, s.code)) for d in instance.horizon for s in instance.shifts
    ]
    cliques: list[frozenset[Slot]] = []
    for t, _end, _slot in spans:
        clique = frozenset(slot for start, end, slot in spans if start <= t < end)
        if len(clique) > 1:
            cliques.append(clique)
    maximal = [c for c in set(cliques) if not any(c < other for other in cliques)]
    return sorted((sorted(c) for c in maximal), key=lambda c: c[0])


def add_rest(rm: RosterModel) -> None:
    """At least min_rest hours between the end of a shift and the start of the officer's next one."""
    for clique in rest_cliques(rm.instance):
        for officer in rm.instance.officers:
            vars_ = [rm.works[(officer.id, d, s)] for d, s in clique if (officer.id, d, s) in rm.works]
            if len(vars_) > 1:
                rm.model.add_at_most_one(vars_)


def add_weekly_hours(rm: RosterModel) -> None:
    """Hours per rolling 7 days (or calendar week), counted on shift start dates, stay under the cap."""
    instance = rm.instance
    for officer in instance.officers:
        cap = instance.max_week_minutes(officer)
        for week in instance.weeks():
            terms = [
                instance.shift(s).duration_minutes * rm.works[(officer.id, d, s)]
                for d in week
                for s in (sh.code for sh in instance.shifts)
                if (officer.id, d, s) in rm.works
            ]
            if terms:
                rm.model.add(sum(terms) <= cap)


def _spread(
    rm: RosterModel, name: str, counts: Mapping[str, cp_model.LinearExprT], floor_ids: set[str]
) -> cp_model.IntVar:
    """max - min of the counts; only officers in floor_ids pull the minimum (see add_objective)."""
    top = len(rm.instance.horizon) * len(rm.instance.shifts)
    hi = rm.model.new_int_var(0, top, f"{name}_max")
    lo = rm.model.new_int_var(0, top, f"{name}_min")
    for officer_id, count in counts.items():
        rm.model.add(hi >= count)
        if officer_id in floor_ids:
            rm.model.add(lo <= count)
    if not floor_ids:
        rm.model.add(lo == 0)
    # Redundant but decisive for the proof: the maximum is at least the average and the minimum at most
    # the average. Without these the bound stays at 0 and even 4 officers over 4 days never prove optimal.
    rm.model.add(len(counts) * hi >= sum(counts.values()))
    if floor_ids:
        rm.model.add(len(floor_ids) * lo <= sum(counts[i] for i in floor_ids))
    spread = rm.model.new_int_var(0, top, f"{name}_spread")
    rm.model.add(spread == hi - lo)
    return spread


def add_objective(rm: RosterModel, *, previous: list[Assignment]) -> None:
    """Fair nights and weekends, honoured requests, no idle surplus, and stability when re-solving.

    Fairness is max - min over officers; officers with leave in the horizon are left out of the minimum,
    otherwise one officer on two weeks' leave would pin the minimum at zero and hide an unfair roster.
    """
    instance, weights = rm.instance, rm.instance.weights
    night_codes = {s.code for s in instance.shifts if s.is_night}
    full_time = {o.id for o in instance.officers if not any(u.shift_code is None for u in o.unavailable)}
    nights = {
        o.id: sum(w for (oid, _d, s), w in rm.works.items() if oid == o.id and s in night_codes)
        for o in instance.officers
    }
    weekends = {
        o.id: sum(w for (oid, d, _s), w in rm.works.items() if oid == o.id and d.weekday() >= 5)
        for o in instance.officers
    }
    parts: dict[str, cp_model.LinearExprT] = {}
    if night_codes:
        parts["night_spread"] = weights.night_spread * _spread(rm, "night", nights, full_time)
    if any(d.weekday() >= 5 for d in instance.horizon):
        parts["weekend_spread"] = weights.weekend_spread * _spread(rm, "weekend", weekends, full_time)
    parts["requests"] = _request_penalties(rm)
    parts["surplus"] = weights.surplus * sum(rm.surplus.values())
    dropped = [
        1 - rm.x[(a.officer_id, a.on, a.shift_code, a.post_id)]
        for a in previous
        if (a.officer_id, a.on, a.shift_code, a.post_id) in rm.x
    ]
    parts["changes"] = weights.change * sum(dropped) + weights.change * (len(previous) - len(dropped))
    previous_keys = {(a.officer_id, a.on, a.shift_code, a.post_id) for a in previous}
    if previous_keys:
        for key, var in rm.x.items():
            rm.model.add_hint(var, key in previous_keys)
    rm.objective_parts = parts
    rm.model.minimize(sum(parts.values()))


def _request_penalties(rm: RosterModel) -> cp_model.LinearExprT:
    """Weight of every request not honoured: a shift (or a whole date) wanted on or off."""
    terms: list[cp_model.LinearExprT] = []
    for officer in rm.instance.officers:
        for r in officer.requests:
            codes = [r.shift_code] if r.shift_code else [s.code for s in rm.instance.shifts]
            ws = [rm.works[(officer.id, r.on, c)] for c in codes if (officer.id, r.on, c) in rm.works]
            if not ws:
                worked: cp_model.LinearExprT = 0
            elif len(ws) == 1:
                worked = ws[0]
            else:
                day = rm.model.new_bool_var(f"day_{officer.id}_{r.on:%m%d}")
                rm.model.add_max_equality(day, ws)
                worked = day
            terms.append(r.weight * (1 - worked) if r.wants_to_work else r.weight * worked)
    return sum(terms)
