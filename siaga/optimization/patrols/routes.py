"""Daily patrol routes: a prize-collecting VRP with time windows, solved with PyVRP 0.14 directly.

The day's sampled visits (`sampling.py`) are *required* stops: skipping one would bend the visit
frequencies away from the coverage the game computed, which is what makes patrols unpredictable. Other
points may be added as optional stops with a prize (their value) when a unit passes nearby with time to
spare: extra presence costs nothing in predictability terms, since it is driven by geography, not habit.

Each patrol unit is its own vehicle (one route at most), starting and ending at its Polres or Polsek
depot inside its shift. Times are integer minutes from the start of the plan day; distances are integer
metres. If the required stops cannot all be served, the solver is run again with them as optional but
with a prize large enough to dominate every distance, and the result reports which ones were missed
(status "partial") so a commander can add a unit or accept the gap knowingly.

`validate_routes` re-checks every hard rule from the instance alone, without PyVRP.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from siaga.optimization.patrols.sampling import DailySample

if TYPE_CHECKING:
    # PyVRP loads in the functions that solve, not when the web server starts (issue 15, restart <= 5 s).
    from pyvrp import Model

IntMatrix = NDArray[np.int64]


@dataclass(frozen=True)
class PatrolStop:
    """A visit a unit may (or must) make: a point at a location, inside a time window."""

    stop_id: str
    location: int  # index into the instance's matrices
    required: bool
    prize: int = 0  # metres of driving this visit is worth, for optional stops
    service_minutes: int = 10
    earliest: int = 0  # service may start no earlier (minutes from the start of the plan day)
    latest: int = 24 * 60  # service must start no later

    def __post_init__(self) -> None:
        if self.earliest > self.latest:
            raise ValueError(f"stop {self.stop_id}: time window ends before it starts")
        if self.prize < 0 or self.service_minutes < 0:
            raise ValueError(f"stop {self.stop_id}: prize and service time must be non-negative")


@dataclass(frozen=True)
class PatrolUnit:
    """A patrol unit on one shift, starting and ending at its depot (a Polres or Polsek location)."""

    unit_id: str
    depot: int
    shift_start: int
    shift_end: int

    def __post_init__(self) -> None:
        if self.shift_start > self.shift_end:
            raise ValueError(f"unit {self.unit_id}: shift ends before it starts")


@dataclass(frozen=True, eq=False)
class RoutingInstance:
    """Travel matrices over all locations (depots and points), the day's stops and the units on duty."""

    durations: IntMatrix  # minutes
    distances: IntMatrix  # metres
    stops: tuple[PatrolStop, ...]
    units: tuple[PatrolUnit, ...]

    def __post_init__(self) -> None:
        for name in ("durations", "distances"):
            matrix = np.array(getattr(self, name), dtype=np.int64)
            if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or np.any(matrix < 0):
                raise ValueError(f"{name} must be a square matrix of non-negative integers")
            matrix.flags.writeable = False
            object.__setattr__(self, name, matrix)
        if self.durations.shape != self.distances.shape:
            raise ValueError("durations and distances must have the same shape")
        n = self.durations.shape[0]
        if any(not 0 <= s.location < n for s in self.stops) or any(not 0 <= u.depot < n for u in self.units):
            raise ValueError("a stop or depot refers to a location outside the matrices")
        if len({s.stop_id for s in self.stops}) != len(self.stops):
            raise ValueError("stop ids must be unique")
        if len({u.unit_id for u in self.units}) != len(self.units):
            raise ValueError("unit ids must be unique")
        if not self.units:
            raise ValueError("at least one unit is needed")


@dataclass(frozen=True)
class RouteStop:
    """A stop on a unit's route, with the times the schedule implies."""

    stop_id: str
    location: int
    arrival: int  # minutes from the start of the plan day
    service_start: int  # later than arrival when the unit waits for the time window
    departure: int


@dataclass(frozen=True)
class UnitRoute:
    """One unit's route: leave the depot, the stops in order, return."""

    unit_id: str
    depot: int
    departs_at: int
    returns_at: int
    distance: int  # metres
    stops: tuple[RouteStop, ...]


@dataclass(frozen=True)
class RoutingResult:
    """Routes for the units that move, the stops left out and the objective (metres + missed prizes)."""

    status: Literal["feasible", "partial", "infeasible"]
    objective: int
    routes: tuple[UnitRoute, ...]
    unvisited: tuple[str, ...]  # optional stops not visited
    missed_required: tuple[str, ...]  # required stops that could not be fitted (status "partial")
    seconds: float

    def is_feasible(self) -> bool:
        return self.status == "feasible"

    def route_of(self, unit_id: str) -> UnitRoute | None:
        return next((r for r in self.routes if r.unit_id == unit_id), None)


def _build_model(instance: RoutingInstance, *, required_as_prize: int | None) -> Model:
    from pyvrp import Model

    model = Model()
    # One PyVRP location per matrix row, shared by every stop and depot there (a point visited twice in
    # a day is two stops at one location, in two time windows).
    used = sorted({u.depot for u in instance.units} | {s.location for s in instance.stops})
    locations = {index: model.add_location(x=0, y=0, name=str(index)) for index in used}
    depots = {}
    for index in sorted({u.depot for u in instance.units}):
        depots[index] = model.add_depot(locations[index], name=f"depot-{index}")
    for unit in instance.units:
        model.add_vehicle_type(
            num_available=1,
            start_depot=depots[unit.depot],
            end_depot=depots[unit.depot],
            tw_early=unit.shift_start,
            tw_late=unit.shift_end,
            unit_distance_cost=1,
            name=unit.unit_id,
        )
    for stop in instance.stops:
        required = stop.required and required_as_prize is None
        prize = required_as_prize if stop.required and required_as_prize is not None else stop.prize
        model.add_client(
            locations[stop.location],
            service_duration=stop.service_minutes,
            tw_early=stop.earliest,
            tw_late=stop.latest,
            prize=int(prize),
            required=required,
            name=stop.stop_id,
        )
    for i in used:
        for j in used:
            if i != j:
                model.add_edge(
                    locations[i],
                    locations[j],
                    distance=int(instance.distances[i, j]),
                    duration=int(instance.durations[i, j]),
                )
    return model


def _extract(instance: RoutingInstance, model: Model, solution: object) -> tuple[UnitRoute, ...]:
    routes = []
    for route in solution.routes():  # type: ignore[attr-defined]
        unit = instance.units[route.vehicle_type()]
        stops = []
        schedule = route.schedule()
        # Route.visits() is gone in PyVRP 0.14: the schedule lists depot and client activities with their
        # times; a client activity's idx is the client's position among the model's clients.
        for activity in schedule:
            if not activity.is_client():
                continue
            stop = instance.stops[activity.idx]
            arrival = activity.start_time - activity.wait_duration
            stops.append(
                RouteStop(
                    stop_id=stop.stop_id,
                    location=stop.location,
                    arrival=int(arrival),
                    service_start=int(activity.start_time),
                    departure=int(activity.end_time),
                )
            )
        routes.append(
            UnitRoute(
                unit_id=unit.unit_id,
                depot=unit.depot,
                departs_at=int(schedule[0].end_time),
                returns_at=int(schedule[-1].start_time),
                distance=int(route.distance()),
                stops=tuple(stops),
            )
        )
    return tuple(sorted(routes, key=lambda r: r.unit_id))


def solve(instance: RoutingInstance, *, time_limit: float = 5.0, seed: int = 0) -> RoutingResult:
    """Route the units over the day's stops. Bounded by time_limit seconds per attempt; reproducible."""
    started = time.perf_counter()
    if not instance.stops:
        return RoutingResult("feasible", 0, (), (), (), time.perf_counter() - started)
    from pyvrp.exceptions import PenaltyBoundWarning
    from pyvrp.stop import MaxRuntime

    model = _build_model(instance, required_as_prize=None)
    with warnings.catch_warnings():
        # PyVRP warns when it cannot reach feasibility; the fallback below is this module's answer to that.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        outcome = model.solve(stop=MaxRuntime(time_limit), seed=seed, display=False)
    status: Literal["feasible", "partial", "infeasible"] = "feasible"
    if not outcome.is_feasible():
        # Fall back to "as many required stops as possible": a prize above any route length makes
        # dropping a required stop the last resort.
        big_prize = int(instance.distances.max()) * (len(instance.stops) + 2) + 1
        model = _build_model(instance, required_as_prize=big_prize)
        outcome = model.solve(stop=MaxRuntime(time_limit), seed=seed, display=False)
        status = "partial" if outcome.is_feasible() else "infeasible"
    routes = _extract(instance, model, outcome.best)
    visited = {s.stop_id for r in routes for s in r.stops}
    unvisited = tuple(s.stop_id for s in instance.stops if s.stop_id not in visited and not s.required)
    missed = tuple(s.stop_id for s in instance.stops if s.stop_id not in visited and s.required)
    if status == "feasible" and missed:
        status = "partial"
    objective = sum(r.distance for r in routes) + sum(
        s.prize for s in instance.stops if s.stop_id in unvisited
    )
    return RoutingResult(status, int(objective), routes, unvisited, missed, time.perf_counter() - started)


def validate_routes(instance: RoutingInstance, result: RoutingResult) -> list[str]:
    """Every hard rule re-checked from the instance alone. Returns human-readable violations; empty = valid.

    Rules: each route belongs to a known unit and each unit drives at most one route; it starts and ends at
    the unit's depot inside its shift; arrival times follow from the travel matrix; service starts inside
    the stop's time window; no stop is visited twice; every required stop is visited unless the result
    admits it as missed.
    """
    problems: list[str] = []
    units = {u.unit_id: u for u in instance.units}
    stops = {s.stop_id: s for s in instance.stops}
    seen_units: set[str] = set()
    seen_stops: set[str] = set()
    for route in result.routes:
        unit = units.get(route.unit_id)
        if unit is None:
            problems.append(f"route for unknown unit {route.unit_id}")
            continue
        if route.unit_id in seen_units:
            problems.append(f"unit {route.unit_id} has more than one route")
        seen_units.add(route.unit_id)
        if route.depot != unit.depot:
            problems.append(f"unit {route.unit_id} starts at {route.depot}, not its depot {unit.depot}")
        if route.departs_at < unit.shift_start:
            problems.append(f"unit {route.unit_id} leaves at {route.departs_at}, before its shift")
        clock, here = route.departs_at, unit.depot
        for visit in route.stops:
            stop = stops.get(visit.stop_id)
            if stop is None:
                problems.append(f"unit {route.unit_id} visits unknown stop {visit.stop_id}")
                continue
            if visit.stop_id in seen_stops:
                problems.append(f"stop {visit.stop_id} is visited twice")
            seen_stops.add(visit.stop_id)
            earliest_arrival = clock + int(instance.durations[here, stop.location])
            if visit.arrival < earliest_arrival:
                problems.append(f"unit {route.unit_id} reaches {visit.stop_id} faster than the travel time")
            start = max(visit.arrival, stop.earliest)
            if visit.service_start < start:
                problems.append(f"service at {visit.stop_id} starts before the unit can begin")
            if not stop.earliest <= visit.service_start <= stop.latest:
                problems.append(
                    f"service at {visit.stop_id} starts at {visit.service_start}, outside "
                    f"[{stop.earliest}, {stop.latest}]"
                )
            if visit.departure < visit.service_start + stop.service_minutes:
                problems.append(f"unit {route.unit_id} leaves {visit.stop_id} before service ends")
            clock, here = visit.departure, stop.location
        back = clock + int(instance.durations[here, unit.depot])
        if route.returns_at < back:
            problems.append(f"unit {route.unit_id} returns faster than the travel time allows")
        if max(back, route.returns_at) > unit.shift_end:
            problems.append(f"unit {route.unit_id} returns at {max(back, route.returns_at)}, after its shift")
    admitted = set(result.missed_required)
    for stop in instance.stops:
        if stop.required and stop.stop_id not in seen_stops and stop.stop_id not in admitted:
            problems.append(f"required stop {stop.stop_id} is not visited")
        if stop.stop_id in admitted and stop.stop_id in seen_stops:
            problems.append(f"stop {stop.stop_id} is reported missed but is visited")
    if result.is_feasible() and admitted:
        problems.append("a feasible result cannot miss required stops")
    return problems


def slot_window(slot: int, *, slot_minutes: int, day_start: int = 0) -> tuple[int, int]:
    """The [earliest, latest] service-start window of a sampled slot (the sampler's slots are equal blocks
    of the day starting at day_start)."""
    start = day_start + slot * slot_minutes
    return start, start + slot_minutes


def matrices_from_km(km: ArrayLike, *, speed_kmh: float) -> tuple[IntMatrix, IntMatrix]:
    """Integer metre and minute matrices from a road-distance matrix in km (`distance.road_matrix_km`)."""
    if speed_kmh <= 0:
        raise ValueError("speed must be positive")
    matrix = np.asarray(km, dtype=np.float64)
    metres = np.rint(matrix * 1000).astype(np.int64)
    minutes = np.ceil(matrix / speed_kmh * 60 - 1e-9).astype(np.int64)
    return metres, minutes


def stops_for_day(
    sample: DailySample,
    *,
    point_ids: Sequence[str],
    locations: Sequence[int],
    slot_minutes: int,
    day_start: int = 0,
    service_minutes: int = 10,
    optional_prizes: Mapping[int, int] | None = None,
) -> tuple[PatrolStop, ...]:
    """The day's stops from a sample: each sampled visit is a required stop in its slot's window (id
    "point@slot"); points given in optional_prizes (point index -> prize in metres) that were not sampled
    today become optional stops open all day, so a unit passing by may add them."""
    if len(point_ids) != len(locations):
        raise ValueError("point_ids and locations must have one entry per point")
    stops = []
    for visit in sample.planned:
        earliest, latest = slot_window(visit.slot, slot_minutes=slot_minutes, day_start=day_start)
        stops.append(
            PatrolStop(
                stop_id=f"{point_ids[visit.point]}@{visit.slot}",
                location=locations[visit.point],
                required=True,
                service_minutes=service_minutes,
                earliest=earliest,
                latest=latest - service_minutes,
            )
        )
    day_end = day_start + slot_minutes * max(1, int(sample.slot_loads.shape[0]))
    for point, prize in sorted((optional_prizes or {}).items()):
        if sample.visits[point] == 0 and prize > 0:
            stops.append(
                PatrolStop(
                    stop_id=f"{point_ids[point]}@optional",
                    location=locations[point],
                    required=False,
                    prize=prize,
                    service_minutes=service_minutes,
                    earliest=day_start,
                    latest=day_end - service_minutes,
                )
            )
    return tuple(stops)
