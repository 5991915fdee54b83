import dataclasses

import numpy as np
import pytest

from siaga.optimization.patrols.coverage import SecurityGame
from siaga.optimization.patrols.coverage import solve as solve_coverage
from siaga.optimization.patrols.routes import (
    PatrolStop,
    PatrolUnit,
    RoutingInstance,
    RoutingResult,
    matrices_from_km,
    slot_window,
    solve,
    stops_for_day,
    validate_routes,
)
from siaga.optimization.patrols.sampling import SamplingInstance, sample_day

# Locations: 0 Polres, 1-3 on a straight road 1 km apart, 4 a village 10 km off the road, 5 a Polsek
# 2 km the other way. At 60 km/h a kilometre is a minute, so every time below can be checked by hand.
XY = np.array([[0, 0], [1, 0], [2, 0], [3, 0], [0, 10], [-2, 0]], dtype=float)
KM = np.linalg.norm(XY[:, None] - XY[None], axis=2)
METRES, MINUTES = matrices_from_km(KM, speed_kmh=60)


def instance(stops: tuple[PatrolStop, ...], units: tuple[PatrolUnit, ...] | None = None) -> RoutingInstance:
    units = units or (PatrolUnit("sabhara-1", depot=0, shift_start=0, shift_end=120),)
    return RoutingInstance(durations=MINUTES, distances=METRES, stops=stops, units=units)


def test_matrices_are_metres_and_whole_minutes() -> None:
    assert METRES[0, 3] == 3000
    assert MINUTES[0, 3] == 3
    assert MINUTES[0, 4] == 10


def test_required_stops_are_visited_in_road_order_and_the_far_optional_one_is_skipped() -> None:
    stops = (
        PatrolStop("tps-3", 3, required=True, service_minutes=5),
        PatrolStop("tps-1", 1, required=True, service_minutes=5),
        PatrolStop("tps-2", 2, required=False, prize=500, service_minutes=5),  # on the way: free
        PatrolStop("desa", 4, required=False, prize=1_000, service_minutes=5),  # 20 km detour for 1 km
    )
    inst = instance(stops)
    result = solve(inst, time_limit=0.3, seed=1)
    assert result.is_feasible()
    assert validate_routes(inst, result) == []
    (route,) = result.routes
    order = [s.stop_id for s in route.stops]
    # The road is symmetric, so either direction is optimal; the stops are in road order either way.
    assert order in (["tps-1", "tps-2", "tps-3"], ["tps-3", "tps-2", "tps-1"])
    assert result.unvisited == ("desa",)
    assert route.distance == 6_000
    assert result.objective == 6_000 + 1_000
    # Leave at t, drive to the first stop, 5 min service and 1 min to the next: arrivals by hand.
    offsets = [s.arrival - route.departs_at for s in route.stops]
    assert offsets == ([1, 7, 13] if order[0] == "tps-1" else [3, 9, 15])
    assert route.returns_at - route.stops[-1].departure == MINUTES[route.stops[-1].location, 0]


def test_time_windows_make_the_unit_wait() -> None:
    stops = (PatrolStop("kpu", 3, required=True, service_minutes=10, earliest=30, latest=40),)
    inst = instance(stops)
    result = solve(inst, time_limit=0.2, seed=1)
    (visit,) = result.routes[0].stops
    assert 30 <= visit.service_start <= 40
    assert visit.departure == visit.service_start + 10
    assert validate_routes(inst, result) == []


def test_each_unit_starts_and_ends_at_its_own_depot_inside_its_shift() -> None:
    units = (
        PatrolUnit("polres", depot=0, shift_start=0, shift_end=60),
        PatrolUnit("polsek", depot=5, shift_start=60, shift_end=120),
    )
    stops = (
        PatrolStop("a", 1, required=True, earliest=0, latest=20),
        PatrolStop("b", 3, required=True, earliest=80, latest=100),
    )
    inst = instance(stops, units)
    result = solve(inst, time_limit=0.3, seed=2)
    assert result.is_feasible()
    assert validate_routes(inst, result) == []
    for route in result.routes:
        unit = next(u for u in units if u.unit_id == route.unit_id)
        assert route.depot == unit.depot
        assert unit.shift_start <= route.departs_at <= route.returns_at <= unit.shift_end


def test_a_required_stop_that_cannot_be_reached_is_reported_not_hidden() -> None:
    stops = (
        PatrolStop("ok", 1, required=True),
        PatrolStop("too-late", 4, required=True, earliest=0, latest=5),  # 10 minutes away
    )
    inst = instance(stops)
    result = solve(inst, time_limit=0.2, seed=1)
    assert result.status == "partial"
    assert not result.is_feasible()
    assert result.missed_required == ("too-late",)
    assert validate_routes(inst, result) == []


def test_slot_windows_cover_equal_blocks_of_the_day() -> None:
    assert slot_window(1, slot_minutes=480) == (480, 960)
    assert slot_window(0, slot_minutes=240, day_start=360) == (360, 600)


@pytest.fixture
def solved() -> tuple[RoutingInstance, RoutingResult]:
    stops = (
        PatrolStop("tps-1", 1, required=True, service_minutes=5),
        PatrolStop("tps-3", 3, required=True, service_minutes=5, earliest=20, latest=60),
    )
    inst = instance(stops)
    result = solve(inst, time_limit=0.2, seed=1)
    assert validate_routes(inst, result) == []
    return inst, result


def _with_route(result: RoutingResult, **changes: object) -> RoutingResult:
    return dataclasses.replace(result, routes=(dataclasses.replace(result.routes[0], **changes),))


def test_validator_catches_a_missing_required_stop(solved: tuple[RoutingInstance, RoutingResult]) -> None:
    inst, result = solved
    broken = _with_route(result, stops=result.routes[0].stops[:1])
    assert any("required stop tps-3" in p for p in validate_routes(inst, broken))


def test_validator_catches_a_return_after_the_shift(solved: tuple[RoutingInstance, RoutingResult]) -> None:
    inst, result = solved
    assert any("after its shift" in p for p in validate_routes(inst, _with_route(result, returns_at=500)))


def test_validator_catches_teleporting(solved: tuple[RoutingInstance, RoutingResult]) -> None:
    inst, result = solved
    first, second = result.routes[0].stops
    fast = dataclasses.replace(second, arrival=first.departure, service_start=first.departure)
    problems = validate_routes(inst, _with_route(result, stops=(first, fast)))
    assert any("faster than the travel time" in p for p in problems)


def test_validator_catches_a_time_window_breach(solved: tuple[RoutingInstance, RoutingResult]) -> None:
    inst, result = solved
    first, second = result.routes[0].stops
    late = dataclasses.replace(second, arrival=70, service_start=70, departure=75)
    assert any(
        "outside [20, 60]" in p for p in validate_routes(inst, _with_route(result, stops=(first, late)))
    )


def test_validator_catches_a_unit_with_two_routes_and_a_double_visit(
    solved: tuple[RoutingInstance, RoutingResult],
) -> None:
    inst, result = solved
    doubled = dataclasses.replace(result, routes=result.routes * 2)
    problems = validate_routes(inst, doubled)
    assert any("more than one route" in p for p in problems)
    assert any("visited twice" in p for p in problems)


def test_validator_catches_a_route_for_an_unknown_unit(solved: tuple[RoutingInstance, RoutingResult]) -> None:
    inst, result = solved
    assert any("unknown unit" in p for p in validate_routes(inst, _with_route(result, unit_id="ghost")))


def test_invalid_instances_are_refused() -> None:
    with pytest.raises(ValueError):
        instance((PatrolStop("x", 9, required=True),))
    with pytest.raises(ValueError):
        PatrolStop("x", 1, required=True, earliest=10, latest=5)
    with pytest.raises(ValueError):
        instance((PatrolStop("x", 1, required=True), PatrolStop("x", 2, required=True)))


def test_a_sampled_day_becomes_required_stops_in_slot_windows_and_routes_validly() -> None:
    # The whole pipeline on a toy Polres: coverage -> one sampled day -> stops -> routes -> validation.
    values = np.array([5.0, 3.0, 2.0, 1.0])  # points at locations 1-4
    game = SecurityGame.from_values(values, resources=1.0, min_coverage=[0.5, 0.0, 0.0, 0.0])
    coverage = solve_coverage(game).coverage
    day = sample_day(SamplingInstance(coverage=coverage, slots_per_day=2), seed=12)
    stops = stops_for_day(
        day,
        point_ids=["kpu", "ppk", "gudang", "desa"],
        locations=[1, 2, 3, 4],
        slot_minutes=60,
        service_minutes=5,
        optional_prizes={1: 2_000, 2: 2_000, 3: 2_000},
    )
    required = [s for s in stops if s.required]
    assert len(required) == int(day.visits.sum())
    assert sum(s.stop_id.startswith("kpu@") for s in required) >= 1  # its minimum of 1 visit a day
    for stop in required:
        slot = int(stop.stop_id.split("@")[1])
        assert (stop.earliest, stop.latest) == (60 * slot, 60 * slot + 55)
    units = (PatrolUnit("r1", depot=0, shift_start=0, shift_end=120),)
    inst = instance(stops, units)
    plan = solve(inst, time_limit=0.3, seed=1)
    assert plan.is_feasible()
    assert validate_routes(inst, plan) == []
