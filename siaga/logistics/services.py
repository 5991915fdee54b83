"""Writes for logistics escort: generate the chain, plan the escorts, field status (idempotent), handovers,
late-leg alerts. Atomic, validated, audited; escorts never overlap another duty (`siaga.core.duties`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.core import duties
from siaga.core.audit import audit_event, record_change, record_update, snapshot
from siaga.core.errors import Conflict, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.logistics import planner
from siaga.logistics.models import Escort, Handover, Leg, StatusUpdate
from siaga.operations.models import Election
from siaga.personnel.models import Personnel
from siaga.sites.models import Tps, VitalObject
from siaga.territory.models import Desa, Kecamatan, PoliceUnit

Progress = Callable[[float, str], None]
# A leg is late when it has not arrived this long after its planned arrival.
LATE_GRACE = dt.timedelta(minutes=30)


def _quiet(percent: float, message: str = "") -> None:
    return None


def _local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def chain_places(
    election: Election,
) -> tuple[planner.Place, dict[int, planner.Place], dict[int, planner.Place], dict[int, list[planner.Place]]]:
    """Warehouse, PPK (per kecamatan), PPS (per desa) and TPS (per desa) from the territory and TPS list.

    PPK and PPS sit at their registered sekretariat (vital objects) when there is one, else at the kecamatan
    centre and the desa's inside point."""
    wh = (
        VitalObject.objects.filter(kind=VitalObject.Kind.LOGISTICS_WAREHOUSE).order_by("pk").first()
        or VitalObject.objects.filter(kind=VitalObject.Kind.KPU_OFFICE).order_by("pk").first()
    )
    if wh is None:
        raise ValidationFailed(_("Belum ada gudang logistik atau kantor KPU di daftar objek vital"))
    warehouse = planner.Place("wh", wh.name, wh.lat, wh.lng, wh.kecamatan_id or 0)
    tps_rows = list(
        Tps.objects.filter(election=election).values_list(
            "pk", "code", "number", "desa_id", "kecamatan_id", "lat", "lng"
        )
    )
    desa_ids = {r[3] for r in tps_rows}
    desa = {
        d.pk: d
        for d in Desa.objects.filter(pk__in=desa_ids).only(
            "pk", "name", "kecamatan_id", "lat", "lng", "inside_lat", "inside_lng"
        )
    }
    kec = {k.pk: k for k in Kecamatan.objects.filter(pk__in={d.kecamatan_id for d in desa.values()})}
    offices = {
        (vo.kind, vo.kecamatan_id if vo.kind == VitalObject.Kind.PPK_OFFICE else vo.desa_id): vo
        for vo in VitalObject.objects.filter(
            kind__in=[VitalObject.Kind.PPK_OFFICE, VitalObject.Kind.PPS_OFFICE]
        )
    }
    ppk = {}
    for k in kec.values():
        vo = offices.get((VitalObject.Kind.PPK_OFFICE, k.pk))
        lat, lng = (vo.lat, vo.lng) if vo else (k.lat, k.lng)
        ppk[k.pk] = planner.Place(f"ppk:{k.pk}", f"PPK {k.name}", lat, lng, k.pk)
    pps = {}
    for d in desa.values():
        vo = offices.get((VitalObject.Kind.PPS_OFFICE, d.pk))
        lat, lng = (vo.lat, vo.lng) if vo else (d.inside_lat or d.lat, d.inside_lng or d.lng)
        pps[d.pk] = planner.Place(f"pps:{d.pk}", f"PPS {d.name}", lat, lng, d.kecamatan_id, desa_id=d.pk)
    tps: dict[int, list[planner.Place]] = defaultdict(list)
    for pk, _code, number, desa_id, kec_id, tps_lat, tps_lng in tps_rows:
        base = pps[desa_id]
        tps[desa_id].append(
            planner.Place(
                f"tps:{pk}", f"TPS {number:03d} {desa[desa_id].name}", tps_lat if tps_lat is not None else base.lat,
                tps_lng if tps_lng is not None else base.lng, kec_id, desa_id=desa_id, tps_id=pk,
            )
        )  # fmt: skip
    return warehouse, ppk, pps, dict(tps)


def generate_chain(
    *, actor: Any, election: Election, report: Progress = _quiet, is_synthetic: bool = False
) -> dict[str, int]:
    """Create (or re-time) every leg of the election's chain. Legs already reported from the field keep their
    actual times and status; generating twice changes nothing."""
    report(2, _("membaca wilayah dan TPS"))
    warehouse, ppk, pps, tps = chain_places(election)
    speed = float(getattr(settings, "SIAGA_LOGISTICS_SPEED_KMH", planner.SPEED_KMH))
    circuity = float(getattr(settings, "SIAGA_CIRCUITY_FACTOR", planner.CIRCUITY))
    report(10, _("menyusun ruas"))
    rows = planner.generate(
        prefix=str(election.pk), voting_on=election.voting_on, tz=_local_tz(), warehouse=warehouse, ppk=ppk,
        pps=pps, tps_by_desa=tps, speed_kmh=speed, circuity=circuity,
    )  # fmt: skip
    report(40, _("menyimpan %(n)d ruas") % {"n": len(rows)})
    existing = {k: pk for k, pk in Leg.objects.filter(election=election).values_list("key", "pk")}
    new, changed = [], []
    for r in rows:
        leg = Leg(
            election=election, key=r.key, hop=r.hop, trip=r.trip, trip_order=r.trip_order,
            kecamatan_id=r.kecamatan_id, desa_id=r.desa_id, tps_id=r.tps_id, origin=r.origin.name[:150],
            origin_lat=r.origin.lat, origin_lng=r.origin.lng, destination=r.destination.name[:150],
            dest_lat=r.destination.lat, dest_lng=r.destination.lng, distance_km=r.distance_km,
            travel_minutes=r.travel_minutes, planned_depart=r.depart, planned_arrive=r.arrive, boxes=r.boxes,
            seals=r.seals, is_synthetic=is_synthetic,
        )  # fmt: skip
        if r.key in existing:
            leg.pk = existing[r.key]
            changed.append(leg)
        else:
            new.append(leg)
    fields = ["trip", "trip_order", "origin", "origin_lat", "origin_lng", "destination", "dest_lat", "dest_lng",
              "distance_km", "travel_minutes", "planned_depart", "planned_arrive", "boxes", "seals"]  # fmt: skip
    with transaction.atomic():
        Leg.objects.bulk_create(new, batch_size=2000)
        if changed:
            Leg.objects.bulk_update(changed, fields, batch_size=2000)
        record_change(
            actor=actor, action=AuditEvent.Action.CREATE, object_type="logistics.chain", object_id=election.pk,
            object_repr=election.name, message=f"legs: {len(new)} new, {len(changed)} re-timed",
        )  # fmt: skip
    report(60, _("ruas tersimpan"))
    return {"legs": len(rows), "created": len(new), "retimed": len(changed)}


def officer_pool(*, polres: PoliceUnit) -> list[planner.Officer]:
    """Active officers of the Polres with the kecamatan of their Polsek (None for Polres HQ)."""
    first_kec: dict[int, int] = {}
    for unit_id, kec_id in PoliceUnit.jurisdiction.through.objects.values_list(
        "policeunit_id", "kecamatan_id"
    ).order_by("kecamatan_id"):
        first_kec.setdefault(unit_id, kec_id)
    rows = (
        Personnel.objects.filter(unit__polres=polres, status=Personnel.Status.ACTIVE)
        .values_list("pk", "unit__police_unit_id", "unit__police_unit__level")
        .order_by("pk")
    )
    return [
        planner.Officer(pk, None if level == PoliceUnit.Level.POLRES else first_kec.get(unit_id))
        for pk, unit_id, level in rows
    ]


def plan_escorts(
    *, actor: Any, election: Election, polres: PoliceUnit, report: Progress = _quiet
) -> dict[str, int]:
    """Escort teams for every trip not yet under way, from the Polres' free officers. Replaces the escorts of
    trips still planned; legs already departed keep their team."""
    # Null planned times are filtered out, which the type checker cannot see.
    legs = cast(
        list[tuple[int, str, str, int, int, dt.datetime, dt.datetime, str]],
        list(
            Leg.objects.filter(election=election, planned_depart__isnull=False, planned_arrive__isnull=False)
            .order_by("trip", "trip_order")
            .values_list(
                "pk",
                "hop",
                "trip",
                "trip_order",
                "kecamatan_id",
                "planned_depart",
                "planned_arrive",
                "status",
            )
        ),
    )
    if not legs:
        raise ValidationFailed(_("Belum ada ruas: susun rantai logistik dulu"))
    started = {trip for _pk, _h, trip, _o, _k, _d, _a, status in legs if status != Leg.Status.PLANNED}
    open_legs = [row for row in legs if row[2] not in started]
    officers = officer_pool(polres=polres)
    if open_legs:
        start = min(r[5] for r in open_legs)
        end = max(r[6] for r in open_legs)
        report(20, _("memeriksa tugas lain personel"))
        busy = duties.busy_periods(
            personnel_ids=None,
            start=start - planner.REST,
            end=end + planner.REST,
            ignore_prefix=f"logistics.trip:{election.pk}:",
        )
        for officer in officers:
            officer.busy = [(b.start, b.end) for b in busy.get(officer.id, [])]
    # Escorts of trips already under way stay; their officers are busy then.
    kept = Escort.objects.filter(leg__election=election, leg__trip__in=started).values_list(
        "personnel_id", "leg__planned_depart", "leg__planned_arrive"
    )
    by_id = {o.id: o for o in officers}
    for pid, s, e in kept:
        if pid in by_id and s and e:
            by_id[pid].busy.append((s, e))
    plain = [
        planner.PlannedLeg(
            key=str(pk), hop=hop, trip=trip, trip_order=order, origin=None, destination=None,  # type: ignore[arg-type]
            kecamatan_id=kec, desa_id=None, tps_id=None, distance_km=0, travel_minutes=0, depart=d, arrive=a,
            boxes=0, seals=0,
        )
        for pk, hop, trip, order, kec, d, a, _s in open_legs
    ]  # fmt: skip
    report(40, _("memilih tim pengawal"))
    plan = planner.assign_escorts(plain, officers)
    report(70, _("menyimpan tim pengawal"))
    legs_of: dict[str, list[int]] = defaultdict(list)
    for p in plain:
        legs_of[p.trip].append(int(p.key))
    with transaction.atomic():
        Escort.objects.filter(leg__election=election).exclude(leg__trip__in=started).delete()
        Escort.objects.bulk_create(
            [
                Escort(leg_id=leg_id, personnel_id=pid, is_leader=(i == 0))
                for trip, team in plan.escorts.items()
                for leg_id in legs_of[trip]
                for i, pid in enumerate(team)
            ],
            batch_size=5000,
        )
        Leg.objects.filter(election=election).exclude(trip__in=started).update(vehicle="")
        record_change(
            actor=actor, action=AuditEvent.Action.UPDATE, object_type="logistics.escort_plan", object_id=election.pk,
            object_repr=election.name, message=f"trips {len(plan.escorts)} escorted, {len(plan.unescorted)} without escort",
        )  # fmt: skip
    return {"trips": len(legs_of), "escorted": len(plan.escorts), "unescorted": len(plan.unescorted)}


def assign_escort(*, actor: Any, leg: Leg, personnel_ids: Sequence[int]) -> list[Escort]:
    """Put officers on a leg's whole trip by hand. Refused when any is on another duty then, e.g. in the team of
    a TPS on voting night (PAM TPS)."""
    with transaction.atomic():
        trip_legs = list(Leg.objects.select_for_update().filter(election_id=leg.election_id, trip=leg.trip))
        start = min(x.planned_depart for x in trip_legs if x.planned_depart is not None)
        end = max(x.planned_arrive for x in trip_legs if x.planned_arrive is not None)
        busy = duties.busy_periods(
            personnel_ids=list(personnel_ids),
            start=start,
            end=end,
            ignore_prefix=f"logistics.trip:{leg.trip}",
        )
        if busy:
            names = dict(Personnel.objects.filter(pk__in=busy).values_list("pk", "name"))
            raise Conflict(
                _("Personel sudah bertugas di waktu yang sama: %(detail)s")
                % {
                    "detail": "; ".join(
                        f"{names.get(p, p)}: {rows[0].label}" for p, rows in sorted(busy.items())
                    )
                },
                code="duty_overlap",
            )
        out = []
        has_leader = Escort.objects.filter(leg__in=trip_legs, is_leader=True).exists()
        for x in trip_legs:
            for i, pid in enumerate(personnel_ids):
                row, created = Escort.objects.get_or_create(
                    leg=x, personnel_id=pid, defaults={"is_leader": not has_leader and i == 0}
                )
                if created:
                    out.append(row)
        for row in out:
            record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=row, after=snapshot(row))
    return out


# --- the field ---------------------------------------------------------------------------------------------------

ORDER = [Leg.Status.PLANNED, Leg.Status.DEPARTED, Leg.Status.ARRIVED, Leg.Status.HANDED_OVER]


def _apply(leg: Leg, status: str, at: dt.datetime) -> None:
    """The one transition function of a leg: status only moves forward; each step stamps its time."""
    if ORDER.index(Leg.Status(status)) <= ORDER.index(Leg.Status(leg.status)):
        return
    if (
        status in (Leg.Status.DEPARTED, Leg.Status.ARRIVED, Leg.Status.HANDED_OVER)
        and leg.actual_depart is None
    ):
        leg.actual_depart = at
    if status in (Leg.Status.ARRIVED, Leg.Status.HANDED_OVER) and leg.actual_arrive is None:
        leg.actual_arrive = at
    if status == Leg.Status.HANDED_OVER:
        leg.handed_over_at = at
    leg.status = status


def record_status(
    *,
    actor: Any,
    leg: Leg,
    status: str,
    key: str,
    at: dt.datetime | None = None,
    lat: float | None = None,
    lng: float | None = None,
    note: str = "",
) -> tuple[StatusUpdate, bool]:
    """Store a field report once per `key` (the Idempotency-Key): (update, created). A repeat with the same key
    returns the stored update and changes nothing; the same key for another leg or status is refused."""
    if status not in Leg.Status.values or status == Leg.Status.PLANNED:
        raise ValidationFailed(_("Status tidak dikenal"), fields={"status": [status]})
    if not key or len(key) > 255 or not key.isprintable():
        raise ValidationFailed(_("Idempotency-Key tidak valid"), code="idempotency_key_invalid")
    at = at or timezone.now()
    existing = StatusUpdate.objects.filter(key=key).first()
    if existing is not None:
        if existing.leg_id != leg.pk or existing.status != status:
            raise ValidationFailed(
                _("Kunci idempotensi sudah dipakai untuk laporan lain"),
                code="idempotency_key_reused",
            )
        return existing, False
    try:
        with transaction.atomic():
            locked = Leg.objects.select_for_update().get(pk=leg.pk)
            update = StatusUpdate(
                leg=locked, key=key, status=status, at=at, lat=lat, lng=lng, note=note[:300],
                reported_by=actor if getattr(actor, "is_authenticated", False) else None,
            )  # fmt: skip
            update.full_clean()
            update.save()
            before = snapshot(locked)
            _apply(locked, status, at)
            locked.save(update_fields=["status", "actual_depart", "actual_arrive", "handed_over_at"])
            record_update(actor=actor, obj=locked, before=before, message=f"status {status}")
    except ValidationError as exc:
        raise ValidationFailed("; ".join(exc.messages)) from exc
    except IntegrityError:
        # A concurrent retry with the same key committed first: answer with its update.
        existing = StatusUpdate.objects.filter(key=key).first()
        if existing is None:
            raise
        return existing, False
    return update, True


def record_handover(
    *,
    actor: Any,
    leg: Leg,
    handed_by: str,
    received_by: str,
    boxes: int,
    seals: int,
    seal_numbers: str = "",
    photo: Any = None,
    at: dt.datetime | None = None,
) -> Handover:
    """The berita acara at the end of a leg; the leg becomes handed over. Counts different from the plan are
    kept as reported (the berita acara records what was there) and noted in the audit record."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Leg.objects.select_for_update().get(pk=leg.pk)
        if hasattr(locked, "handover"):
            raise Conflict(_("Berita acara ruas ini sudah ada"))
        ba = Handover(
            leg=locked, handed_by=handed_by.strip(), received_by=received_by.strip(), boxes=boxes, seals=seals,
            seal_numbers=seal_numbers.strip(), at=at, recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )  # fmt: skip
        if photo:
            ba.photo = photo
        try:
            ba.full_clean()
        except ValidationError as exc:
            raise ValidationFailed("; ".join(exc.messages), fields=exc.message_dict) from exc
        ba.save()
        before = snapshot(locked)
        _apply(locked, Leg.Status.HANDED_OVER, at)
        locked.save(update_fields=["status", "actual_depart", "actual_arrive", "handed_over_at"])
        mismatch = (
            "" if (boxes, seals) == (locked.boxes, locked.seals) else f" (plan {locked.boxes}/{locked.seals})"
        )
        record_change(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=ba,
            after=snapshot(ba),
            message=f"handover{mismatch}",
        )
        record_update(actor=actor, obj=locked, before=before, message="handover")
    return ba


def alert_late_legs(*, now: dt.datetime | None = None) -> list[Leg]:
    """Mark the legs not arrived `LATE_GRACE` after their planned arrival, once each, with an audit record.
    Returns the legs alerted now (run every few minutes: `manage.py logistics_alerts`)."""
    now = now or timezone.now()
    with transaction.atomic():
        late = list(
            Leg.objects.select_for_update()
            .filter(
                planned_arrive__lt=now - LATE_GRACE,
                status__in=[Leg.Status.PLANNED, Leg.Status.DEPARTED],
                late_alerted_at__isnull=True,
            )
            .select_related("kecamatan")
        )
        if not late:
            return []
        Leg.objects.filter(pk__in=[x.pk for x in late]).update(late_alerted_at=now)
        AuditEvent.objects.bulk_create(
            [
                audit_event(
                    actor=None,
                    action=AuditEvent.Action.UPDATE,
                    obj=x,
                    message=f"late: planned arrival {timezone.localtime(x.planned_arrive):%Y-%m-%d %H:%M}",
                )
                for x in late
            ]
        )
        for x in late:
            x.late_alerted_at = now
    return late
