"""The events' rules as plain functions: required strength from the crowd, and clash detection.

No official crowd-to-personnel ratio is published (docs/events.md), so the ratio, the risk factors and the
split over the rings are settings a Polres sets to its own practice:

    SIAGA_EVENT_CROWD_PER_OFFICER = 30      # one officer per this many people expected
    SIAGA_EVENT_VEHICLES_PER_OFFICER = 50   # one traffic officer per this many vehicles (outer ring)
    SIAGA_EVENT_RISK_FACTOR = {"low": 1.0, "medium": 1.5, "high": 2.0}
    SIAGA_EVENT_RING_SHARE = {"inner": 0.2, "middle": 0.3, "outer": 0.5}
    SIAGA_EVENT_CLASH_DISTANCE_M = 500      # rival events closer than this ...
    SIAGA_EVENT_CLASH_GAP_MINUTES = 60      # ... and less than this apart in time clash
    SIAGA_EVENT_VITAL_OBJECT_DISTANCE_M = 300
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from siaga.optimization.distance import haversine_km

DEFAULTS = {
    "SIAGA_EVENT_CROWD_PER_OFFICER": 30,
    "SIAGA_EVENT_VEHICLES_PER_OFFICER": 50,
    "SIAGA_EVENT_RISK_FACTOR": {"low": 1.0, "medium": 1.5, "high": 2.0},
    "SIAGA_EVENT_RING_SHARE": {"inner": 0.2, "middle": 0.3, "outer": 0.5},
    "SIAGA_EVENT_CLASH_DISTANCE_M": 500,
    "SIAGA_EVENT_CLASH_GAP_MINUTES": 60,
    "SIAGA_EVENT_VITAL_OBJECT_DISTANCE_M": 300,
}
RINGS = ("inner", "middle", "outer")
# The smallest team a ring gets (the body system: never one officer alone).
MIN_PER_RING = 2


def setting(name: str) -> object:
    return getattr(settings, name, DEFAULTS[name])


def required_strength(*, crowd: int, vehicles: int, risk: str) -> dict[str, int]:
    """Officers per ring for a crowd, its vehicles and the event's risk; ring 3 also takes the traffic."""
    per_officer = max(1, int(setting("SIAGA_EVENT_CROWD_PER_OFFICER")))  # type: ignore[call-overload]
    factor = float(dict(setting("SIAGA_EVENT_RISK_FACTOR")).get(risk, 1.0))  # type: ignore[call-overload]
    shares = dict(setting("SIAGA_EVENT_RING_SHARE"))  # type: ignore[call-overload]
    total = math.ceil(crowd / per_officer * factor)
    out = {ring: max(MIN_PER_RING, math.ceil(total * float(shares.get(ring, 0)))) for ring in RINGS}
    per_vehicle = max(1, int(setting("SIAGA_EVENT_VEHICLES_PER_OFFICER")))  # type: ignore[call-overload]
    out["outer"] += math.ceil(vehicles / per_vehicle)
    return out


@dataclass(frozen=True)
class EventPoint:
    """What clash detection needs of an event (a saved one, or the one being entered: pk None)."""

    pk: int | None
    title: str
    kind: str
    side: str
    lat: float
    lng: float
    starts_at: dt.datetime
    ends_at: dt.datetime


@dataclass(frozen=True)
class Clash:
    code: str  # "rival", "quiet_period", "outside_campaign", "vital_object"
    message: str
    other_pk: int | None = None
    distance_m: float | None = None
    gap_minutes: float | None = None


def gap_minutes(a: EventPoint, b: EventPoint) -> float:
    """Minutes between two events (0 when they overlap)."""
    if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
        return 0.0
    later, earlier = (a, b) if a.starts_at >= b.ends_at else (b, a)
    return (later.starts_at - earlier.ends_at).total_seconds() / 60


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    return haversine_km(lat1, lng1, lat2, lng2) * 1000


def rival_clashes(event: EventPoint, others: Iterable[EventPoint]) -> list[tuple[EventPoint, float, float]]:
    """Campaign events of another side too close in place and time: (other, metres, minutes apart)."""
    if event.kind != "campaign":
        return []
    max_m = float(setting("SIAGA_EVENT_CLASH_DISTANCE_M"))  # type: ignore[arg-type]
    max_gap = float(setting("SIAGA_EVENT_CLASH_GAP_MINUTES"))  # type: ignore[arg-type]
    out = []
    for other in others:
        if other.pk is not None and other.pk == event.pk:
            continue
        if other.kind != "campaign" or other.side == event.side:
            continue
        gap = gap_minutes(event, other)
        if gap > max_gap:
            continue
        metres = distance_m(event.lat, event.lng, other.lat, other.lng)
        if metres <= max_m:
            out.append((other, metres, gap))
    return sorted(out, key=lambda t: (t[1], t[2]))


def overlaps_days(
    starts_at: dt.datetime, ends_at: dt.datetime, first: dt.date, last: dt.date, tz: dt.tzinfo
) -> bool:
    """Whether [starts_at, ends_at) touches any local day from `first` to `last` inclusive."""
    day_start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    day_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return starts_at < day_end and day_start < ends_at
