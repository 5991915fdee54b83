"""The logistics chain as plain data: legs generated from the territory and the TPS list, timed with the road
approximation the routing core uses (great-circle x circuity, `siaga.optimization.distance`), and escort teams
chosen greedily so that no officer is on two duties at once. No Django here: `services.py` feeds it rows from
the database and `bench/logistics.py` times it on the whole Jember chain.

The timetable follows Polres practice (docs/logistics.md; domain notes 4.2): logistics leave the KPU warehouse
at H-5, reach the PPS at H-3 and the TPS on H-1; the boxes go back to the PPS after counting (from 00:00 on
H+1), to the PPK on H+1 and to the KPU warehouse after the PPK plenos. A vehicle per desa serves its TPS one
after another (nearest first), so a PPS -> TPS "trip" is a route of legs sharing one escort team.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from siaga.optimization.distance import haversine_km

# (hop, days from voting day, local start hour, officers per trip)
SCHEDULE: dict[str, tuple[int, int, int]] = {
    "wh_ppk": (-5, 8, 2),
    "ppk_pps": (-3, 8, 1),
    "pps_tps": (-1, 7, 1),
    "tps_pps": (1, 0, 1),
    "pps_ppk": (1, 8, 1),
    "ppk_wh": (10, 8, 2),
}
SPEED_KMH = 30.0  # a loaded truck on kabupaten and desa roads
CIRCUITY = 1.35  # the routing core's default (SIAGA_CIRCUITY_FACTOR)
STOP_MINUTES = 15  # unloading and the handover at each stop
REST = dt.timedelta(minutes=30)  # between two trips of one officer
TPS_PER_VEHICLE = 10  # TPS one vehicle serves in a run, so every TPS has its boxes on H-1
BOXES_PER_TPS = 5  # Pemilu: presiden, DPR, DPD, DPRD provinsi, DPRD kab/kota
SEALS_PER_BOX = 4


@dataclass(frozen=True, slots=True)
class Place:
    key: str  # stable: "wh", "ppk:<kecamatan id>", "pps:<desa id>", "tps:<tps id>"
    name: str
    lat: float
    lng: float
    kecamatan_id: int
    desa_id: int | None = None
    tps_id: int | None = None


@dataclass(slots=True)
class PlannedLeg:
    key: str
    hop: str
    trip: str
    trip_order: int
    origin: Place
    destination: Place
    kecamatan_id: int
    desa_id: int | None
    tps_id: int | None
    distance_km: float
    travel_minutes: int
    depart: dt.datetime
    arrive: dt.datetime
    boxes: int
    seals: int


@dataclass(slots=True)
class Officer:
    id: int
    kecamatan_id: int | None  # the officer's Polsek area (None: Polres HQ, may go anywhere)
    busy: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)


@dataclass
class Plan:
    legs: list[PlannedLeg]
    escorts: dict[str, list[int]]  # trip -> officer ids (first is the leader)
    unescorted: list[str]  # trips no free officer could take


def road_km(a: Place, b: Place, *, circuity: float = CIRCUITY) -> float:
    return haversine_km(a.lat, a.lng, b.lat, b.lng) * circuity


def minutes_for(km: float, *, speed_kmh: float = SPEED_KMH) -> int:
    return max(5, math.ceil(km / speed_kmh * 60))


def _nearest_order(start: Place, stops: Sequence[Place]) -> list[Place]:
    """Nearest-neighbour order of `stops` from `start` (vectorised per step; a desa has ~30 TPS)."""
    if len(stops) <= 1:
        return list(stops)
    lat = np.radians(np.array([s.lat for s in stops]))
    lng = np.radians(np.array([s.lng for s in stops]))
    left = np.ones(len(stops), dtype=bool)
    cur_lat, cur_lng = math.radians(start.lat), math.radians(start.lng)
    order = []
    for _ in range(len(stops)):
        d = (
            np.sin((lat - cur_lat) / 2) ** 2
            + np.cos(cur_lat) * np.cos(lat) * np.sin((lng - cur_lng) / 2) ** 2
        )
        d[~left] = np.inf
        i = int(np.argmin(d))
        left[i] = False
        order.append(stops[i])
        cur_lat, cur_lng = lat[i], lng[i]
    return order


def generate(
    *,
    prefix: str,
    voting_on: dt.date,
    tz: dt.tzinfo,
    warehouse: Place,
    ppk: Mapping[int, Place],
    pps: Mapping[int, Place],
    tps_by_desa: Mapping[int, Sequence[Place]],
    speed_kmh: float = SPEED_KMH,
    circuity: float = CIRCUITY,
) -> list[PlannedLeg]:
    """Every leg of the chain for one election, timed. `ppk` is keyed by kecamatan id, `pps` by desa id."""
    legs: list[PlannedLeg] = []
    stop = dt.timedelta(minutes=STOP_MINUTES)

    def start_of(hop: str) -> dt.datetime:
        days, hour, _n = SCHEDULE[hop]
        return dt.datetime.combine(voting_on + dt.timedelta(days=days), dt.time(hour), tzinfo=tz)

    def leg(
        hop: str, trip: str, order: int, a: Place, b: Place, depart: dt.datetime, boxes: int
    ) -> PlannedLeg:
        km = road_km(a, b, circuity=circuity)
        minutes = minutes_for(km, speed_kmh=speed_kmh)
        # A leg belongs to the place it serves: the destination going out, the origin coming back.
        served = b if hop in ("wh_ppk", "ppk_pps", "pps_tps") else a
        key, kec, desa_id, tps_id = f"{hop}:{served.key}", served.kecamatan_id, served.desa_id, served.tps_id
        return PlannedLeg(
            key=key, hop=hop, trip=f"{prefix}:{trip}", trip_order=order, origin=a, destination=b,
            kecamatan_id=kec, desa_id=desa_id, tps_id=tps_id, distance_km=round(km, 2), travel_minutes=minutes,
            depart=depart, arrive=depart + dt.timedelta(minutes=minutes), boxes=boxes,
            seals=boxes * SEALS_PER_BOX,
        )  # fmt: skip

    tps_per_kec: dict[int, int] = defaultdict(int)
    for desa_id, stops in tps_by_desa.items():
        if desa_id in pps:
            tps_per_kec[pps[desa_id].kecamatan_id] += len(stops)
    # Outbound: warehouse -> PPK (a truck per kecamatan), PPK -> PPS (a vehicle per desa).
    for kec_id, place in sorted(ppk.items()):
        legs.append(leg("wh_ppk", f"wh_ppk:{kec_id}", 0, warehouse, place, start_of("wh_ppk"),
                        tps_per_kec[kec_id] * BOXES_PER_TPS))  # fmt: skip
    for desa_id, place in sorted(pps.items()):
        n = len(tps_by_desa.get(desa_id, ()))
        if not n or place.kecamatan_id not in ppk:
            continue
        legs.append(leg("ppk_pps", f"ppk_pps:{desa_id}", 0, ppk[place.kecamatan_id], place, start_of("ppk_pps"),
                        n * BOXES_PER_TPS))  # fmt: skip
    # PPS -> TPS, and back TPS -> PPS: routes from the PPS, nearest TPS first, at most TPS_PER_VEHICLE each
    # (a desa with 88 TPS needs several vehicles to finish on H-1).
    for desa_id, stops in sorted(tps_by_desa.items()):
        if desa_id not in pps:
            continue
        base = pps[desa_id]
        ordered = _nearest_order(base, stops)
        for v in range(0, len(ordered), TPS_PER_VEHICLE):
            route = ordered[v : v + TPS_PER_VEHICLE]
            n = v // TPS_PER_VEHICLE
            at, prev = start_of("pps_tps"), base
            for i, tps in enumerate(route):
                row = leg("pps_tps", f"pps_tps:{desa_id}:{n}", i, prev, tps, at, BOXES_PER_TPS)
                legs.append(row)
                at, prev = row.arrive + stop, tps
            # The collecting vehicle drives out to the last TPS of its route first, then back through them.
            at = start_of("tps_pps")
            for i, tps in enumerate(reversed(route)):
                nxt = route[-(i + 2)] if i + 1 < len(route) else base
                row = leg("tps_pps", f"tps_pps:{desa_id}:{n}", i, tps, nxt, at, BOXES_PER_TPS * (i + 1))
                if i == 0:
                    outbound = minutes_for(road_km(base, tps, circuity=circuity), speed_kmh=speed_kmh)
                    row.depart = at + dt.timedelta(minutes=outbound)
                    row.arrive = row.depart + dt.timedelta(minutes=row.travel_minutes)
                legs.append(row)
                at = row.arrive + stop
    for desa_id, place in sorted(pps.items()):
        n = len(tps_by_desa.get(desa_id, ()))
        if not n or place.kecamatan_id not in ppk:
            continue
        legs.append(leg("pps_ppk", f"pps_ppk:{desa_id}", 0, place, ppk[place.kecamatan_id], start_of("pps_ppk"),
                        n * BOXES_PER_TPS))  # fmt: skip
    for kec_id, place in sorted(ppk.items()):
        legs.append(leg("ppk_wh", f"ppk_wh:{kec_id}", 0, place, warehouse, start_of("ppk_wh"),
                        tps_per_kec[kec_id] * BOXES_PER_TPS))  # fmt: skip
    return legs


def trips_of(legs: Iterable[PlannedLeg]) -> dict[str, list[PlannedLeg]]:
    out: dict[str, list[PlannedLeg]] = defaultdict(list)
    for row in legs:
        out[row.trip].append(row)
    return out


def _free(officer: Officer, start: dt.datetime, end: dt.datetime) -> bool:
    return all(not (s - REST < end and start < e + REST) for s, e in officer.busy)


def assign_escorts(legs: Sequence[PlannedLeg], officers: Sequence[Officer]) -> Plan:
    """Escort teams per trip, earliest trips first: officers of the trip's kecamatan (its Polsek) first, then
    Polres HQ officers, then any free officer. An officer busy on another duty (their `busy` periods: guard
    shifts, PAM TPS, events, earlier trips) within the trip plus a rest margin is never chosen."""
    by_kec: dict[int | None, list[Officer]] = defaultdict(list)
    for officer in officers:
        by_kec[officer.kecamatan_id].append(officer)
    everyone = list(officers)
    escorts: dict[str, list[int]] = {}
    unescorted: list[str] = []
    trips = trips_of(legs)
    order = sorted(trips, key=lambda t: (trips[t][0].depart, t))
    # Round-robin cursors so the load spreads over each group instead of always the first officers.
    cursor: dict[int | None, int] = defaultdict(int)
    for trip in order:
        rows = trips[trip]
        start, end = rows[0].depart, max(r.arrive for r in rows)
        need = SCHEDULE[rows[0].hop][2]
        chosen: list[Officer] = []
        # Cursor keys: the kecamatan id, None for Polres HQ, -1 for everyone (kecamatan ids are positive).
        groups: list[tuple[int | None, list[Officer]]] = [
            (rows[0].kecamatan_id, by_kec.get(rows[0].kecamatan_id, [])),
            (None, by_kec.get(None, [])),
            (-1, everyone),
        ]
        for group_key, group in groups:
            n = len(group)
            c = cursor[group_key]
            for step in range(n):
                if len(chosen) >= need:
                    break
                officer = group[(c + step) % n]
                if any(o is officer for o in chosen) or not _free(officer, start, end):
                    continue
                chosen.append(officer)
                cursor[group_key] = (c + step + 1) % n
            if len(chosen) >= need:
                break
        if not chosen:
            unescorted.append(trip)
            continue
        for officer in chosen:
            officer.busy.append((start, end))
        escorts[trip] = [o.id for o in chosen]
    return Plan(legs=list(legs), escorts=escorts, unescorted=unescorted)
