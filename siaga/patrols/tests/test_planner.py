"""The stored plan matches the engine: coverage equals ORIGAMI's, minimums rise with the posture, and a day's
stored routes respect shift windows and vehicle counts (the engine's validate_routes plus our own re-check)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

import numpy as np
import pytest
from django.conf import settings

from siaga.optimization.distance import road_matrix_km
from siaga.optimization.patrols import coverage as cov
from siaga.optimization.patrols import routes as rt
from siaga.optimization.patrols import sampling as sp
from siaga.patrols import planner, services
from siaga.patrols.models import SLOT_MINUTES, PatrolDay, PatrolPlan, PatrolVisit


def test_stored_plan_coverage_equals_origami_and_the_exact_milp(plan: PatrolPlan) -> None:
    inputs = planner.plan_inputs(plan)
    game = planner.build_game(plan, inputs, planner.Posture())
    expected = cov.solve(game)
    stored = {pp.point_id: pp.coverage for pp in plan.plan_points.all()}
    assert np.allclose([stored[p.pk] for p in inputs.points], expected.coverage, atol=1e-12)
    assert plan.defender_utility == pytest.approx(expected.defender_utility, abs=1e-12)
    assert plan.defender_utility == pytest.approx(cov.solve_milp(game).defender_utility, abs=1e-6)
    # Minimum visits: KPU (1 a day over 3 slots) keeps at least coverage 1/3.
    kpu = next(pp for pp in plan.plan_points.select_related("point") if pp.point.code == "t-kpu")
    assert kpu.coverage >= 1 / 3 - 1e-12
    assert sum(stored.values()) <= plan.resources + 1e-9


def test_minimum_visits_rise_in_a_key_stage_and_at_siaga_ii_and_i(plan: PatrolPlan) -> None:
    # Bawaslu needs 1 visit a day over 3 slots, 2 when the siaga level is raised (II or I), not in a key stage.
    plan.points.filter(code="t-bawaslu").update(min_visits_siaga=2)
    inputs = planner.plan_inputs(plan)
    kpu = next(i for i, p in enumerate(inputs.points) if p.code == "t-kpu")
    bawaslu = next(i for i, p in enumerate(inputs.points) if p.code == "t-bawaslu")

    def floors(**posture: str) -> tuple[float, float]:
        game = planner.build_game(plan, inputs, planner.Posture(**posture))
        return float(game.min_coverage[kpu]), float(game.min_coverage[bawaslu])

    assert floors() == pytest.approx((1 / 3, 1 / 3))
    assert floors(key_stage="Masa tenang") == pytest.approx((2 / 3, 1 / 3))
    assert floors(siaga_level="siaga3") == pytest.approx((1 / 3, 1 / 3))
    assert floors(siaga_level="siaga2") == pytest.approx((1 / 3, 2 / 3))
    assert floors(siaga_level="siaga1") == pytest.approx((1 / 3, 2 / 3))
    assert floors(key_stage="Masa tenang", siaga_level="siaga1") == pytest.approx((2 / 3, 2 / 3))


def _recheck_stored_day(day: PatrolDay, plan: PatrolPlan) -> list[str]:
    """Our own checker over the stored rows: each visit inside its slot and its unit's shifts; no unit uses
    more vehicles than it has; each vehicle's consecutive visits leave time to drive between them."""
    problems = []
    inputs = planner.plan_inputs(plan)
    index = {p.pk: i for i, p in enumerate(inputs.points)}
    depots = sorted({u.depot_id for u in inputs.units})
    depot_of = {u.depot_id: u.depot for u in inputs.units}
    lats = np.array([depot_of[d].lat for d in depots] + [p.lat for p in inputs.points])
    lngs = np.array([depot_of[d].lng for d in depots] + [p.lng for p in inputs.points])
    km = road_matrix_km(lats, lngs, circuity=settings.SIAGA_CIRCUITY_FACTOR)
    _metres, minutes = rt.matrices_from_km(km, speed_kmh=plan.speed_kmh)
    routes: dict[tuple[int, int, int], list[PatrolVisit]] = defaultdict(list)
    for v in day.visits.filter(unit__isnull=False).select_related("unit").order_by("planned_at"):
        slot_start = day.starts_at + dt.timedelta(minutes=v.slot * SLOT_MINUTES)
        slot_end = slot_start + dt.timedelta(minutes=SLOT_MINUTES)
        if v.slot not in v.unit.shift_slots:
            problems.append(f"visit {v.pk} in slot {v.slot} outside the shifts of {v.unit}")
        if not (slot_start <= v.planned_at and v.leaves_at <= slot_end):
            problems.append(f"visit {v.pk} at {v.planned_at} outside its slot window")
        if v.vehicle is None or not 0 <= v.vehicle < v.unit.vehicles:
            problems.append(f"visit {v.pk} on vehicle {v.vehicle} of a unit with {v.unit.vehicles}")
        routes[(v.unit_id, v.slot, v.vehicle)].append(v)
    for (unit_id, slot, _vehicle), visits in routes.items():
        unit = next(u for u in inputs.units if u.pk == unit_id)
        depot = depots.index(unit.depot_id)
        slot_start = day.starts_at + dt.timedelta(minutes=slot * SLOT_MINUTES)
        first = visits[0]
        if first.planned_at < slot_start + dt.timedelta(
            minutes=int(minutes[depot, len(depots) + index[first.point_id]])
        ):
            problems.append(f"{unit} reaches its first stop faster than the road allows")
        for a, b in itertools.pairwise(visits):
            travel = int(minutes[len(depots) + index[a.point_id], len(depots) + index[b.point_id]])
            if b.planned_at < a.leaves_at + dt.timedelta(minutes=travel):
                problems.append(f"{unit} drives {a.point_id}->{b.point_id} faster than the road allows")
        last = visits[-1]
        back = last.leaves_at + dt.timedelta(minutes=int(minutes[len(depots) + index[last.point_id], depot]))
        if back > slot_start + dt.timedelta(minutes=SLOT_MINUTES):
            problems.append(f"{unit} returns after its shift")
    return problems


def test_a_days_routes_respect_shift_windows_and_vehicle_counts(plan: PatrolPlan) -> None:
    day = services.generate_day(actor=None, plan=plan, day_on=plan.starts_on, time_limit=1)
    inputs = planner.plan_inputs(plan)
    sample = sp.sample_day(
        planner.sampling_instance(inputs, np.array([day.coverage[str(p.pk)] for p in inputs.points])),
        seed=day.seed,
    )
    routed = planner.route_day(plan, inputs, sample, time_limit=1, seed=day.seed)
    assert rt.validate_routes(routed.instance, routed.result) == []
    assert day.status == "feasible"
    stored = list(day.visits.all())
    assert len(stored) == len(sample.planned)  # every sampled visit is stored
    assert sorted((v.point_id, v.slot) for v in stored) == sorted(
        (inputs.points[pv.point].pk, pv.slot) for pv in sample.planned
    )
    assert _recheck_stored_day(day, plan) == []
    # KPU has a minimum of one visit a day: it is in the day's plan.
    assert any(v.point.code == "t-kpu" for v in stored)


def test_the_checker_catches_a_visit_outside_the_shift(plan: PatrolPlan) -> None:
    day = services.generate_day(actor=None, plan=plan, day_on=plan.starts_on, time_limit=1)
    visit = (
        day.visits.filter(unit__code="t-tempurejo").first() or day.visits.filter(unit__isnull=False).first()
    )
    assert visit is not None
    PatrolVisit.objects.filter(pk=visit.pk).update(
        slot=2, unit=plan.units.get(code="t-tempurejo")
    )  # Tempurejo drives 0 and 1 only
    assert any("outside the shifts" in p for p in _recheck_stored_day(day, plan))


def test_each_day_has_its_own_seed_and_redrawing_gives_the_same_day(plan: PatrolPlan) -> None:
    first = services.generate_day(actor=None, plan=plan, day_on=plan.starts_on, time_limit=0.5)
    second = services.generate_day(
        actor=None, plan=plan, day_on=plan.starts_on + dt.timedelta(days=1), time_limit=0.5
    )
    assert first.seed != second.seed == sp.day_seed(plan.seed, second.day_on)
    before = sorted(first.visits.values_list("point_id", "slot"))
    again = services.generate_day(actor=None, plan=plan, day_on=plan.starts_on, time_limit=0.5)
    assert sorted(again.visits.values_list("point_id", "slot")) == before
