"""An independent check of every hard rule of a roster, in plain Python (no CP-SAT).

The solver's model and this module are written separately on purpose: a roster that passes `validate()` is
legal whatever the model got wrong, and a roster edited by hand on the board is checked by the same code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from .instance import Assignment, RosterInstance


class Rule(StrEnum):
    """The hard rules, as codes the UI can translate."""

    COVERAGE = "coverage"  # fewer officers than the post needs
    OVERSTAFFED = "overstaffed"  # more officers than an exact post (CCTV seat) takes
    ONE_SHIFT_PER_DAY = "one_shift_per_day"
    REST = "rest"
    WEEKLY_HOURS = "weekly_hours"
    UNAVAILABLE = "unavailable"
    BUSY = "busy"
    QUALIFICATION = "qualification"
    LOCKED = "locked"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown"  # an officer, post, shift or date that is not in the instance


@dataclass(frozen=True)
class Violation:
    """One broken hard rule, with a sentence a Kabag Ops can read."""

    rule: Rule
    message: str
    officer_id: str | None = None
    post_id: str | None = None
    on: date | None = None
    shift_code: str | None = None


def _hours(minutes: float) -> str:
    return f"{minutes / 60:g} h"


def validate(
    instance: RosterInstance, assignment: Iterable[Assignment], *, check_coverage: bool = True
) -> list[Violation]:
    """Every hard-rule violation of the assignment; empty means the roster is legal.

    check_coverage=False checks only the officers' rules (used on the locked assignments alone).
    """
    rows = list(assignment)
    violations = _check_known(instance, rows)
    known = [a for a in rows if _is_known(instance, a)]
    violations += _check_duplicates(known)
    known = sorted(set(known))
    if check_coverage:
        violations += check_coverage_rule(instance, known)
    violations += check_locked(instance, known)
    violations += check_qualifications(instance, known)
    violations += check_unavailability(instance, known)
    violations += check_busy(instance, known)
    violations += check_one_shift_per_day(instance, known)
    violations += check_rest(instance, known)
    violations += check_weekly_hours(instance, known)
    return violations


def _is_known(instance: RosterInstance, a: Assignment) -> bool:
    shift_codes = {s.code for s in instance.shifts}
    return (
        a.officer_id in {o.id for o in instance.officers}
        and a.post_id in {p.id for p in instance.posts}
        and a.shift_code in shift_codes
        and a.on in set(instance.horizon)
    )


def _check_known(instance: RosterInstance, rows: list[Assignment]) -> list[Violation]:
    return [
        Violation(
            Rule.UNKNOWN, f"{a} refers to an officer, post, shift or date outside the roster", a.officer_id
        )
        for a in rows
        if not _is_known(instance, a)
    ]


def _check_duplicates(rows: list[Assignment]) -> list[Violation]:
    return [
        Violation(
            Rule.DUPLICATE,
            f"{a.officer_id} is listed {n} times on {a.post_id} {a.shift_code} {a.on}",
            a.officer_id,
            a.post_id,
            a.on,
            a.shift_code,
        )
        for a, n in Counter(rows).items()
        if n > 1
    ]


def check_coverage_rule(instance: RosterInstance, rows: list[Assignment]) -> list[Violation]:
    """Each post-shift has its required officers: at least for guard posts, exactly for exact posts."""
    counts = Counter((a.post_id, a.on, a.shift_code) for a in rows)
    out = []
    for post in instance.posts:
        for on in instance.horizon:
            for shift in instance.shifts:
                need = post.required_on(on, shift.code)
                have = counts[(post.id, on, shift.code)]
                where = f"{post.id} {shift.label(on)}"
                if have < need:
                    out.append(
                        Violation(
                            Rule.COVERAGE,
                            f"{where} has {have} of {need} officers",
                            None,
                            post.id,
                            on,
                            shift.code,
                        )
                    )
                elif post.exact and have > need:
                    out.append(
                        Violation(
                            Rule.OVERSTAFFED,
                            f"{where} takes exactly {need}, has {have}",
                            None,
                            post.id,
                            on,
                            shift.code,
                        )
                    )
    return out


def check_locked(instance: RosterInstance, rows: list[Assignment]) -> list[Violation]:
    """Locked assignments (already announced in the Sprin) stay in the roster."""
    present = set(rows)
    return [
        Violation(
            Rule.LOCKED,
            f"locked assignment {a.officer_id} on {a.post_id} "
            f"{instance.shift(a.shift_code).label(a.on)} is missing",
            a.officer_id,
            a.post_id,
            a.on,
            a.shift_code,
        )
        for a in instance.locked
        if a not in present
    ]


def check_qualifications(instance: RosterInstance, rows: list[Assignment]) -> list[Violation]:
    out = []
    for a in rows:
        need = instance.post(a.post_id).qualification
        if need is not None and need not in instance.officer(a.officer_id).qualifications:
            out.append(
                Violation(
                    Rule.QUALIFICATION,
                    f"{a.officer_id} lacks qualification '{need}' for {a.post_id}",
                    a.officer_id,
                    a.post_id,
                    a.on,
                    a.shift_code,
                )
            )
    return out


def check_unavailability(instance: RosterInstance, rows: list[Assignment]) -> list[Violation]:
    out = []
    for a in rows:
        for u in instance.officer(a.officer_id).unavailable:
            if u.blocks(a.on, a.shift_code):
                out.append(
                    Violation(
                        Rule.UNAVAILABLE,
                        f"{a.officer_id} is unavailable ({u.reason}) for "
                        f"{instance.shift(a.shift_code).label(a.on)}",
                        a.officer_id,
                        a.post_id,
                        a.on,
                        a.shift_code,
                    )
                )
                break
    return out


def check_busy(instance: RosterInstance, rows: list[Assignment]) -> list[Violation]:
    """A shift may not overlap time already given to another plan (the rest around it is check_rest's)."""
    out = []
    for a in rows:
        shift = instance.shift(a.shift_code)
        start, end = shift.starts_at(a.on), shift.ends_at(a.on)
        for b in instance.officer(a.officer_id).busy:
            if start < b.ends_at and b.starts_at < end:
                out.append(
                    Violation(
                        Rule.BUSY,
                        f"{a.officer_id} is busy ({b.reason}, {b.starts_at:%d %b %H:%M}-"
                        f"{b.ends_at:%d %b %H:%M}) during {shift.label(a.on)}",
                        a.officer_id,
                        a.post_id,
                        a.on,
                        a.shift_code,
                    )
                )
    return out


def check_one_shift_per_day(instance: RosterInstance, rows: list[Assignment]) -> list[Violation]:
    if not instance.rules.one_shift_per_day:
        return []
    per_day: dict[tuple[str, date], list[Assignment]] = defaultdict(list)
    for a in rows:
        per_day[(a.officer_id, a.on)].append(a)
    return [
        Violation(
            Rule.ONE_SHIFT_PER_DAY,
            f"{officer_id} has {len(items)} shifts on {on.day} {on:%b}",
            officer_id,
            items[1].post_id,
            on,
            items[1].shift_code,
        )
        for (officer_id, on), items in per_day.items()
        if len(items) > 1
    ]


@dataclass(frozen=True)
class _Duty:
    starts_at: datetime
    ends_at: datetime
    label: str
    assignment: Assignment | None  # None: a busy period from another plan


def _duties(instance: RosterInstance, officer_id: str, rows: list[Assignment]) -> list[_Duty]:
    duties = []
    for a in rows:
        shift = instance.shift(a.shift_code)
        duties.append(_Duty(shift.starts_at(a.on), shift.ends_at(a.on), shift.label(a.on), a))
    for b in instance.officer(officer_id).busy:
        if b.needs_rest:
            label = f"{b.reason} {b.starts_at:%H:%M}-{b.ends_at:%H:%M} on {b.starts_at.day} {b.starts_at:%b}"
            duties.append(_Duty(b.starts_at, b.ends_at, label, None))
    return sorted(duties, key=lambda d: (d.starts_at, d.ends_at))


def rest_message(*, rest_minutes: int, first: str, second: str, gap_minutes: float) -> str:
    """'less than 8 h rest between 16:00-24:00 on 3 Feb and 06:00-14:00 on 4 Feb (6 h)'."""
    return f"less than {_hours(rest_minutes)} rest between {first} and {second} ({_hours(gap_minutes)})"


def check_rest(instance: RosterInstance, rows: list[Assignment]) -> list[Violation]:
    """Between the end of one duty and the start of the next there are at least min_rest hours.

    Computed on real start and end datetimes, so 22:00-06:00 followed by 14:00-22:00 the next day is
    8 h of rest. Overlapping duties have negative rest and are reported too.
    """
    rest = timedelta(minutes=instance.rules.min_rest_minutes)
    by_officer: dict[str, list[Assignment]] = defaultdict(list)
    for a in rows:
        by_officer[a.officer_id].append(a)
    out = []
    for officer_id, items in by_officer.items():
        duties = _duties(instance, officer_id, items)
        for i, first in enumerate(duties):
            for second in duties[i + 1 :]:
                if second.starts_at >= first.ends_at + rest:
                    break  # sorted by start: every later duty is far enough too
                if first.assignment is None and second.assignment is None:
                    continue  # two busy periods are the other plan's business
                if first.ends_at > second.starts_at and (
                    first.assignment is None or second.assignment is None
                ):
                    continue  # overlap with a busy period is reported by check_busy
                gap = (second.starts_at - first.ends_at).total_seconds() / 60
                culprit = second.assignment or first.assignment
                assert culprit is not None
                out.append(
                    Violation(
                        Rule.REST,
                        rest_message(
                            rest_minutes=instance.rules.min_rest_minutes,
                            first=first.label,
                            second=second.label,
                            gap_minutes=gap,
                        ),
                        officer_id,
                        culprit.post_id,
                        culprit.on,
                        culprit.shift_code,
                    )
                )
    return out


def check_weekly_hours(instance: RosterInstance, rows: list[Assignment]) -> list[Violation]:
    """Hours per week (rolling 7 days or calendar week, by shift start date) stay under the officer's cap."""
    minutes: dict[tuple[str, date], int] = Counter()
    for a in rows:
        minutes[(a.officer_id, a.on)] += instance.shift(a.shift_code).duration_minutes
    out = []
    for officer in instance.officers:
        cap = instance.max_week_minutes(officer)
        for week in instance.weeks():
            total = sum(minutes[(officer.id, d)] for d in week)
            if total > cap:
                out.append(
                    Violation(
                        Rule.WEEKLY_HOURS,
                        f"{officer.id} works {_hours(total)} from {week[0].day} "
                        f"{week[0]:%b} to {week[-1].day} {week[-1]:%b} (max {_hours(cap)})",
                        officer.id,
                        None,
                        week[0],
                        None,
                    )
                )
    return out
