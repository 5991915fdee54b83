"""The bridge between patrol rows and the pure planner (`siaga.optimization.patrols`): builds the game, the
sampling instance and the routing instance from a plan, and turns results back into rows. No writes here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.core.errors import ValidationFailed
from siaga.optimization.distance import road_matrix_km
from siaga.optimization.patrols import coverage as cov
from siaga.optimization.patrols import routes as rt
from siaga.optimization.patrols import sampling as sp
from siaga.patrols.models import SLOT_MINUTES, SLOTS_PER_DAY, PatrolPlan, PatrolPoint, PatrolUnit

RAISED_SIAGA_LEVELS = ("siaga2", "siaga1")


@dataclass(frozen=True)
class Posture:
    """What raises the minimum visits on a day: a key election stage running and the siaga level."""

    key_stage: str = ""
    siaga_level: str = ""

    @property
    def siaga_raised(self) -> bool:
        return self.siaga_level in RAISED_SIAGA_LEVELS


@dataclass(frozen=True)
class PlanInputs:
    """A plan's points and units in a fixed order, with per-point slots and the per-slot vehicle counts."""

    points: list[PatrolPoint]
    units: list[PatrolUnit]
    slot_vehicles: list[int]  # vehicles on duty in each slot
    allowed_slots: list[tuple[int, ...]]  # per point: open slots that have a vehicle on duty

    @property
    def resources(self) -> float:
        """Visits the units can make per slot, on average over the day's slots (the game's m)."""
        return sum(self.slot_vehicles) / SLOTS_PER_DAY


def posture_on(plan: PatrolPlan, day_on: dt.date) -> Posture:
    """The posture of a plan day: the key stage (if any) of the plan's election and the operation's level."""
    stage_name = ""
    level = ""
    if plan.election_id:
        from siaga.operations import calendar

        stage = calendar.current_stage(list(plan.election.stages.filter(is_key=True)), day_on)  # type: ignore[union-attr]
        stage_name = stage.name if stage is not None else ""
    if plan.operation_id:
        from siaga.operations.selectors import current_siaga

        end_of_day = timezone.make_aware(dt.datetime.combine(day_on, dt.time.max))
        change = current_siaga(plan.operation, end_of_day)  # type: ignore[arg-type]
        level = change.level if change is not None else ""
    return Posture(key_stage=stage_name, siaga_level=level)


def plan_inputs(plan: PatrolPlan) -> PlanInputs:
    points = list(plan.points.filter(is_active=True).order_by("pk"))
    units = list(plan.units.filter(is_active=True).select_related("depot").order_by("pk"))
    if not points:
        raise ValidationFailed(_("Rencana belum punya titik patroli"), code="no_points")
    if not units:
        raise ValidationFailed(_("Rencana belum punya unit patroli"), code="no_units")
    slot_vehicles = [sum(u.vehicles for u in units if s in u.shift_slots) for s in range(SLOTS_PER_DAY)]
    allowed = []
    for point in points:
        slots = tuple(s for s in point.slots if slot_vehicles[s] > 0)
        if not slots:
            raise ValidationFailed(
                _("Titik %(name)s buka hanya pada shift tanpa unit") % {"name": point.name},
                code="point_without_shift",
            )
        allowed.append(slots)
    return PlanInputs(points=points, units=units, slot_vehicles=slot_vehicles, allowed_slots=allowed)


def build_game(plan: PatrolPlan, inputs: PlanInputs, posture: Posture) -> cov.SecurityGame:
    values = np.array([p.value for p in inputs.points], dtype=np.float64)
    open_slots = np.array([len(s) for s in inputs.allowed_slots], dtype=np.float64)
    minimum = np.array(
        [
            min(
                p.min_visits_for(key_stage=bool(posture.key_stage), siaga_raised=posture.siaga_raised), len(s)
            )
            for p, s in zip(inputs.points, inputs.allowed_slots, strict=True)
        ],
        dtype=np.float64,
    )
    floors = cov.min_coverage_for_visits(minimum, open_slots=open_slots)
    resources = inputs.resources * plan.visits_per_vehicle_shift
    if floors.sum() > resources + 1e-9:
        raise ValidationFailed(
            _(
                "Kunjungan minimum butuh %(need).1f kunjungan per slot, unit hanya sanggup %(have).1f; tambah kendaraan atau turunkan minimum"
            )
            % {"need": floors.sum(), "have": resources},
            code="minimums_exceed_resources",
        )
    return cov.SecurityGame.from_values(
        values, resources=resources, capture_penalty=plan.capture_penalty, min_coverage=floors
    )


def sampling_instance(inputs: PlanInputs, coverage: np.ndarray[Any, Any]) -> sp.SamplingInstance:
    return sp.SamplingInstance(
        coverage=coverage,
        slots_per_day=SLOTS_PER_DAY,
        allowed_slots=tuple(inputs.allowed_slots),
        # Slots with no vehicle are never allowed for any point, so their capacity only needs to be positive.
        slot_capacity=np.array([max(v, 1e-6) for v in inputs.slot_vehicles], dtype=np.float64),
    )


def vehicle_id(unit: PatrolUnit, slot: int, vehicle: int) -> str:
    return f"{unit.pk}:{slot}:{vehicle}"


def parse_vehicle_id(value: str) -> tuple[int, int, int]:
    unit, slot, vehicle = value.split(":")
    return int(unit), int(slot), int(vehicle)


@dataclass(frozen=True)
class DayRouting:
    instance: rt.RoutingInstance
    result: rt.RoutingResult
    sample: sp.DailySample


def route_day(
    plan: PatrolPlan, inputs: PlanInputs, sample: sp.DailySample, *, time_limit: float, seed: int
) -> DayRouting:
    """Route the sampled visits: one PyVRP vehicle per unit, slot (shift) and vehicle, from the unit's depot."""
    depots = sorted({u.depot_id for u in inputs.units})
    depot_rows = {pk: i for i, pk in enumerate(depots)}
    depot_units = {u.depot_id: u.depot for u in inputs.units}
    lats = np.array([depot_units[d].lat for d in depots] + [p.lat for p in inputs.points])
    lngs = np.array([depot_units[d].lng for d in depots] + [p.lng for p in inputs.points])
    km = road_matrix_km(lats, lngs, circuity=float(getattr(settings, "SIAGA_CIRCUITY_FACTOR", 1.35)))
    metres, minutes = rt.matrices_from_km(km, speed_kmh=plan.speed_kmh)
    stops = rt.stops_for_day(
        sample,
        point_ids=[str(p.pk) for p in inputs.points],
        locations=[len(depots) + i for i in range(len(inputs.points))],
        slot_minutes=SLOT_MINUTES,
        service_minutes=plan.service_minutes,
    )
    vehicles = []
    for unit in inputs.units:
        for slot in sorted(unit.shift_slots):
            start = slot * SLOT_MINUTES
            for v in range(unit.vehicles):
                vehicles.append(
                    rt.PatrolUnit(
                        vehicle_id(unit, slot, v),
                        depot=depot_rows[unit.depot_id],
                        shift_start=start,
                        shift_end=start + SLOT_MINUTES,
                    )
                )
    instance = rt.RoutingInstance(durations=minutes, distances=metres, stops=stops, units=tuple(vehicles))
    result = rt.solve(instance, time_limit=time_limit, seed=seed % (2**31))
    return DayRouting(instance=instance, result=result, sample=sample)
