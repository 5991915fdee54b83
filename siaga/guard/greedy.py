"""A greedy roster for when CP-SAT finds nothing within its time limit (large horizons on a slow machine).

Goes through the shifts in time order and fills each post with the eligible officers who have worked least
(then fewest nights), checking every hard rule as it goes. It is not optimal and may fail where a search
would not; its output is always checked by the engine's independent `validate()` before it is used.
Candidate for `siaga.optimization.roster` (a warm start for CP-SAT) — kept here as a small wrapper.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from siaga.optimization import roster as engine


def greedy_roster(instance: engine.RosterInstance) -> list[engine.Assignment] | None:
    """A roster keeping every hard rule, or None when the greedy order gets stuck."""
    rest = dt.timedelta(minutes=instance.rules.min_rest_minutes)
    weeks = instance.weeks()
    week_of: dict[dt.date, list[int]] = defaultdict(list)
    for i, week in enumerate(weeks):
        for d in week:
            week_of[d].append(i)
    minutes: dict[str, int] = defaultdict(int)
    week_minutes: dict[tuple[str, int], int] = defaultdict(int)
    nights: dict[str, int] = defaultdict(int)
    last_end: dict[str, dt.datetime] = {}
    days_worked: set[tuple[str, dt.date]] = set()
    rows: list[engine.Assignment] = list(instance.locked)
    locked_at = defaultdict(list)
    for a in instance.locked:
        locked_at[(a.on, a.shift_code)].append(a)

    def book(officer: engine.Officer, on: dt.date, shift: engine.ShiftType) -> None:
        oid = officer.id
        minutes[oid] += shift.duration_minutes
        for w in week_of[on]:
            week_minutes[(oid, w)] += shift.duration_minutes
        nights[oid] += shift.is_night
        last_end[oid] = max(last_end.get(oid, shift.ends_at(on)), shift.ends_at(on))
        days_worked.add((oid, on))

    def eligible(officer: engine.Officer, post: engine.Post, on: dt.date, shift: engine.ShiftType) -> bool:
        oid = officer.id
        start, end = shift.starts_at(on), shift.ends_at(on)
        if post.qualification and post.qualification not in officer.qualifications:
            return False
        if any(u.blocks(on, shift.code) for u in officer.unavailable):
            return False
        if instance.rules.one_shift_per_day and (oid, on) in days_worked:
            return False
        if oid in last_end and start - last_end[oid] < rest:
            return False
        for b in officer.busy:
            pad = rest if b.needs_rest else dt.timedelta(0)
            if start < b.ends_at + pad and b.starts_at - pad < end:
                return False
        cap = instance.max_week_minutes(officer)
        return all(week_minutes[(oid, w)] + shift.duration_minutes <= cap for w in week_of[on])

    # Scarce posts first within a shift: qualified posts, then exact ones.
    posts = sorted(instance.posts, key=lambda p: (p.qualification is None, not p.exact, p.id))
    for on, shift in instance.slots():
        taken = {a.officer_id for a in locked_at[(on, shift.code)]}
        for a in locked_at[(on, shift.code)]:
            book(instance.officer(a.officer_id), on, shift)
        for post in posts:
            need = post.required_on(on, shift.code) - sum(
                1 for a in locked_at[(on, shift.code)] if a.post_id == post.id
            )
            if need <= 0:
                continue
            candidates = [o for o in instance.officers if o.id not in taken and eligible(o, post, on, shift)]
            # Unqualified posts should not use up the holders of a scarce qualification.
            candidates.sort(
                key=lambda o: (
                    len(o.qualifications) if not post.qualification else 0,
                    minutes[o.id],
                    nights[o.id] if shift.is_night else 0,
                    o.id,
                )
            )
            if len(candidates) < need:
                return None
            for officer in candidates[:need]:
                rows.append(engine.Assignment(officer.id, on, shift.code, post.id))
                taken.add(officer.id)
                book(officer, on, shift)
    return sorted(rows)
