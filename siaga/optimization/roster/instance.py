"""The inputs of the 24-hour guard-post roster: frozen dataclasses, plain Python, no solver.

Every date and datetime here is local wall-clock time of the Polres (WIB, WITA or WIT). Indonesia has no
daylight saving time, so naive local datetimes give exact durations; the Django layer converts aware
datetimes before building an instance. A shift belongs to the date on which it starts, even when it runs
past midnight (the 22:00-06:00 shift of 3 Feb is "3 Feb, shift M").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Literal

# Night shifts are the ones that keep an officer awake in the small hours; fairness counts them.
NIGHT_WINDOW_MINUTES = (0, 5 * 60)


@dataclass(frozen=True, order=True)
class Assignment:
    """One officer on one post for one shift of one date."""

    officer_id: str
    on: date
    shift_code: str
    post_id: str


@dataclass(frozen=True)
class ShiftType:
    """A shift of the day: code, wall-clock start and length (3x8 h or 2x12 h, or anything else)."""

    code: str
    start_hour: int
    duration_hours: float
    start_minute: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        if not (0 <= self.start_hour < 24 and 0 <= self.start_minute < 60):
            raise ValueError(f"shift {self.code}: start must be a time of day")
        if not 0 < self.duration_hours <= 24:
            raise ValueError(f"shift {self.code}: duration must be in (0, 24] hours")

    @property
    def duration_minutes(self) -> int:
        return round(self.duration_hours * 60)

    @property
    def start_minutes(self) -> int:
        return self.start_hour * 60 + self.start_minute

    def starts_at(self, on: date) -> datetime:
        return datetime.combine(on, time(self.start_hour, self.start_minute))

    def ends_at(self, on: date) -> datetime:
        return self.starts_at(on) + timedelta(minutes=self.duration_minutes)

    @property
    def is_night(self) -> bool:
        """True when the shift overlaps 00:00-05:00 of the day it starts or the next one."""
        start, end = self.start_minutes, self.start_minutes + self.duration_minutes
        lo, hi = NIGHT_WINDOW_MINUTES
        return any(start < hi + day and lo + day < end for day in (0, 24 * 60))

    def label(self, on: date) -> str:
        """'16:00-24:00 on 3 Feb': the wording officers use on the roster board."""
        end = self.ends_at(on)
        end_text = "24:00" if end.time() == time(0) and end.date() > on else f"{end:%H:%M}"
        return f"{self.starts_at(on):%H:%M}-{end_text} on {on.day} {on:%b}"


def three_eight_hour_shifts(*, first_start_hour: int = 6) -> tuple[ShiftType, ...]:
    """Pagi, siang, malam: three 8-hour shifts, by default 06-14, 14-22, 22-06."""
    return (
        ShiftType("P", first_start_hour, 8, name="pagi"),
        ShiftType("S", (first_start_hour + 8) % 24, 8, name="siang"),
        ShiftType("M", (first_start_hour + 16) % 24, 8, name="malam"),
    )


def two_twelve_hour_shifts(*, first_start_hour: int = 7) -> tuple[ShiftType, ...]:
    """Day and night: two 12-hour shifts, by default 07-19 and 19-07."""
    return (
        ShiftType("D", first_start_hour, 12, name="siang"),
        ShiftType("N", (first_start_hour + 12) % 24, 12, name="malam"),
    )


@dataclass(frozen=True)
class RequirementPeriod:
    """From starts_on (to ends_on, inclusive, if given) the post needs `required` officers per shift."""

    starts_on: date
    required: int
    ends_on: date | None = None
    shift_codes: frozenset[str] | None = None  # None: every shift of the day

    def applies(self, on: date, shift_code: str) -> bool:
        if on < self.starts_on or (self.ends_on is not None and on > self.ends_on):
            return False
        return self.shift_codes is None or shift_code in self.shift_codes


@dataclass(frozen=True)
class Post:
    """A guard post (KPU office, Bawaslu office, logistics warehouse, CCTV seat) staffed around the clock.

    `exact` posts take exactly the required number (a CCTV seat has one watcher, never zero and never two
    people arguing over the mouse); other posts take at least the required number.
    """

    id: str
    required: int
    name: str = ""
    exact: bool = False
    qualification: str | None = None
    # Later periods win: (H-5 onwards: 4) overrides the base of 2.
    periods: tuple[RequirementPeriod, ...] = ()

    def required_on(self, on: date, shift_code: str) -> int:
        required = self.required
        for period in self.periods:
            if period.applies(on, shift_code):
                required = period.required
        return required


@dataclass(frozen=True)
class Unavailability:
    """Leave, sickness or training: the officer cannot work that date (or only that shift of it)."""

    on: date
    shift_code: str | None = None
    reason: str = "leave"

    def blocks(self, on: date, shift_code: str) -> bool:
        return self.on == on and (self.shift_code is None or self.shift_code == shift_code)


@dataclass(frozen=True)
class BusyPeriod:
    """Time already taken by another plan (PAM TPS on voting day, an escort), in local datetimes.

    A busy period is duty too, so by default the minimum rest applies around it as around a shift.
    """

    starts_at: datetime
    ends_at: datetime
    reason: str = "other duty"
    needs_rest: bool = True

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is not None or self.ends_at.tzinfo is not None:
            raise ValueError("busy periods use naive local datetimes (see the module docstring)")
        if self.ends_at <= self.starts_at:
            raise ValueError("a busy period must end after it starts")


@dataclass(frozen=True)
class ShiftRequest:
    """An officer's wish to work (or not work) a date or one shift of it; weight = penalty if ignored."""

    on: date
    wants_to_work: bool
    weight: int = 1
    shift_code: str | None = None  # None: any shift of that date


@dataclass(frozen=True)
class Officer:
    """A member of the guard pool."""

    id: str
    name: str = ""
    qualifications: frozenset[str] = frozenset()
    max_hours_per_week: float | None = None  # None: the instance's rule
    unavailable: tuple[Unavailability, ...] = ()
    busy: tuple[BusyPeriod, ...] = ()
    requests: tuple[ShiftRequest, ...] = ()


@dataclass(frozen=True)
class Rules:
    """The hard rules shared by the whole roster."""

    min_rest_hours: float = 8.0
    one_shift_per_day: bool = True
    max_hours_per_week: float = 48.0
    # rolling: every 7 consecutive days of the horizon; calendar: Monday-Sunday weeks.
    week: Literal["rolling", "calendar"] = "rolling"

    @property
    def min_rest_minutes(self) -> int:
        return round(self.min_rest_hours * 60)


@dataclass(frozen=True)
class Weights:
    """Weights of the soft goals. Requests carry their own weights."""

    night_spread: int = 10  # per night shift between the busiest and the least busy officer
    weekend_spread: int = 5  # same for shifts starting on Saturday or Sunday
    # Per officer above the requirement on an at-least post; above the spreads, so the solver never pads a
    # post with idle officers just to even out night counts.
    surplus: int = 20
    change: int = 20  # per previous assignment dropped when re-solving with `previous`


@dataclass(frozen=True)
class RosterInstance:
    """Everything the roster engine needs: horizon, shifts, posts, officers, locked assignments, rules."""

    horizon: tuple[date, ...]
    shifts: tuple[ShiftType, ...]
    posts: tuple[Post, ...]
    officers: tuple[Officer, ...]
    locked: tuple[Assignment, ...] = ()
    rules: Rules = field(default_factory=Rules)
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        if list(self.horizon) != sorted(set(self.horizon)):
            raise ValueError("horizon dates must be sorted and distinct")
        for kind, ids in (
            ("shift", [s.code for s in self.shifts]),
            ("post", [p.id for p in self.posts]),
            ("officer", [o.id for o in self.officers]),
        ):
            if len(ids) != len(set(ids)):
                raise ValueError(f"duplicate {kind} ids")

    def shift(self, code: str) -> ShiftType:
        return self._shifts[code]

    def post(self, post_id: str) -> Post:
        return self._posts[post_id]

    def officer(self, officer_id: str) -> Officer:
        return self._officers[officer_id]

    # cached_property writes to __dict__ directly, so it works on a frozen dataclass.
    @cached_property
    def _shifts(self) -> dict[str, ShiftType]:
        return {s.code: s for s in self.shifts}

    @cached_property
    def _posts(self) -> dict[str, Post]:
        return {p.id: p for p in self.posts}

    @cached_property
    def _officers(self) -> dict[str, Officer]:
        return {o.id: o for o in self.officers}

    def slots(self) -> list[tuple[date, ShiftType]]:
        """Every (date, shift) of the horizon in chronological order of start."""
        return sorted(
            ((d, s) for d in self.horizon for s in self.shifts), key=lambda ds: ds[1].starts_at(ds[0])
        )

    def max_week_minutes(self, officer: Officer) -> int:
        hours = (
            officer.max_hours_per_week
            if officer.max_hours_per_week is not None
            else self.rules.max_hours_per_week
        )
        return round(hours * 60)

    def weeks(self) -> list[tuple[date, ...]]:
        """The groups of horizon dates whose total hours are capped (see Rules.week)."""
        if self.rules.week == "calendar":
            groups: dict[tuple[int, int], list[date]] = {}
            for d in self.horizon:
                groups.setdefault(d.isocalendar()[:2], []).append(d)
            return [tuple(g) for g in groups.values()]
        first, last = self.horizon[0], self.horizon[-1]
        starts = [d for d in self.horizon if d + timedelta(days=6) <= last] or [first]
        return [tuple(d for d in self.horizon if s <= d <= s + timedelta(days=6)) for s in starts]


def make_unavailable(
    instance: RosterInstance,
    *,
    officer_ids: Iterable[str],
    dates: Iterable[date] | None = None,
    reason: str = "sick",
) -> RosterInstance:
    """A copy of the instance in which the officers cannot work the dates (default: the whole horizon)."""
    wanted = set(officer_ids)
    unknown = wanted - {o.id for o in instance.officers}
    if unknown:
        raise ValueError(f"unknown officers: {sorted(unknown)}")
    days = tuple(dates) if dates is not None else instance.horizon
    officers = tuple(
        replace(o, unavailable=o.unavailable + tuple(Unavailability(d, reason=reason) for d in days))
        if o.id in wanted
        else o
        for o in instance.officers
    )
    return replace(instance, officers=officers)
