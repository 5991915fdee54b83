"""Checks for hand edits on the roster board: hand a shift to another officer, or swap two shifts.

An edit is allowed when it adds no violation to the roster (a roster that was already broken elsewhere
does not block an unrelated, legal edit). The reasons are validate()'s sentences, e.g. "less than 8 h rest
between 16:00-24:00 on 3 Feb and 06:00-14:00 on 4 Feb (6 h)".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .instance import Assignment, RosterInstance
from .validate import Violation, validate


@dataclass(frozen=True)
class ChangeCheck:
    """The verdict on an edit: allowed or not, why not, and the roster after the edit."""

    allowed: bool
    violations: tuple[Violation, ...]
    assignment: tuple[Assignment, ...]

    @property
    def reason(self) -> str:
        return "; ".join(v.message for v in self.violations)


def check_change(
    instance: RosterInstance,
    assignment: Iterable[Assignment],
    *,
    remove: Iterable[Assignment],
    add: Iterable[Assignment],
) -> ChangeCheck:
    """Whether removing some rows and adding others keeps every hard rule."""
    before = list(assignment)
    gone = list(remove)
    missing = [a for a in gone if a not in before]
    if missing:
        raise ValueError(f"not in the roster: {missing}")
    after = [a for a in before if a not in set(gone)] + list(add)
    new = [v for v in validate(instance, after) if v not in set(validate(instance, before))]
    return ChangeCheck(allowed=not new, violations=tuple(new), assignment=tuple(sorted(after)))


def check_reassign(
    instance: RosterInstance, assignment: Iterable[Assignment], *, row: Assignment, to_officer_id: str
) -> ChangeCheck:
    """Whether the shift in `row` can be handed to another officer."""
    return check_change(instance, assignment, remove=[row], add=[replace(row, officer_id=to_officer_id)])


def check_swap(
    instance: RosterInstance, assignment: Iterable[Assignment], *, first: Assignment, second: Assignment
) -> ChangeCheck:
    """Whether two officers can exchange their shifts (each takes the other's post and shift)."""
    if first.officer_id == second.officer_id:
        raise ValueError("a swap needs two different officers")
    return check_change(
        instance,
        assignment,
        remove=[first, second],
        add=[replace(first, officer_id=second.officer_id), replace(second, officer_id=first.officer_id)],
    )
