"""Writes for patrols: points, units, plans and their coverage, daily draws and routes, staff overrides with
the predictability check, and check-ins (idempotent, flagged). Every write is audited."""

from __future__ import annotations

import datetime as dt
import hmac
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.core.audit import record_change, record_update, snapshot
from siaga.core.errors import Conflict, NotFound, ValidationFailed
from siaga.core.jobs import Reporter, start_job
from siaga.core.models import AuditEvent, Job
from siaga.optimization.distance import haversine_km
from siaga.optimization.patrols import coverage as cov
from siaga.optimization.patrols import predictability, proof
from siaga.optimization.patrols import sampling as sp
from siaga.patrols import photos, planner
from siaga.patrols.models import (
    SLOT_MINUTES,
    PatrolCheckIn,
    PatrolDay,
    PatrolPlan,
    PatrolPoint,
    PatrolUnit,
    PatrolVisit,
    PlanPoint,
    new_qr_secret,
    plan_day_of,
    slot_of,
)

PREDICTABILITY_WINDOW_DAYS = 14

# --- points and units --------------------------------------------------------------------------------------


def _full_clean(obj: Any) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        raise ValidationFailed(
            "; ".join(str(m) for m in exc.messages) or _("Data tidak valid"), fields=fields
        ) from exc


@transaction.atomic
def create_point(*, actor: Any, **data: Any) -> PatrolPoint:
    point = PatrolPoint(**data)
    _full_clean(point)
    point.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=point, after=snapshot(point))
    return point


@transaction.atomic
def update_point(*, actor: Any, point: PatrolPoint, data: dict[str, Any]) -> PatrolPoint:
    # "Before" from the database: the page's ModelForm has already put the new values on `point`.
    before = snapshot(PatrolPoint.objects.get(pk=point.pk))
    for key, value in data.items():
        setattr(point, key, value)
    _full_clean(point)
    point.save()
    record_update(actor=actor, obj=point, before=before)
    return point


@transaction.atomic
def rotate_qr_secret(*, actor: Any, point: PatrolPoint) -> PatrolPoint:
    """A new QR value (after a sticker is photographed and shared, say); the old sticker stops matching."""
    point.qr_secret = new_qr_secret()
    point.save(update_fields=["qr_secret"])
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, obj=point, message="QR code rotated")
    return point


@transaction.atomic
def points_from_sites(
    *,
    actor: Any,
    election: Any | None,
    kecamatan_ids: Iterable[int] | None = None,
    max_tps: int | None = None,
) -> list[PatrolPoint]:
    """Patrol points for every vital object and (if the election's TPS categories exist) every TPS rated
    rawan or worse. Existing points (same code) are left alone, so running it twice changes nothing."""
    from siaga.sites.models import VitalObject

    created: list[PatrolPoint] = []
    values: dict[str, tuple[float, int]] = {
        VitalObject.Kind.KPU_OFFICE: (9.0, 1),
        VitalObject.Kind.BAWASLU_OFFICE: (8.0, 1),
        VitalObject.Kind.LOGISTICS_WAREHOUSE: (10.0, 1),
    }
    ids = list(kecamatan_ids) if kecamatan_ids is not None else None
    vos = VitalObject.objects.all().order_by("pk")
    if ids is not None:
        vos = vos.filter(kecamatan_id__in=ids)
    existing = set(PatrolPoint.objects.values_list("code", flat=True))
    for vo in vos:
        code = f"vo-{vo.pk}"
        if code in existing:
            continue
        value, minimum = values.get(vo.kind, (5.0, 0))
        created.append(
            create_point(
                actor=actor, code=code, name=vo.name[:200], kind=PatrolPoint.Kind.VITAL_OBJECT, kecamatan_id=vo.kecamatan_id,
                vital_object=vo, lat=vo.lat, lng=vo.lng, value=value, min_visits=minimum, min_visits_key_stage=minimum + 1,
                min_visits_siaga=minimum + 1, is_synthetic=vo.location_quality == "synthetic",
            )
        )  # fmt: skip
    if election is not None:
        try:
            from siaga.operations.models import TpsCategory
        except ImportError:  # pragma: no cover - operations is installed; kept so patrols degrade gracefully
            return created
        rawan = TpsCategory.objects.filter(
            election=election, category__severity__gte=2, tps__lat__isnull=False
        ).select_related("tps", "tps__desa", "category")
        if ids is not None:
            rawan = rawan.filter(kecamatan_id__in=ids)
        # The name is the TPS's, never its category: field officers read point names (issue 21 item 2).
        for row in rawan.order_by("-category__severity", "tps_id")[:max_tps]:
            code = f"tps-{row.tps_id}"
            if code in existing:
                continue
            tps = row.tps
            created.append(
                create_point(
                    actor=actor, code=code, name=str(tps)[:200], kind=PatrolPoint.Kind.RAWAN_TPS,
                    kecamatan_id=row.kecamatan_id, tps=tps, lat=tps.lat, lng=tps.lng, value=4.0 + 2.0 * row.category.severity,
                    min_visits=0, min_visits_key_stage=1, min_visits_siaga=1, is_synthetic=tps.location_quality == "synthetic",
                    radius_m=200,
                )
            )  # fmt: skip
    return created


@transaction.atomic
def create_unit(*, actor: Any, **data: Any) -> PatrolUnit:
    unit = PatrolUnit(**data)
    _full_clean(unit)
    unit.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def update_unit(*, actor: Any, unit: PatrolUnit, data: dict[str, Any]) -> PatrolUnit:
    before = snapshot(unit)
    for key, value in data.items():
        setattr(unit, key, value)
    _full_clean(unit)
    unit.save()
    record_update(actor=actor, obj=unit, before=before)
    return unit


# --- plans and coverage ------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    actor: Any,
    name: str,
    polres: Any,
    starts_on: dt.date,
    ends_on: dt.date,
    points: Sequence[PatrolPoint],
    units: Sequence[PatrolUnit],
    election: Any = None,
    operation: Any = None,
    visits_per_vehicle_shift: int = 5,
    service_minutes: int = 10,
    speed_kmh: int = 30,
) -> PatrolPlan:
    plan = PatrolPlan(
        name=name, polres=polres, starts_on=starts_on, ends_on=ends_on, election=election, operation=operation,
        visits_per_vehicle_shift=visits_per_vehicle_shift, service_minutes=service_minutes, speed_kmh=speed_kmh,
        created_by=actor if getattr(actor, "is_authenticated", False) else None, status=PatrolPlan.Status.ACTIVE,
    )  # fmt: skip
    _full_clean(plan)
    plan.save()
    PlanPoint.objects.bulk_create([PlanPoint(plan=plan, point=p) for p in points])
    plan.units.set(units)
    compute_coverage(plan=plan)
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=plan, after=snapshot(plan))
    return plan


@transaction.atomic
def compute_coverage(*, plan: PatrolPlan) -> cov.CoverageResult:
    """The plan's baseline coverage (normal posture: no key stage, normal siaga), stored per point."""
    inputs = planner.plan_inputs(plan)
    game = planner.build_game(plan, inputs, planner.Posture())
    result = cov.solve(game)
    expected = sampling_expected(inputs, result.coverage)
    rows = {pp.point_id: pp for pp in plan.plan_points.all()}
    for i, point in enumerate(inputs.points):
        row = rows[point.pk]
        row.coverage = float(result.coverage[i])
        row.expected_visits = float(expected[i])
    PlanPoint.objects.bulk_update(rows.values(), ["coverage", "expected_visits"])
    plan.defender_utility = result.defender_utility
    plan.resources = game.resources
    plan.computed_at = timezone.now()
    plan.save(update_fields=["defender_utility", "resources", "computed_at"])
    return result


def sampling_expected(inputs: planner.PlanInputs, coverage: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return planner.sampling_instance(inputs, coverage).expected_visits()


@transaction.atomic
def generate_day(*, actor: Any, plan: PatrolPlan, day_on: dt.date, time_limit: float = 2.0) -> PatrolDay:
    """Draw a day (coverage for the day's posture -> comb sample with the day's seed -> PyVRP routes) and
    store its visits. A day already drawn is redrawn only if nobody has touched it (no overrides, no
    check-ins): the seed is fixed per date, so the redraw is the same day unless points or units changed."""
    if not plan.starts_on <= day_on <= plan.ends_on:
        raise ValidationFailed(_("Tanggal di luar masa rencana"), code="outside_plan")
    existing = PatrolDay.objects.filter(plan=plan, day_on=day_on).first()
    if existing is not None:
        if (
            existing.visits.filter(source=PatrolVisit.Source.OVERRIDE).exists()
            or existing.visits.filter(overridden_by__isnull=False).exists()
            or PatrolCheckIn.objects.filter(visit__day=existing).exists()
        ):
            raise Conflict(_("Hari ini sudah diubah atau sudah ada absen"))
        existing.delete()
    inputs = planner.plan_inputs(plan)
    posture = planner.posture_on(plan, day_on)
    game = planner.build_game(plan, inputs, posture)
    result = cov.solve(game)
    seed = sp.day_seed(plan.seed, day_on)
    sample = sp.sample_day(planner.sampling_instance(inputs, result.coverage), seed=seed)
    routed = planner.route_day(plan, inputs, sample, time_limit=time_limit, seed=seed)
    day = PatrolDay(
        plan=plan, day_on=day_on, seed=seed, status=routed.result.status, key_stage=posture.key_stage[:150],
        siaga_level=posture.siaga_level, coverage={str(p.pk): float(c) for p, c in zip(inputs.points, result.coverage, strict=True)},
        defender_utility=result.defender_utility, missed_required=list(routed.result.missed_required),
        distance_m=sum(r.distance for r in routed.result.routes),
    )  # fmt: skip
    day.save()
    PatrolVisit.objects.bulk_create(_visits_from_routes(day, inputs, routed))
    record_change(
        actor=actor, action=AuditEvent.Action.CREATE, obj=day,
        after={"status": day.status, "visits": len(sample.planned), "missed_required": day.missed_required, "posture": [posture.key_stage, posture.siaga_level]},
    )  # fmt: skip
    return day


def _visits_from_routes(
    day: PatrolDay, inputs: planner.PlanInputs, routed: planner.DayRouting
) -> list[PatrolVisit]:
    by_pk = {p.pk: p for p in inputs.points}
    units = {u.pk: u for u in inputs.units}
    start = day.starts_at
    visits = []
    routed_stops = set()
    # PyVRP starts every route at the start of its shift, so the first visits of a shift would always fall
    # in its first hour: a learnable pattern. Each route is pushed later by a random part of its slack (the
    # time between its return and the shift end); every window still holds, since the return stays inside.
    rng = np.random.default_rng(day.seed)
    for route in routed.result.routes:
        unit_pk, slot, vehicle = planner.parse_vehicle_id(route.unit_id)
        slack = max(0, (slot + 1) * SLOT_MINUTES - route.returns_at)
        delay = int(rng.integers(0, slack + 1))
        for seq, stop in enumerate(route.stops):
            point_pk, _sep, stop_slot = stop.stop_id.partition("@")
            routed_stops.add(stop.stop_id)
            visits.append(
                PatrolVisit(
                    day=day, point=by_pk[int(point_pk)], slot=slot if stop_slot == "optional" else int(stop_slot),
                    unit=units[unit_pk], vehicle=vehicle, sequence=seq + 1,
                    planned_at=start + dt.timedelta(minutes=stop.service_start + delay),
                    leaves_at=start + dt.timedelta(minutes=stop.departure + delay),
                )
            )  # fmt: skip
    for stop_id in routed.result.missed_required:
        point_pk, _sep, stop_slot = stop_id.partition("@")
        # Kept as an unrouted visit so commanders see the gap in the day's plan.
        visits.append(PatrolVisit(day=day, point=by_pk[int(point_pk)], slot=int(stop_slot)))
    return visits


def request_days(*, actor: Any, plan: PatrolPlan, starts_on: dt.date, days: int) -> Job:
    """Draw and route `days` days from starts_on as a background job with progress."""
    from siaga.patrols.tasks import generate_days_task

    if days < 1 or days > 62:
        raise ValidationFailed(_("Jumlah hari 1-62"), fields={"days": ["1-62"]})
    with transaction.atomic():
        job = start_job(
            kind="patrols.generate_days", title=f"Rencana patroli {plan.name}: {starts_on:%d-%m-%Y} +{days} hari",
            task=generate_days_task, actor=actor, params={"plan_id": plan.pk, "starts_on": starts_on.isoformat(), "days": days},
        )  # fmt: skip
        record_change(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=plan,
            message=f"days requested: {starts_on} +{days}",
        )
    return job


def generate_days(
    *, plan: PatrolPlan, starts_on: dt.date, days: int, report: Reporter, time_limit: float = 2.0
) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    skipped = 0
    for i in range(days):
        day_on = starts_on + dt.timedelta(days=i)
        if day_on > plan.ends_on:
            break
        try:
            day = generate_day(actor=None, plan=plan, day_on=day_on, time_limit=time_limit)
        except Conflict:
            skipped += 1
            continue
        statuses[day.status] = statuses.get(day.status, 0) + 1
        report(100 * (i + 1) / days, f"{day_on:%d-%m-%Y}: {day.get_status_display()}")
    summary = (
        ", ".join(f"{n} {PatrolDay.Status(status).label}" for status, n in sorted(statuses.items())) or "0"
    )
    return {
        "statuses": statuses,
        "skipped": skipped,
        "summary": _("%(summary)s; %(n)d hari dilewati") % {"summary": summary, "n": skipped},
    }


# --- overrides and predictability --------------------------------------------------------------------------

WARNING_TEXT = {
    "FREQUENCY_DRIFT": gettext_lazy(
        "Titik %(point)s dikunjungi %(observed).2f kali/hari, rencana %(planned).2f"
    ),
    "COVERAGE_DRIFT": gettext_lazy("Sebaran kunjungan menyimpang dari cakupan rencana"),
    "FIXED_HOUR": gettext_lazy(
        "Titik %(point)s selalu dikunjungi sekitar pukul %(hour)02d:00 (pola mudah ditebak)"
    ),
    "OVERRIDE_HEAVY": gettext_lazy("Kunjungan ke %(point)s kebanyakan pilihan staf, bukan acak"),
}


def predictability_warnings(*, plan: PatrolPlan, until: dt.date) -> list[dict[str, Any]]:
    """The engine's predictability check over the plan's last 14 drawn days up to `until`, translated."""
    since = until - dt.timedelta(days=PREDICTABILITY_WINDOW_DAYS - 1)
    days = PatrolDay.objects.filter(plan=plan, day_on__range=(since, until)).count()
    if days == 0:
        return []
    visits = PatrolVisit.objects.filter(
        day__plan=plan, day__day_on__range=(since, until), is_cancelled=False, planned_at__isnull=False
    )
    recorded = [
        predictability.RecordedVisit(str(point_id), day_on, timezone.localtime(at).hour, source == PatrolVisit.Source.OVERRIDE or by is not None)
        for point_id, day_on, at, source, by in visits.values_list("point_id", "day__day_on", "planned_at", "source", "overridden_by")
    ]  # fmt: skip
    rates = {
        str(pid): rate or 0.0 for pid, rate in plan.plan_points.values_list("point_id", "expected_visits")
    }
    names = dict(PatrolPoint.objects.filter(plans=plan).values_list("pk", "name"))
    out = []
    for w in predictability.check_predictability(recorded, planned_rate=rates, days=days):
        name = names.get(int(w.point_id), w.point_id) if w.point_id else ""
        params = {
            "point": name,
            "observed": w.params.get("observed_rate", 0.0),
            "planned": w.params.get("planned_rate", 0.0),
            "hour": int(w.params.get("hour", 0)),
        }
        out.append(
            {
                "code": w.code,
                "point_id": int(w.point_id) if w.point_id else None,
                "message": str(WARNING_TEXT[w.code]) % params,
            }
        )
    return out


@transaction.atomic
def override_visit(
    *,
    actor: Any,
    day: PatrolDay,
    action: str,
    reason: str,
    visit: PatrolVisit | None = None,
    point: PatrolPoint | None = None,
    at: dt.datetime | None = None,
    unit: PatrolUnit | None = None,
) -> list[dict[str, Any]]:
    """A staff change to a day's plan: add a visit, move one to another time, or cancel one. Records who and
    why, then re-runs the predictability check and returns its warnings (also stored on the day)."""
    if not reason.strip():
        raise ValidationFailed(_("Alasan wajib diisi"), fields={"reason": [_("wajib")]})
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    if action == "add":
        if point is None or at is None:
            raise ValidationFailed(_("Pilih titik dan jam"), fields={"point": ["?"], "at": ["?"]})
        if not day.plan.plan_points.filter(point=point).exists():
            raise NotFound(_("Titik bukan bagian rencana"))
        _check_in_day(day, at)
        visit = PatrolVisit.objects.create(
            day=day, point=point, slot=slot_of(at), unit=unit, planned_at=at, leaves_at=at + dt.timedelta(minutes=day.plan.service_minutes),
            source=PatrolVisit.Source.OVERRIDE, overridden_by=user, overridden_at=now, override_reason=reason[:300],
        )  # fmt: skip
        record_change(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=visit,
            after=snapshot(visit),
            message=f"override add: {reason}"[:500],
        )
    elif action in ("move", "cancel"):
        if visit is None or visit.day_id != day.pk:
            raise NotFound(_("Kunjungan tidak ditemukan"))
        before = snapshot(visit)
        if action == "move":
            if at is None:
                raise ValidationFailed(_("Pilih jam baru"), fields={"at": ["?"]})
            _check_in_day(day, at)
            visit.planned_at, visit.slot = at, slot_of(at)
            visit.leaves_at = at + dt.timedelta(minutes=day.plan.service_minutes)
            if unit is not None:
                visit.unit = unit
        else:
            visit.is_cancelled = True
        visit.overridden_by, visit.overridden_at, visit.override_reason = user, now, reason[:300]
        visit.save()
        record_update(actor=actor, obj=visit, before=before, message=f"override {action}: {reason}"[:500])
    else:
        raise ValidationFailed(_("Tindakan tidak dikenal"), fields={"action": [action]})
    warnings = predictability_warnings(plan=day.plan, until=day.day_on)
    day.warnings = warnings
    day.save(update_fields=["warnings"])
    return warnings


def _check_in_day(day: PatrolDay, at: dt.datetime) -> None:
    if plan_day_of(at) != day.day_on:
        raise ValidationFailed(
            _("Jam di luar hari patroli (06:00 - 06:00)"),
            fields={"at": ["?"]},
        )


# --- check-ins ---------------------------------------------------------------------------------------------

FLAG_TEXT = {
    "IMPOSSIBLE_SPEED": gettext_lazy("kecepatan mustahil dari absen sebelumnya"),
    "SHORT_STAY": gettext_lazy("singgah terlalu singkat"),
    "POOR_ACCURACY": gettext_lazy("akurasi GPS buruk"),
    "OUTSIDE_RADIUS": gettext_lazy("di luar radius titik"),
    "UNKNOWN_POINT": gettext_lazy("titik tidak dikenal"),
    "QR_MISMATCH": gettext_lazy("kode QR tidak cocok"),
}


def _as_proof(c: PatrolCheckIn, unit_key: str) -> proof.CheckIn:
    return proof.CheckIn(unit_key, str(c.point_id), c.lat, c.lng, c.accuracy_m, c.arrived_at, c.left_at)


def _unit_key(c: PatrolCheckIn) -> str:
    return f"u{c.unit_id}" if c.unit_id else f"p{c.user_id}"


def _same_patrol(c: PatrolCheckIn) -> Any:
    qs = PatrolCheckIn.objects.exclude(pk=c.pk)
    if c.unit_id:
        return qs.filter(unit_id=c.unit_id)
    if c.user_id is None:
        return qs.filter(user__isnull=True, unit__isnull=True)
    return qs.filter(user_id=c.user_id, unit__isnull=True)


def _recompute_flags(c: PatrolCheckIn) -> list[str]:
    """The engine's flags for one check-in against the same unit's previous one (speed) and its own point."""
    previous = _same_patrol(c).filter(arrived_at__lte=c.arrived_at).order_by("-arrived_at", "-pk").first()
    batch = [c] if previous is None else [previous, c]
    key = _unit_key(c)
    points = {str(x.point_id): proof.PointArea(x.point.lat, x.point.lng, x.point.radius_m) for x in batch}
    own = len(batch) - 1
    codes: list[str] = sorted(
        {f.code for f in proof.check_checkins([_as_proof(x, key) for x in batch], points) if f.index == own}
    )
    if c.qr_status == "wrong":
        codes.append("QR_MISMATCH")
    return codes


@transaction.atomic
def record_checkin(
    *,
    actor: Any,
    client_key: uuid.UUID,
    point: PatrolPoint,
    lat: float,
    lng: float,
    accuracy_m: float,
    arrived_at: dt.datetime | None = None,
    left_at: dt.datetime | None = None,
    unit: PatrolUnit | None = None,
    qr_value: str = "",
    photo_data_url: str = "",
    note: str = "",
) -> tuple[PatrolCheckIn, bool]:
    """Store a check-in once per client key. Returns (check-in, created): a retry of a check-in that was
    already stored (an offline phone resending its queue) gets the stored row back, created=False."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    found = PatrolCheckIn.objects.filter(client_key=client_key).first()
    if found is not None:
        return _replay(found, user, point)
    arrived_at = arrived_at or timezone.now()
    if arrived_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(_("Waktu absen di masa depan"), fields={"arrived_at": ["?"]})
    photo_name = (
        photos.store(photos.reencode(photos.decode_data_url(photo_data_url))) if photo_data_url else ""
    )
    qr_status = ""
    if qr_value:
        qr_status = "ok" if hmac.compare_digest(qr_value.strip(), point.qr_value) else "wrong"
    day_on = plan_day_of(arrived_at)
    visit = (
        PatrolVisit.objects.filter(day__day_on=day_on, point=point, is_cancelled=False, checkins__isnull=True)
        .select_related("unit")
        .order_by("planned_at")
    )
    if unit is not None:
        visit = visit.filter(unit=unit)
    matched = min(visit, key=lambda v: abs((v.planned_at or arrived_at) - arrived_at), default=None)
    if unit is None and matched is not None:
        unit = matched.unit
    checkin = PatrolCheckIn(
        client_key=client_key, point=point, unit=unit, visit=matched, day_on=day_on, user=user,
        officer_label=(user.get_full_name() or user.get_username()) if user else "", lat=lat, lng=lng, accuracy_m=accuracy_m,
        distance_m=round(haversine_km(lat, lng, point.lat, point.lng) * 1000, 1), arrived_at=arrived_at, left_at=left_at,
        qr_status=qr_status, photo=photo_name, note=note[:300],
    )  # fmt: skip
    _full_clean(checkin)
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError:
        # Two copies raced past the lookup above; the unique client_key let exactly one in.
        if photo_name:
            photos.path_of(photo_name).unlink(missing_ok=True)
        return _replay(PatrolCheckIn.objects.get(client_key=client_key), user, point)
    checkin.flags = _recompute_flags(checkin)
    checkin.save(update_fields=["flags"])
    # A check-in sent late from an offline queue may sit before a later one: re-check that one's speed.
    later = _same_patrol(checkin).filter(arrived_at__gt=arrived_at).order_by("arrived_at", "pk").first()
    if later is not None:
        later.flags = _recompute_flags(later)
        later.save(update_fields=["flags"])
    record_change(
        actor=actor, action=AuditEvent.Action.CREATE, obj=checkin,
        after={"point": point.pk, "distance_m": checkin.distance_m, "flags": checkin.flags, "qr": qr_status, "arrived_at": arrived_at},
    )  # fmt: skip
    return checkin, True


def _replay(found: PatrolCheckIn, user: Any, point: PatrolPoint) -> tuple[PatrolCheckIn, bool]:
    if found.point_id != point.pk or (found.user_id and user is not None and found.user_id != user.pk):
        raise Conflict(
            _("Kunci idempotensi sudah dipakai untuk absen lain"),
            code="idempotency_key_reused",
        )
    return found, False


@transaction.atomic
def leave_checkin(*, actor: Any, checkin: PatrolCheckIn, left_at: dt.datetime | None = None) -> PatrolCheckIn:
    """The unit leaves the point: the stay length is now known (SHORT_STAY)."""
    before = snapshot(checkin)
    left_at = left_at or timezone.now()
    if left_at < checkin.arrived_at:
        raise ValidationFailed(_("Waktu berangkat sebelum tiba"), fields={"left_at": ["?"]})
    checkin.left_at = left_at
    checkin.flags = _recompute_flags(checkin)
    checkin.save(update_fields=["left_at", "flags"])
    record_update(actor=actor, obj=checkin, before=before)
    return checkin
