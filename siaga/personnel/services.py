"""Writes for personnel and readiness: units, officers, BKO, partner forces, equipment, apel sessions and the
roll-call. All audited; races on the roll-call are settled in the database (conditional UPDATE on `version`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from siaga.core.audit import audit_event, record_change, record_update, save_imported, snapshot
from siaga.core.errors import Conflict, PermissionDenied, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.operations.models import Satgas
from siaga.personnel.models import (
    ApelEntry,
    ApelEquipmentCheck,
    ApelSession,
    BkoAttachment,
    Equipment,
    KitItem,
    PartnerForce,
    Personnel,
    SatgasAssignment,
    Unit,
)
from siaga.personnel.reference import POLRES_FUNCTIONS
from siaga.territory.models import PoliceUnit

# How often a roll-call write re-reads and retries after losing a race to another operator.
MARK_RETRIES = 5


def _validation(exc: ValidationError) -> ValidationFailed:
    fields = (
        {k: [str(m) for m in v] for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
    )
    return ValidationFailed("; ".join(exc.messages), fields=fields)


def _full_clean(obj: Any, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise _validation(exc) from exc


def _create(actor: Any, obj: Any, **clean_kwargs: Any) -> Any:
    _full_clean(obj, **clean_kwargs)
    obj.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, after=snapshot(obj))
    return obj


# --- units -------------------------------------------------------------------------------------------------


@transaction.atomic
def ensure_units(*, polres: PoliceUnit, actor: Any = None) -> list[Unit]:
    """Create the Polres function units and one unit per Polsek/Polsubsektor of the Polres (idempotent)."""
    if polres.level != PoliceUnit.Level.POLRES:
        raise ValidationFailed(_("Satuan induk harus Polres / The parent unit must be a Polres"))
    existing = {(u.police_unit_id, u.function): u for u in Unit.objects.filter(polres=polres)}
    labels = dict(Unit.Function.choices)
    wanted: list[Unit] = []
    for i, function in enumerate(POLRES_FUNCTIONS, start=1):
        if (polres.pk, function) not in existing:
            wanted.append(
                Unit(
                    code=f"{polres.code}--{function.replace('_', '-')}",
                    name=str(labels[function]),
                    polres=polres,
                    police_unit=polres,
                    function=function,
                    order=i,
                )
            )
    territorial = PoliceUnit.objects.filter(kabupaten_id=polres.kabupaten_pk).exclude(
        level=PoliceUnit.Level.POLRES
    )
    for j, pu in enumerate(territorial.order_by("level", "name"), start=1):
        if (pu.pk, "") not in existing:
            wanted.append(
                Unit(
                    code=slugify(pu.code),
                    name=pu.name,
                    polres=polres,
                    police_unit=pu,
                    function="",
                    order=100 + j,
                )
            )
    for unit in wanted:
        _create(actor, unit)
    return list(Unit.objects.filter(polres=polres))


# --- personnel ---------------------------------------------------------------------------------------------

PERSONNEL_FIELDS = ("nrp", "name", "rank", "unit", "position", "desa", "phone", "status")


@transaction.atomic
def create_personnel(*, actor: Any, data: dict[str, Any]) -> Personnel:
    return _create(actor, Personnel(**{k: v for k, v in data.items() if k in PERSONNEL_FIELDS}))


@transaction.atomic
def update_personnel(*, actor: Any, personnel: Personnel, data: dict[str, Any]) -> Personnel:
    before = snapshot(personnel)
    for key, value in data.items():
        if key in PERSONNEL_FIELDS:
            setattr(personnel, key, value)
    _full_clean(personnel)
    personnel.save()
    record_update(actor=actor, obj=personnel, before=before)
    return personnel


# --- BKO and partner forces --------------------------------------------------------------------------------


@transaction.atomic
def create_bko(*, actor: Any, data: dict[str, Any]) -> BkoAttachment:
    bko = BkoAttachment(**data)
    if bko.personnel is not None and not bko.unit_id:
        bko.unit_id = bko.personnel.unit_id
    if bko.unit_id and not bko.polres_id:
        bko.polres_id = bko.unit.polres_id
    return _create(actor, bko)


@transaction.atomic
def end_bko(*, actor: Any, bko: BkoAttachment, ends_on: dt.date) -> BkoAttachment:
    before = snapshot(bko)
    bko.ends_on = ends_on
    _full_clean(bko)
    bko.save(update_fields=["ends_on"])
    record_update(actor=actor, obj=bko, before=before)
    return bko


@transaction.atomic
def create_partner_force(*, actor: Any, data: dict[str, Any]) -> PartnerForce:
    return _create(actor, PartnerForce(**data))


# --- equipment ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_equipment(*, actor: Any, data: dict[str, Any]) -> Equipment:
    return _create(actor, Equipment(**data))


@transaction.atomic
def assign_equipment(*, actor: Any, equipment: Equipment, holder: Personnel | None) -> Equipment:
    """Hand an item to an officer (or take it back with `holder=None`)."""
    before = snapshot(equipment)
    equipment.holder = holder
    _full_clean(equipment)
    equipment.save(update_fields=["holder"])
    record_update(actor=actor, obj=equipment, before=before, message=_("serah terima / handover"))
    return equipment


@transaction.atomic
def set_equipment_condition(*, actor: Any, equipment: Equipment, condition: str) -> Equipment:
    before = snapshot(equipment)
    equipment.condition = condition
    _full_clean(equipment)
    equipment.save(update_fields=["condition"])
    record_update(actor=actor, obj=equipment, before=before)
    return equipment


# --- apel sessions -----------------------------------------------------------------------------------------


@transaction.atomic
def create_apel_session(
    *,
    actor: Any,
    polres: PoliceUnit,
    operation_slug: str,
    kind: str,
    held_on: dt.date,
    place: str,
    note: str = "",
    unit_ids: Iterable[int] | None = None,
) -> ApelSession:
    """Open an apel: snapshot the expected roster (active officers of the units) and the equipment to check."""
    session = ApelSession(
        polres=polres,
        operation_slug=operation_slug,
        kind=kind,
        held_on=held_on,
        place=place,
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _create(actor, session)
    units = Unit.objects.filter(polres=polres)
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    roster = Personnel.objects.filter(unit__in=units, status__in=Personnel.ROSTER_STATUSES).values_list(
        "pk", "unit_id"
    )
    ApelEntry.objects.bulk_create(
        [ApelEntry(session=session, personnel_id=pk, unit_id=unit_id) for pk, unit_id in roster],
        batch_size=500,
    )
    equipment = Equipment.objects.filter(unit__in=units).values_list("pk", flat=True)
    ApelEquipmentCheck.objects.bulk_create(
        [ApelEquipmentCheck(session=session, equipment_id=pk) for pk in equipment], batch_size=500
    )
    return session


def _open_session_for_update(session_id: int) -> ApelSession:
    # Locking the session row serialises marks against `lock_apel` on PostgreSQL; SQLite's IMMEDIATE
    # transactions already serialise writers.
    session = ApelSession.objects.select_for_update().get(pk=session_id)
    if session.is_locked:
        raise Conflict(
            _(
                "Apel sudah dikunci; hasilnya tidak dapat diubah / The apel is locked; its result cannot change"
            )
        )
    return session


def _read_current(model: type[ApelEntry] | type[ApelEquipmentCheck], pk: int) -> Any:
    return model.objects.get(pk=pk)


def _conditional_write(
    model: type[ApelEntry] | type[ApelEquipmentCheck], pk: int, fields_of: Any, actor: Any
) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """Apply `fields_of(current)` only if nobody wrote in between (version unchanged); retry otherwise.

    Every successful write bumps `version` and returns (object, before, after), so each operator's tap gets
    exactly one audit record whose `before` is the state it actually replaced.
    """
    for _attempt in range(MARK_RETRIES):
        current = _read_current(model, pk)
        changes = fields_of(current)
        before = {k: getattr(current, k) for k in changes}
        updated = model.objects.filter(pk=pk, version=current.version).update(
            version=F("version") + 1, **changes
        )
        if updated == 1:
            obj = model.objects.get(pk=pk)
            return obj, before, {k: getattr(obj, k) for k in changes}
    raise Conflict(_("Data sedang diubah petugas lain; coba lagi / Someone else is changing this; try again"))


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def mark_attendance(*, actor: Any, entry: ApelEntry, status: str, reason: str = "") -> ApelEntry:
    """Record one officer's attendance at an apel; each tap is one audited write."""
    if status not in ApelEntry.Status.values:
        raise ValidationFailed(
            _("Status kehadiran tidak dikenal / Unknown attendance status"), fields={"status": [status]}
        )
    reason = reason.strip()[:200]
    if status == ApelEntry.Status.ABSENT and not reason:
        raise ValidationFailed(
            _("Tanpa keterangan harus diberi alasan / Absent needs a reason"),
            fields={"reason": [_("wajib / required")]},
        )
    _open_session_for_update(entry.session_id)
    now = timezone.now()
    obj, before, after = _conditional_write(
        ApelEntry,
        entry.pk,
        lambda cur: {
            "status": status,
            "reason": reason,
            "marked_at": now,
            "marked_by": _actor_or_none(actor),
        },
        actor,
    )
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=obj,
        object_repr=f"{obj.personnel} @ {obj.session}",
        before={"status": before["status"], "reason": before["reason"], "version": obj.version - 1},
        after={"status": after["status"], "reason": after["reason"], "version": obj.version},
        message=_("absensi apel / apel roll-call"),
    )
    return obj


@transaction.atomic
def mark_unit_present(*, actor: Any, session: ApelSession, entries: QuerySet[ApelEntry]) -> list[int]:
    """ "All present" for a unit: every still-unmarked entry of `entries` (already scoped to what the user
    may mark) becomes present in one write; exceptions are then tapped one by one as usual.

    Entries someone already marked are left alone, so an exception tapped before is never overwritten. Each
    entry still gets its own audit record, as with a single tap.
    """
    _open_session_for_update(session.pk)
    # The session row lock (PostgreSQL) or the IMMEDIATE transaction (SQLite) serialises this against single
    # taps and the lock, so the rows read here are the rows the UPDATE changes.
    rows = list(
        entries.filter(session=session, status=ApelEntry.Status.UNMARKED)
        .order_by()
        .values_list("pk", "version", "personnel__name")
    )
    ids = [pk for pk, _v, _n in rows]
    now = timezone.now()
    updated = ApelEntry.objects.filter(pk__in=ids, status=ApelEntry.Status.UNMARKED).update(
        status=ApelEntry.Status.PRESENT,
        reason="",
        marked_at=now,
        marked_by=_actor_or_none(actor),
        version=F("version") + 1,
    )
    if updated != len(ids):  # cannot happen while the session row is locked; refuse rather than guess
        raise Conflict(
            _("Data sedang diubah petugas lain; coba lagi / Someone else is changing this; try again")
        )
    message = _("absensi apel: semua hadir per satuan / apel roll-call: all present for a unit")
    AuditEvent.objects.bulk_create(
        [
            audit_event(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                object_type="personnel.apelentry",
                object_id=pk,
                object_repr=f"{name} @ {session}",
                before={"status": ApelEntry.Status.UNMARKED, "reason": "", "version": version},
                after={"status": ApelEntry.Status.PRESENT, "reason": "", "version": version + 1},
                message=message,
            )
            for pk, version, name in rows
        ],
        batch_size=500,
    )
    return ids


@transaction.atomic
def check_health(*, actor: Any, entry: ApelEntry, health: str) -> ApelEntry:
    if health not in ApelEntry.Health.values:
        raise ValidationFailed(
            _("Status kesehatan tidak dikenal / Unknown health status"), fields={"health": [health]}
        )
    _open_session_for_update(entry.session_id)
    obj, before, after = _conditional_write(ApelEntry, entry.pk, lambda cur: {"health": health}, actor)
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=obj,
        before=before,
        after=after,
        message=_("cek kesehatan / health check"),
    )
    return obj


@transaction.atomic
def check_kit(*, actor: Any, entry: ApelEntry, missing_codes: Iterable[str]) -> ApelEntry:
    """Record an officer's kit check: which checklist items are missing (none: complete)."""
    codes = sorted(set(missing_codes))
    items = list(KitItem.objects.filter(code__in=codes, is_active=True))
    if len(items) != len(codes):
        unknown = sorted(set(codes) - {i.code for i in items})
        raise ValidationFailed(
            _("Perlengkapan tidak dikenal / Unknown kit item: %(c)s") % {"c": ", ".join(unknown)}
        )
    _open_session_for_update(entry.session_id)
    before_missing = sorted(entry.kit_missing.values_list("code", flat=True))
    obj, before, after = _conditional_write(ApelEntry, entry.pk, lambda cur: {"kit_checked": True}, actor)
    obj.kit_missing.set(items)
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=obj,
        before={**before, "kit_missing": before_missing},
        after={**after, "kit_missing": codes},
        message=_("cek perlengkapan / kit check"),
    )
    return obj


@transaction.atomic
def check_equipment(
    *, actor: Any, check: ApelEquipmentCheck, result: str, ready_quantity: int | None = None
) -> ApelEquipmentCheck:
    """Record the check of a vehicle, HT or Almatsus item; a batch records how many of it are ready."""
    if result not in ApelEquipmentCheck.Result.values or result == ApelEquipmentCheck.Result.UNCHECKED:
        raise ValidationFailed(
            _("Hasil cek tidak dikenal / Unknown check result"), fields={"result": [result]}
        )
    quantity = check.equipment.quantity
    if result == ApelEquipmentCheck.Result.READY:
        ready = quantity if ready_quantity is None else ready_quantity
    elif result == ApelEquipmentCheck.Result.UNSERVICEABLE:
        ready = 0 if ready_quantity is None else ready_quantity
    else:
        ready = 0
    if not 0 <= ready <= quantity:
        raise ValidationFailed(
            _("Jumlah siap 0-%(n)s / Ready count 0-%(n)s") % {"n": quantity},
            fields={"ready_quantity": [str(ready)]},
        )
    if quantity > 1 and result != ApelEquipmentCheck.Result.MISSING:
        # A batch is ready only when all of it is.
        result = (
            ApelEquipmentCheck.Result.READY if ready == quantity else ApelEquipmentCheck.Result.UNSERVICEABLE
        )
    _open_session_for_update(check.session_id)
    now = timezone.now()
    obj, before, after = _conditional_write(
        ApelEquipmentCheck,
        check.pk,
        lambda cur: {
            "result": result,
            "ready_quantity": ready,
            "checked_at": now,
            "checked_by": _actor_or_none(actor),
        },
        actor,
    )
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=obj,
        object_repr=f"{check.equipment} @ {check.session}",
        before={"result": before["result"], "ready_quantity": before["ready_quantity"]},
        after={"result": after["result"], "ready_quantity": after["ready_quantity"]},
        message=_("cek peralatan apel / apel equipment check"),
    )
    return obj


@transaction.atomic
def lock_apel(*, actor: Any, session: ApelSession) -> ApelSession:
    """The commander closes the apel: from now on its result is final and feeds the available strength."""
    from siaga.accounts.roles import can

    if not can(actor, "lock_apel"):
        raise PermissionDenied(_("Peran Anda tidak boleh mengunci apel / Your role may not lock an apel"))
    unmarked = ApelEntry.objects.filter(session=session, status=ApelEntry.Status.UNMARKED).count()
    if unmarked:
        raise Conflict(
            _("Masih ada %(n)s personel belum diabsen / %(n)s officers are not yet marked") % {"n": unmarked},
            code="apel_incomplete",
        )
    now = timezone.now()
    # Conditional: two commanders pressing "lock" at once produce one lock and one audit record.
    updated = ApelSession.objects.filter(pk=session.pk, locked_at__isnull=True).update(
        locked_at=now, locked_by=actor
    )
    if updated != 1:
        raise Conflict(_("Apel sudah dikunci / The apel is already locked"), code="apel_locked")
    session.refresh_from_db()
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=session,
        before={"locked_at": None},
        after={"locked_at": session.locked_at, "locked_by": actor.pk},
        message=_("apel dikunci / apel locked"),
    )
    return session


# --- personnel import (DSP) --------------------------------------------------------------------------------

PERSONNEL_COLUMNS = ["nrp", "nama", "pangkat", "satuan"]
PERSONNEL_OPTIONAL_COLUMNS = ["jabatan", "telepon", "status", "kode_desa_binaan"]
PERSONNEL_COLUMNS_HELP = "nrp, nama, pangkat, satuan, [jabatan, telepon, status, kode_desa_binaan]"

STATUS_ALIASES = {
    "": Personnel.Status.ACTIVE,
    "aktif": Personnel.Status.ACTIVE,
    "active": Personnel.Status.ACTIVE,
    "pendidikan": Personnel.Status.TRAINING,
    "dik": Personnel.Status.TRAINING,
    "training": Personnel.Status.TRAINING,
    "mutasi": Personnel.Status.TRANSFERRED,
    "mutasi keluar": Personnel.Status.TRANSFERRED,
    "transferred": Personnel.Status.TRANSFERRED,
    "pensiun": Personnel.Status.RETIRED,
    "retired": Personnel.Status.RETIRED,
}


def _key(text: str) -> str:
    """Normalise a rank or unit name as people type it: 'Sat. Samapta' == 'sat samapta' == 'SATSAMAPTA'."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _rank_lookup() -> dict[str, Any]:
    from siaga.personnel.models import Rank
    from siaga.personnel.reference import RANK_ALIASES

    out: dict[str, Any] = {}
    for rank in Rank.objects.all():
        for label in (rank.code, rank.abbreviation, rank.name, rank.abbreviation.replace(" Pol", "")):
            out[_key(label)] = rank
    for alias, code in RANK_ALIASES.items():
        match = next((r for r in out.values() if r.code == code), None)
        if match is not None:
            out.setdefault(_key(alias), match)
    return out


def _unit_lookup(polres: PoliceUnit) -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    for unit in Unit.objects.filter(polres=polres).select_related("police_unit"):
        for label in (unit.code, unit.name, unit.police_unit.name if unit.is_polsek else ""):
            if label:
                out[_key(label)] = unit
    return out


def import_personnel(
    *, polres: PoliceUnit, source: Any, filename: str | None = None, actor: Any = None, report: Any = None
) -> dict[str, Any]:
    """Import a personnel list (DSP) from CSV or XLSX. Any bad row refuses the whole file with row-level
    errors; re-importing the same file changes nothing."""
    from siaga.core.errors import ImportRejected, RowError
    from siaga.core.tabular import read_table, require_columns
    from siaga.territory.models import Desa

    progress = report or (lambda p, m="": None)
    progress(2, _("Membaca berkas / Reading the file"))
    header, rows = read_table(source, filename=filename)
    missing = require_columns(header, PERSONNEL_COLUMNS)
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada / Required columns missing: %(c)s. Kolom: %(h)s")
            % {"c": ", ".join(missing), "h": PERSONNEL_COLUMNS_HELP},
            [RowError(1, _("kolom tidak ada / missing column"), column=c) for c in missing],
        )
    with transaction.atomic():
        ensure_units(polres=polres, actor=actor)
        rank_of = _rank_lookup()
        unit_of = _unit_lookup(polres)
        desa_of = {d.code: d.pk for d in Desa.objects.filter(kecamatan__kabupaten_id=polres.kabupaten_pk)}
        errors: list[RowError] = []
        parsed: list[dict[str, Any]] = []
        seen: dict[str, int] = {}
        nrp_validator = Personnel._meta.get_field("nrp").validators[0]
        for i, row in enumerate(rows):
            if i % 200 == 0:
                progress(5 + 40 * i / max(1, len(rows)), _("Memeriksa baris / Checking rows"))
            nrp = row.get("nrp").replace(" ", "").replace(".", "")
            row_errors: list[RowError] = []
            try:
                nrp_validator(nrp)
            except ValidationError:
                row_errors.append(
                    RowError(
                        row.number,
                        _("NRP harus 8 digit / NRP must be 8 digits: %(v)s") % {"v": nrp},
                        column="nrp",
                    )
                )
            if nrp in seen:
                row_errors.append(
                    RowError(
                        row.number,
                        _("NRP ganda (sama dengan baris %(r)s) / duplicate NRP: %(v)s")
                        % {"r": seen[nrp], "v": nrp},
                        column="nrp",
                    )
                )
            else:
                seen[nrp] = row.number
            name = row.get("nama")
            if not name:
                row_errors.append(RowError(row.number, _("nama kosong / name empty"), column="nama"))
            rank = rank_of.get(_key(row.get("pangkat")))
            if rank is None:
                row_errors.append(
                    RowError(
                        row.number,
                        _("pangkat tidak dikenal / unknown rank: %(v)s") % {"v": row.get("pangkat")},
                        column="pangkat",
                    )
                )
            unit = unit_of.get(_key(row.get("satuan")))
            if unit is None:
                row_errors.append(
                    RowError(
                        row.number,
                        _("satuan tidak dikenal / unknown unit: %(v)s") % {"v": row.get("satuan")},
                        column="satuan",
                    )
                )
            status = STATUS_ALIASES.get(row.get("status").lower())
            if status is None:
                row_errors.append(
                    RowError(
                        row.number,
                        _("status tidak dikenal / unknown status: %(v)s") % {"v": row.get("status")},
                        column="status",
                    )
                )
            desa_code = row.get("kode_desa_binaan")
            desa_id = desa_of.get(desa_code) if desa_code else None
            if desa_code and desa_id is None:
                row_errors.append(
                    RowError(
                        row.number,
                        _("desa tidak dikenal / unknown desa: %(v)s") % {"v": desa_code},
                        column="kode_desa_binaan",
                    )
                )
            if row_errors:
                errors.extend(row_errors)
                continue
            parsed.append(
                {
                    "nrp": nrp,
                    "name": name[:150],
                    "rank_id": rank.pk,  # type: ignore[union-attr]
                    "unit_id": unit.pk,  # type: ignore[union-attr]
                    "position": row.get("jabatan")[:120],
                    "phone": row.get("telepon")[:40],
                    "status": status,
                    "desa_id": desa_id,
                }
            )
        if errors:
            raise ImportRejected(
                _("%(n)s baris bermasalah; tidak ada yang diimpor / %(n)s bad rows; nothing was imported")
                % {"n": len({e.row for e in errors})},
                errors,
            )
        progress(50, _("Menyimpan / Saving"))
        existing = {
            p.nrp: p
            for p in Personnel.objects.select_related("unit").filter(nrp__in=[r["nrp"] for r in parsed])
        }
        foreign = [n for n, p in existing.items() if p.unit.polres_id != polres.pk]
        if foreign:
            raise ImportRejected(
                _("NRP terdaftar di Polres lain / NRP belongs to another Polres"),
                [
                    RowError(
                        seen[n],
                        _("NRP terdaftar di Polres lain / NRP belongs to another Polres: %(v)s") % {"v": n},
                        column="nrp",
                    )
                    for n in foreign
                ],
            )
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for i, data in enumerate(parsed):
            if i % 200 == 0:
                progress(50 + 48 * i / max(1, len(parsed)), _("Menyimpan / Saving"))
            counts[
                save_imported(actor=actor, model=Personnel, existing=existing.get(data["nrp"]), data=data)
            ] += 1
        result = {**counts, "rows": len(parsed)}
        record_change(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type="personnel.personnel",
            object_repr=filename or "personel",
            after=result,
            source=AuditEvent.Source.IMPORT,
        )
    progress(100, _("Selesai / Done"))
    return result


# --- satgas membership -------------------------------------------------------------------------------------


@transaction.atomic
def assign_to_satgas(
    *,
    actor: Any,
    personnel: Personnel,
    satgas: Satgas,
    from_on: dt.date,
    to_on: dt.date | None = None,
    role: str = "",
) -> SatgasAssignment:
    """Put an officer in a satgas of an operation (once per satgas; the database refuses a second row)."""
    if personnel.unit.polres_id != satgas.operation.polres_id:
        raise ValidationFailed(
            _("Personel bukan dari Polres operasi ini / The officer is not of this operation's Polres"),
            fields={"personnel": [_("Polres lain / another Polres")]},
        )
    if SatgasAssignment.objects.filter(personnel=personnel, satgas=satgas).exists():
        raise Conflict(_("Personel sudah di satgas ini / The officer is already in this satgas"))
    assignment = SatgasAssignment(
        personnel=personnel, satgas=satgas, role=role.strip(), from_on=from_on, to_on=to_on
    )
    return _create(actor, assignment)


@transaction.atomic
def unassign_from_satgas(*, actor: Any, assignment: SatgasAssignment) -> None:
    """Take an officer out of a satgas; the audit trail keeps what the assignment was."""
    before = snapshot(assignment)
    record_change(actor=actor, action=AuditEvent.Action.DELETE, obj=assignment, before=before)
    assignment.delete()
