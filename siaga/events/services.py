"""Writes for events: entry and import (STTP), the security plan, officers, the day and the after-action report.

Every write is atomic, validated (full_clean) and audited. Officers are put on an event only when no other
duty (guard shift, PAM TPS, escort, another event) holds them at that time (`siaga.core.duties`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from siaga.core import duties
from siaga.core.audit import record_change, record_update, snapshot
from siaga.core.errors import Conflict, ImportRejected, RowError, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.core.tabular import read_table, require_columns
from siaga.events import rules
from siaga.events.commitments import duty_window
from siaga.events.models import Assignment, Event, Sector
from siaga.operations.models import Election
from siaga.personnel.models import Personnel
from siaga.territory.models import Kecamatan

EDITABLE = (
    "kind", "stage", "title", "organiser", "candidate", "party", "campaign_form", "speakers", "kecamatan",
    "place", "lat", "lng", "starts_at", "ends_at", "crowd", "vehicles", "vehicle_types", "props", "risk",
    "risk_notes", "sttp_number", "sttp_applied_on", "sttp_issued_on",
)  # fmt: skip

# Default sector names per ring (stored in Indonesian, the Sprin's language).
RING_SECTORS = {
    Sector.Ring.INNER: "Sektor A (area inti)",
    Sector.Ring.MIDDLE: "Sektor B (pintu masuk)",
    Sector.Ring.OUTER: "Sektor C (luar dan lalu lintas)",
}
# Default tasks per ring, also stored in Indonesian (Polres practice for debates and registration: sectors x tasks).
RING_TASKS = {
    Sector.Ring.INNER: "Pengamanan area inti, tokoh/VIP dan panggung",
    Sector.Ring.MIDDLE: "Pintu masuk, pemeriksaan barang, media dan massa pendukung",
    Sector.Ring.OUTER: "Sektor luar, parkir dan pengaturan lalu lintas",
}


def _validation(exc: ValidationError) -> ValidationFailed:
    fields = (
        {k: [str(m) for m in v] for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
    )
    message = "; ".join(m for msgs in fields.values() for m in msgs) or "; ".join(exc.messages)
    return ValidationFailed(message, fields=fields)


def _full_clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise _validation(exc) from exc


def create_event(
    *, actor: Any, election: Election, fields: Mapping[str, Any], is_synthetic: bool = False
) -> Event:
    with transaction.atomic():
        event = Event(
            election=election, is_synthetic=is_synthetic, **{k: fields[k] for k in EDITABLE if k in fields}
        )
        _full_clean(event)
        event.save()
        record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=event, after=snapshot(event))
    return event


def update_event(*, actor: Any, event: Event, fields: Mapping[str, Any]) -> Event:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        before = snapshot(event)
        for k in EDITABLE:
            if k in fields:
                setattr(event, k, fields[k])
        _full_clean(event)
        event.save()
        if event.assignments.exists():
            _check_officers_free(event, list(event.assignments.values_list("personnel_id", flat=True)))
        record_update(actor=actor, obj=event, before=before)
    return event


# One transition function for the event's state machine.
TRANSITIONS = {
    Event.Status.PLANNED: {Event.Status.ONGOING, Event.Status.CANCELLED},
    Event.Status.ONGOING: {Event.Status.DONE},
    Event.Status.DONE: set(),
    Event.Status.CANCELLED: {Event.Status.PLANNED},
}


def set_event_status(*, actor: Any, event: Event, status: str, note: str = "") -> Event:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if status != event.status and status not in TRANSITIONS[Event.Status(event.status)]:
            raise Conflict(
                _("Status %(from)s tidak bisa menjadi %(to)s")
                % {"from": event.get_status_display(), "to": Event.Status(status).label},
                code="bad_transition",
            )
        before = snapshot(event)
        event.status = status
        if note:
            event.live_note = note[:300]
        event.save(update_fields=["status", "live_note"])
        record_update(actor=actor, obj=event, before=before)
    return event


def record_after_action(*, actor: Any, event: Event, text: str) -> Event:
    text = text.strip()
    if not text:
        raise ValidationFailed(_("Laporan tidak boleh kosong"), fields={"text": ["?"]})
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        before = snapshot(event)
        event.after_action = text
        event.after_action_at = timezone.now()
        if event.status in (Event.Status.PLANNED, Event.Status.ONGOING):
            event.status = Event.Status.DONE
        event.save(update_fields=["after_action", "after_action_at", "status"])
        record_update(actor=actor, obj=event, before=before, message="after-action")
    return event


# --- the security plan ---------------------------------------------------------------------------------------


def plan_sectors(*, actor: Any, event: Event) -> list[Sector]:
    """(Re)build the sectors from the required strength: one sector per ring with the ring's default task.
    Sectors that already have officers are kept; the others are replaced."""
    need = rules.required_strength(crowd=event.crowd, vehicles=event.vehicles, risk=event.risk)
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=event.pk)
        event.sectors.filter(assignments__isnull=True).delete()
        kept = {s.ring for s in event.sectors.all()}
        for i, ring in enumerate(rules.RINGS):
            if ring in kept:
                continue
            sector = Sector(
                event=event, ring=ring, name=RING_SECTORS[Sector.Ring(ring)], task=RING_TASKS[Sector.Ring(ring)],
                required=need[ring], order=i,
            )  # fmt: skip
            _full_clean(sector)
            sector.save()
            record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=sector, after=snapshot(sector))
    return list(event.sectors.all())


def save_sector(
    *, actor: Any, event: Event, sector: Sector | None, ring: str, name: str, task: str, required: int
) -> Sector:
    with transaction.atomic():
        if sector is None:
            sector = Sector(event=event, order=event.sectors.count())
            before = None
        else:
            before = snapshot(sector)
        sector.ring, sector.name, sector.task, sector.required = ring, name, task, required
        _full_clean(sector)
        sector.save()
        if before is None:
            record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=sector, after=snapshot(sector))
        else:
            record_update(actor=actor, obj=sector, before=before)
    return sector


def _check_officers_free(event: Event, personnel_ids: Sequence[int]) -> None:
    start, end = duty_window(event)
    busy = duties.busy_periods(
        personnel_ids=personnel_ids, start=start, end=end, ignore_prefix=f"events.event:{event.pk}"
    )
    if busy:
        names = dict(Personnel.objects.filter(pk__in=busy).values_list("pk", "name"))
        detail = "; ".join(
            f"{names.get(pid, pid)}: {rows[0].label} ({timezone.localtime(rows[0].start):%d-%m %H:%M}"
            f"-{timezone.localtime(rows[0].end):%d-%m %H:%M})"
            for pid, rows in sorted(busy.items())
        )
        raise Conflict(
            _("Personel sudah bertugas di waktu yang sama: %(detail)s") % {"detail": detail},
            code="duty_overlap",
        )


def assign_officers(
    *,
    actor: Any,
    event: Event,
    sector: Sector | None,
    personnel_ids: Sequence[int],
    role: str = Assignment.Role.MEMBER,
) -> list[Assignment]:
    """Put officers on the event (in a sector, or as commander). Refused if any is on another duty then."""
    if sector is not None and sector.event_id != event.pk:
        raise ValidationFailed(_("Sektor bukan milik kegiatan ini"))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        ids = [pid for pid in dict.fromkeys(personnel_ids)]
        existing = set(event.assignments.filter(personnel_id__in=ids).values_list("personnel_id", flat=True))
        if existing:
            raise Conflict(_("Personel sudah ada di rencana kegiatan ini"))
        _check_officers_free(event, ids)
        if role == Assignment.Role.COMMANDER and (
            len(ids) != 1 or event.assignments.filter(role=role).exists()
        ):
            raise Conflict(_("Kegiatan hanya punya satu komandan"))
        created = []
        for pid in ids:
            row = Assignment(event=event, sector=sector, personnel_id=pid, role=role)
            _full_clean(row)
            row.save()
            created.append(row)
            record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=row, after=snapshot(row))
    return created


def remove_assignment(*, actor: Any, assignment: Assignment) -> None:
    with transaction.atomic():
        before = snapshot(assignment)
        record_change(actor=actor, action=AuditEvent.Action.DELETE, obj=assignment, before=before)
        assignment.delete()


def fill_plan(*, actor: Any, event: Event, pool: Iterable[Personnel]) -> int:
    """Fill every sector up to its need from `pool` (in order), skipping officers on other duties then;
    the first free perwira-less officer becomes commander if there is none. Returns officers added."""
    start, end = duty_window(event)
    candidates = [p.pk for p in pool]
    busy = duties.busy_periods(
        personnel_ids=candidates, start=start, end=end, ignore_prefix=f"events.event:{event.pk}"
    )
    taken = set(event.assignments.values_list("personnel_id", flat=True))
    free = [pid for pid in candidates if pid not in busy and pid not in taken]
    added = 0
    with transaction.atomic():
        if not event.assignments.filter(role=Assignment.Role.COMMANDER).exists() and free:
            assign_officers(
                actor=actor, event=event, sector=None, personnel_ids=[free.pop(0)], role="commander"
            )
            added += 1
        for sector in event.sectors.all():
            short = sector.required - sector.assignments.count()
            if short <= 0:
                continue
            chosen, free = free[:short], free[short:]
            if chosen:
                assign_officers(actor=actor, event=event, sector=sector, personnel_ids=chosen)
                added += len(chosen)
    return added


def check_in(*, actor: Any, assignment: Assignment, at: dt.datetime | None = None) -> Assignment:
    """An officer (or team) reports present at the event; checking in twice keeps the first time."""
    with transaction.atomic():
        row = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if row.checked_in_at is not None:
            return row
        before = snapshot(row)
        row.checked_in_at = at or timezone.now()
        row.checked_in_by = actor if getattr(actor, "is_authenticated", False) else None
        row.save(update_fields=["checked_in_at", "checked_in_by"])
        record_update(actor=actor, obj=row, before=before, message="check-in")
    return row


# --- import ----------------------------------------------------------------------------------------------------

IMPORT_COLUMNS = ("jenis", "nama_kegiatan", "kecamatan", "tempat", "lat", "lng", "mulai", "selesai")
KIND_WORDS = {
    "kpu": Event.Kind.KPU, "kegiatan kpu": Event.Kind.KPU, "kampanye": Event.Kind.CAMPAIGN,
    "campaign": Event.Kind.CAMPAIGN, "debat": Event.Kind.DEBATE, "debate": Event.Kind.DEBATE,
    "pleno": Event.Kind.PLENO, "lainnya": Event.Kind.OTHER, "other": Event.Kind.OTHER,
}  # fmt: skip
RISK_WORDS = {
    "rendah": "low",
    "low": "low",
    "sedang": "medium",
    "medium": "medium",
    "tinggi": "high",
    "high": "high",
}


def _parse_when(value: str) -> dt.datetime | None:
    value = value.strip().replace("/", "-")
    parsed = parse_datetime(value.replace(" ", "T", 1)) if value else None
    if parsed is None:
        for fmt in ("%d-%m-%Y %H:%M", "%d-%m-%Y %H.%M", "%Y-%m-%d %H:%M:%S"):
            try:
                parsed = dt.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def _parse_day(value: str) -> dt.date | None:
    value = value.strip().replace("/", "-")
    if not value:
        return None
    day = parse_date(value[:10])
    if day is None:
        try:
            day = dt.datetime.strptime(value[:10], "%d-%m-%Y").date()
        except ValueError:
            return None
    return day


def import_events(
    *,
    actor: Any,
    election: Election,
    source: str | IO[bytes],
    filename: str | None = None,
    allowed_kecamatan: set[int] | None = None,
) -> dict[str, int]:
    """Import events from CSV/XLSX (columns in docs/events.md). Every row is checked first; any error rejects
    the whole file with row-level errors. A row with the same STTP number (else the same name and start) as
    an event already there updates it, so importing the same file again changes nothing."""
    headers, rows = read_table(source, filename=filename)
    missing = require_columns(headers, IMPORT_COLUMNS)
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)},
            [RowError(1, _("kolom tidak ada: %(col)s") % {"col": c}, column=c) for c in missing],
        )
    kecamatan = {k.name.casefold(): k for k in Kecamatan.objects.all()}
    errors: list[RowError] = []
    parsed: list[dict[str, Any]] = []
    for row in rows:
        n = row.number
        data: dict[str, Any] = {}
        kind = KIND_WORDS.get(row.get("jenis").strip().casefold())
        if kind is None:
            errors.append(
                RowError(n, _("jenis tidak dikenal: %(v)s") % {"v": row.get("jenis")}, column="jenis")
            )
            continue
        data["kind"] = kind
        data["title"] = row.get("nama_kegiatan").strip()
        kec = kecamatan.get(row.get("kecamatan").strip().casefold())
        if kec is None:
            errors.append(
                RowError(
                    n, _("kecamatan tidak dikenal: %(v)s") % {"v": row.get("kecamatan")}, column="kecamatan"
                )
            )
            continue
        if allowed_kecamatan is not None and kec.pk not in allowed_kecamatan:
            errors.append(RowError(n, _("kecamatan di luar wilayah Anda"), column="kecamatan"))
            continue
        data["kecamatan"] = kec
        data["place"] = row.get("tempat").strip()
        try:
            data["lat"] = float(row.get("lat").replace(",", "."))
            data["lng"] = float(row.get("lng").replace(",", "."))
        except ValueError:
            errors.append(RowError(n, _("koordinat bukan angka"), column="lat"))
            continue
        for col, key in (("mulai", "starts_at"), ("selesai", "ends_at")):
            when = _parse_when(row.get(col))
            if when is None:
                errors.append(RowError(n, _("waktu tidak terbaca (contoh 2024-01-20 09:00)"), column=col))
            data[key] = when
        for col, key in (("massa", "crowd"), ("kendaraan", "vehicles")):
            raw = row.get(col).strip().replace(".", "")
            if raw and not raw.isdigit():
                errors.append(RowError(n, _("harus bilangan bulat"), column=col))
            data[key] = int(raw) if raw.isdigit() else 0
        risk = row.get("kerawanan").strip().casefold()
        if risk and risk not in RISK_WORDS:
            errors.append(RowError(n, _("kerawanan: rendah, sedang atau tinggi"), column="kerawanan"))
        data["risk"] = RISK_WORDS.get(risk, "low")
        for col, key in (("tanggal_pemberitahuan", "sttp_applied_on"), ("tanggal_sttp", "sttp_issued_on")):
            raw = row.get(col)
            day = _parse_day(raw)
            if raw.strip() and day is None:
                errors.append(RowError(n, _("tanggal tidak terbaca"), column=col))
            data[key] = day
        for col, key in (
            ("penanggung_jawab", "organiser"), ("calon", "candidate"), ("partai", "party"),
            ("bentuk_kampanye", "campaign_form"), ("juru_kampanye", "speakers"), ("jenis_kendaraan", "vehicle_types"),
            ("alat_peraga", "props"), ("catatan_kerawanan", "risk_notes"), ("nomor_sttp", "sttp_number"),
        ):  # fmt: skip
            data[key] = row.get(col).strip()
        probe = Event(election=election, **data)
        try:
            probe.full_clean(exclude=["election"])
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                for m in msgs:
                    errors.append(RowError(n, m, column=None if field == "__all__" else field))
            continue
        parsed.append(data)
    if errors:
        raise ImportRejected(_("Impor ditolak: perbaiki baris yang salah"), errors)
    created = updated = 0
    with transaction.atomic():
        for data in parsed:
            match = Event.objects.filter(election=election)
            match = (
                match.filter(sttp_number=data["sttp_number"])
                if data["sttp_number"]
                else match.filter(title=data["title"], starts_at=data["starts_at"])
            )
            existing = match.first()
            if existing is None:
                create_event(actor=actor, election=election, fields=data)
                created += 1
            else:
                changed = {k: v for k, v in data.items() if getattr(existing, k) != v}
                if not changed:
                    continue
                before = snapshot(existing)
                for k, v in changed.items():
                    setattr(existing, k, v)
                _full_clean(existing)
                existing.save()
                record_update(actor=actor, obj=existing, before=before, message="import")
                updated += 1
    return {"rows": len(parsed), "created": created, "updated": updated}
