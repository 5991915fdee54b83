"""Plausibility flags for patrol check-ins sent from phones.

A check-in is evidence that a unit was at a point. These pure functions flag evidence that does not hold
up, so a supervisor can look again; they never reject a check-in (a phone with a bad fix is still a unit
that reported in). Thresholds are parameters so that a Polres in the hills can loosen what a city tightens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from siaga.optimization.distance import haversine_km

FlagCode = Literal["IMPOSSIBLE_SPEED", "SHORT_STAY", "POOR_ACCURACY", "OUTSIDE_RADIUS", "UNKNOWN_POINT"]


@dataclass(frozen=True)
class CheckIn:
    """A unit's report from a point: where the phone was, how sure it was, when it arrived and left."""

    unit_id: str
    point_id: str
    lat: float
    lng: float
    accuracy_m: float  # the phone's reported horizontal accuracy (68 % radius)
    arrived_at: dt.datetime
    left_at: dt.datetime | None = None  # None while the unit is still there


@dataclass(frozen=True)
class PointArea:
    """A patrol point's position and the radius within which a check-in counts as being there."""

    lat: float
    lng: float
    radius_m: float


@dataclass(frozen=True)
class ProofThresholds:
    """Limits for the flags. Speed: 120 km/h is fast for Jember roads even with sirens."""

    max_speed_kmh: float = 120.0
    min_stay: dt.timedelta = dt.timedelta(minutes=5)
    max_accuracy_m: float = 100.0
    # A fix inside radius + accuracy might be at the point; only a fix outside it is flagged.
    count_accuracy_in_radius: bool = True


@dataclass(frozen=True)
class ProofFlag:
    """One doubt about one check-in (its index in the input)."""

    code: FlagCode
    index: int
    message: str
    value: float


def speed_kmh(a: CheckIn, b: CheckIn) -> float:
    """Straight-line speed between two check-ins, leaving a at a.left_at (or arrival) and reaching b."""
    left = a.left_at or a.arrived_at
    hours = (b.arrived_at - left).total_seconds() / 3600
    km = haversine_km(a.lat, a.lng, b.lat, b.lng)
    if hours <= 0:
        return float("inf") if km > 0 else 0.0
    return km / hours


def flag_speed(checkins: Sequence[CheckIn], *, max_speed_kmh: float) -> list[ProofFlag]:
    """Consecutive check-ins of the same unit that need a faster trip than max_speed_kmh (straight line,
    so any real road trip is slower still)."""
    flags = []
    last: dict[str, int] = {}
    for index in sorted(range(len(checkins)), key=lambda i: checkins[i].arrived_at):
        checkin = checkins[index]
        previous = last.get(checkin.unit_id)
        if previous is not None:
            speed = speed_kmh(checkins[previous], checkin)
            if speed > max_speed_kmh:
                flags.append(
                    ProofFlag(
                        "IMPOSSIBLE_SPEED",
                        index,
                        f"unit {checkin.unit_id} would have travelled at {speed:.0f} km/h "
                        f"to {checkin.point_id}",
                        speed,
                    )
                )
        last[checkin.unit_id] = index
    return flags


def flag_short_stay(checkins: Sequence[CheckIn], *, min_stay: dt.timedelta) -> list[ProofFlag]:
    """Stays shorter than min_stay (a drive-past logged as a visit)."""
    flags = []
    for index, checkin in enumerate(checkins):
        if checkin.left_at is None:
            continue
        stay = checkin.left_at - checkin.arrived_at
        if stay < min_stay:
            minutes = stay.total_seconds() / 60
            flags.append(
                ProofFlag(
                    "SHORT_STAY", index, f"stay at {checkin.point_id} lasted {minutes:.1f} min", minutes
                )
            )
    return flags


def flag_accuracy(checkins: Sequence[CheckIn], *, max_accuracy_m: float) -> list[ProofFlag]:
    """Fixes too vague to place the unit at a point."""
    return [
        ProofFlag("POOR_ACCURACY", i, f"GPS accuracy {c.accuracy_m:.0f} m at {c.point_id}", c.accuracy_m)
        for i, c in enumerate(checkins)
        if c.accuracy_m > max_accuracy_m
    ]


def flag_outside_radius(
    checkins: Sequence[CheckIn], points: Mapping[str, PointArea], *, count_accuracy_in_radius: bool
) -> list[ProofFlag]:
    """Check-ins whose fix is farther from the point than its radius (plus the fix's accuracy, if allowed)."""
    flags = []
    for index, checkin in enumerate(checkins):
        area = points.get(checkin.point_id)
        if area is None:
            flags.append(ProofFlag("UNKNOWN_POINT", index, f"no such point {checkin.point_id}", 0.0))
            continue
        metres = haversine_km(checkin.lat, checkin.lng, area.lat, area.lng) * 1000
        allowed = area.radius_m + (checkin.accuracy_m if count_accuracy_in_radius else 0.0)
        if metres > allowed:
            flags.append(
                ProofFlag(
                    "OUTSIDE_RADIUS",
                    index,
                    f"check-in is {metres:.0f} m from {checkin.point_id} (allowed {allowed:.0f} m)",
                    metres,
                )
            )
    return flags


def check_checkins(
    checkins: Sequence[CheckIn],
    points: Mapping[str, PointArea],
    *,
    thresholds: ProofThresholds | None = None,
) -> list[ProofFlag]:
    """All flags for a batch of check-ins (usually one shift of one Polres), ordered by check-in."""
    limits = thresholds or ProofThresholds()
    flags = [
        *flag_speed(checkins, max_speed_kmh=limits.max_speed_kmh),
        *flag_short_stay(checkins, min_stay=limits.min_stay),
        *flag_accuracy(checkins, max_accuracy_m=limits.max_accuracy_m),
        *flag_outside_radius(checkins, points, count_accuracy_in_radius=limits.count_accuracy_in_radius),
    ]
    return sorted(flags, key=lambda f: (f.index, f.code))
