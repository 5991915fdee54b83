"""Imports of equipment, BKO and partner forces (CSV or XLSX), like the personnel (DSP) import.

Services (writes), kept apart from `services.py` for its size. Every row is checked first; any bad row refuses
the whole file with row-level errors and nothing is saved. Rows are matched to what exists by a natural key
(below), so importing the same file twice changes nothing and a corrected file updates in place. Every create
and update is audited with the import as its source. Codes or labels are accepted where the list shows labels
(Siaga's own XLSX/CSV export of the equipment list re-imports).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from siaga.core.audit import record_change, save_imported
from siaga.core.errors import ImportRejected, RowError
from siaga.core.jobs import Progress, no_progress
from siaga.core.models import AuditEvent
from siaga.core.tabular import Row, read_table, require_columns
from siaga.personnel.models import BkoAttachment, Equipment, PartnerForce, Personnel, Unit
from siaga.personnel.services import _key, _unit_lookup, ensure_units
from siaga.territory.models import Desa, Kecamatan, PoliceUnit

# Model field -> the file's column, so a model's own validation error names the column the user sees.
FIELD_COLUMNS = {
    "identifier": "nopol_seri",
    "quantity": "jumlah",
    "count": "jumlah",
    "holder": "pemegang_nrp",
    "personnel": "nrp",
    "person_name": "nama",
    "starts_on": "mulai",
    "ends_on": "selesai",
    "kecamatan": "kode_kecamatan",
    "desa": "kode_desa",
    "unit": "satuan",
    "kind": "jenis",
}


def _error(number: int, message: str, column: str = "") -> RowError:
    return RowError(number, message, column=column or None)


def _choices(choices: type[models.TextChoices], *extra: tuple[str, str]) -> dict[str, str]:
    """Code, Indonesian label and English label of each choice (normalised) -> code."""
    out: dict[str, str] = {}
    for language in ("id", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                out[_key(str(label))] = value
    for value in choices.values:
        out[_key(value)] = value
    for alias, value in extra:
        out[_key(alias)] = value
    return out


def _date(raw: str) -> dt.date | None:
    raw = raw.strip()
    for fmt, text in (("%Y-%m-%d", raw[:10]), ("%d/%m/%Y", raw), ("%d-%m-%Y", raw)):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _count(raw: str) -> int | None:
    try:
        value = int(float(raw.replace(",", "."))) if raw.strip() else 1
    except ValueError:
        return None
    return value if value >= 1 else None


@dataclass
class Context:
    """What the row parsers look things up in, built once per file."""

    polres: PoliceUnit
    units: dict[str, Unit]
    personnel: dict[str, Personnel]
    kecamatan: dict[str, Kecamatan]
    desa: dict[str, Desa]
    operations: set[str]


@dataclass(frozen=True)
class Spec:
    kind: str
    model: type[models.Model]
    required: list[str]
    help: str
    parse: Callable[[Row, Context, list[RowError]], dict[str, Any] | None]
    key: Callable[[dict[str, Any]], tuple[Any, ...]]
    existing: Callable[[PoliceUnit], models.QuerySet[Any]]


def _check_operation(row: Row, ctx: Context, errors: list[RowError]) -> str:
    slug = row.get("operasi").strip()
    if slug and slug not in ctx.operations:
        errors.append(
            _error(row.number, _("operasi tidak dikenal / unknown operation: %(v)s") % {"v": slug}, "operasi")
        )
    return slug


def _unit(row: Row, ctx: Context, errors: list[RowError], column: str = "satuan") -> Unit | None:
    unit = ctx.units.get(_key(row.get(column)))
    if unit is None:
        errors.append(
            _error(
                row.number, _("satuan tidak dikenal / unknown unit: %(v)s") % {"v": row.get(column)}, column
            )
        )
    return unit


# --- equipment ---------------------------------------------------------------------------------------------

EQUIPMENT_KINDS = _choices(Equipment.Kind, ("motor", "motorcycle"), ("mobil", "car"), ("radio", "ht"))
CONDITIONS = _choices(Equipment.Condition, ("baik", "good"), ("rr", "light_damage"), ("rb", "heavy_damage"))
EQUIPMENT_HELP = "jenis, satuan, [nopol_seri, keterangan, jumlah, kondisi, pemegang_nrp]"


def _parse_equipment(row: Row, ctx: Context, errors: list[RowError]) -> dict[str, Any] | None:
    before = len(errors)
    kind = EQUIPMENT_KINDS.get(_key(row.get("jenis")))
    if kind is None:
        errors.append(
            _error(
                row.number,
                _("jenis tidak dikenal / unknown kind: %(v)s (pilihan / choices: %(c)s)")
                % {"v": row.get("jenis"), "c": ", ".join(Equipment.Kind.values)},
                "jenis",
            )
        )
    unit = _unit(row, ctx, errors)
    condition = CONDITIONS.get(_key(row.get("kondisi") or "good"))
    if condition is None:
        errors.append(
            _error(
                row.number,
                _("kondisi tidak dikenal / unknown condition: %(v)s") % {"v": row.get("kondisi")},
                "kondisi",
            )
        )
    quantity = _count(row.get("jumlah"))
    if quantity is None:
        errors.append(_error(row.number, _("jumlah harus angka >= 1 / count must be >= 1"), "jumlah"))
    holder = None
    nrp = row.get("pemegang_nrp").replace(" ", "").replace(".", "")
    if nrp:
        holder = ctx.personnel.get(nrp)
        if holder is None:
            errors.append(
                _error(
                    row.number,
                    _("NRP pemegang tidak dikenal / unknown holder NRP: %(v)s") % {"v": nrp},
                    "pemegang_nrp",
                )
            )
    if len(errors) > before:
        return None
    return {
        "kind": kind,
        "identifier": row.get("nopol_seri").upper()[:40]
        if kind in ("motorcycle", "car", "truck")
        else row.get("nopol_seri")[:40],
        "description": row.get("keterangan")[:150],
        "unit": unit,
        "quantity": quantity,
        "condition": condition,
        "holder": holder,
    }


def _equipment_key(data: dict[str, Any]) -> tuple[Any, ...]:
    # A numbered item is itself; an unnumbered batch is the unit's batch of that kind and description.
    if data["identifier"]:
        return ("id", data["kind"], data["identifier"])
    return ("batch", data["kind"], data["unit"].pk, data["description"])


# --- BKO ---------------------------------------------------------------------------------------------------

DIRECTIONS = _choices(BkoAttachment.Direction, ("masuk", "in"), ("keluar", "out"))
ORIGINS = _choices(BkoAttachment.Origin, ("brimob", "brimob"), ("lainnya", "other"))
BKO_HELP = "arah (masuk/keluar), asal (brimob/polda/polres/lainnya), nama_satuan_asal, satuan, mulai, [nrp, nama, jumlah, selesai, operasi, catatan]"


def _parse_bko(row: Row, ctx: Context, errors: list[RowError]) -> dict[str, Any] | None:
    before = len(errors)
    direction = DIRECTIONS.get(_key(row.get("arah")))
    if direction is None:
        errors.append(
            _error(row.number, _("arah harus masuk atau keluar / direction must be masuk or keluar"), "arah")
        )
    origin = ORIGINS.get(_key(row.get("asal")))
    if origin is None:
        errors.append(
            _error(
                row.number,
                _("asal tidak dikenal / unknown origin: %(v)s (pilihan / choices: %(c)s)")
                % {"v": row.get("asal"), "c": ", ".join(BkoAttachment.Origin.values)},
                "asal",
            )
        )
    origin_name = row.get("nama_satuan_asal")[:150]
    if not origin_name:
        errors.append(
            _error(row.number, _("nama satuan asal kosong / origin unit name empty"), "nama_satuan_asal")
        )
    personnel = None
    nrp = row.get("nrp").replace(" ", "").replace(".", "")
    if nrp:
        personnel = ctx.personnel.get(nrp)
        if personnel is None:
            errors.append(_error(row.number, _("NRP tidak dikenal / unknown NRP: %(v)s") % {"v": nrp}, "nrp"))
    elif direction == BkoAttachment.Direction.OUT:
        errors.append(
            _error(row.number, _("BKO keluar harus menyebut NRP / Outgoing BKO names an NRP"), "nrp")
        )
    unit = personnel.unit if personnel is not None and not row.get("satuan") else _unit(row, ctx, errors)
    starts_on = _date(row.get("mulai"))
    if starts_on is None:
        errors.append(
            _error(
                row.number,
                _("tanggal mulai tidak sah / bad start date: %(v)s") % {"v": row.get("mulai")},
                "mulai",
            )
        )
    ends_on = _date(row.get("selesai")) if row.get("selesai") else None
    if row.get("selesai") and ends_on is None:
        errors.append(
            _error(
                row.number,
                _("tanggal selesai tidak sah / bad end date: %(v)s") % {"v": row.get("selesai")},
                "selesai",
            )
        )
    count = _count(row.get("jumlah"))
    if count is None:
        errors.append(_error(row.number, _("jumlah harus angka >= 1 / count must be >= 1"), "jumlah"))
    operation = _check_operation(row, ctx, errors)
    if len(errors) > before:
        return None
    return {
        "direction": direction,
        "origin": origin,
        "origin_name": origin_name,
        "polres": ctx.polres,
        "unit": unit,
        "personnel": personnel,
        "person_name": "" if personnel is not None else row.get("nama")[:150],
        "count": count,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "operation_slug": operation,
        "note": row.get("catatan")[:300],
    }


def _bko_key(data: dict[str, Any]) -> tuple[Any, ...]:
    who = data["personnel"].pk if data["personnel"] is not None else data["person_name"]
    return (data["direction"], data["origin_name"], data["unit"].pk, who, data["starts_on"])


# --- partner forces ----------------------------------------------------------------------------------------

PARTNER_KINDS = _choices(PartnerForce.Kind, ("satpolpp", "satpol_pp"), ("lainnya", "other"))
PARTNER_HELP = "jenis (tni/linmas/satpol_pp/lainnya), satuan, kode_kecamatan, [kode_desa, nama, pangkat_jabatan, telepon, jumlah, operasi]"


def _parse_partner(row: Row, ctx: Context, errors: list[RowError]) -> dict[str, Any] | None:
    before = len(errors)
    kind = PARTNER_KINDS.get(_key(row.get("jenis")))
    if kind is None:
        errors.append(
            _error(
                row.number,
                _("jenis tidak dikenal / unknown kind: %(v)s (pilihan / choices: %(c)s)")
                % {"v": row.get("jenis"), "c": ", ".join(PartnerForce.Kind.values)},
                "jenis",
            )
        )
    unit_name = row.get("satuan")[:150]
    if not unit_name:
        errors.append(_error(row.number, _("satuan kosong / unit empty"), "satuan"))
    kecamatan = ctx.kecamatan.get(row.get("kode_kecamatan")) or ctx.kecamatan.get(
        _key(row.get("kode_kecamatan"))
    )
    if kecamatan is None:
        errors.append(
            _error(
                row.number,
                _("kecamatan tidak dikenal di wilayah Polres / unknown kecamatan: %(v)s")
                % {"v": row.get("kode_kecamatan")},
                "kode_kecamatan",
            )
        )
    desa = None
    if row.get("kode_desa"):
        desa = ctx.desa.get(row.get("kode_desa"))
        if desa is None or (kecamatan is not None and desa.kecamatan_id != kecamatan.pk):
            errors.append(
                _error(
                    row.number,
                    _("desa tidak dikenal di kecamatan ini / unknown desa: %(v)s")
                    % {"v": row.get("kode_desa")},
                    "kode_desa",
                )
            )
    person_name = row.get("nama")[:150]
    count = _count(row.get("jumlah"))
    if count is None or (person_name and count != 1):
        errors.append(
            _error(
                row.number,
                _("jumlah harus >= 1, dan 1 untuk orang bernama / count must be >= 1, 1 for a named person"),
                "jumlah",
            )
        )
    operation = _check_operation(row, ctx, errors)
    if len(errors) > before:
        return None
    return {
        "kind": kind,
        "unit_name": unit_name,
        "kecamatan": kecamatan,
        "desa": desa,
        "person_name": person_name,
        "rank_or_title": row.get("pangkat_jabatan")[:60],
        "phone": row.get("telepon")[:40],
        "count": count,
        "operation_slug": operation,
    }


def _partner_key(data: dict[str, Any]) -> tuple[Any, ...]:
    desa = data["desa"].pk if data["desa"] is not None else None
    return (data["kind"], data["unit_name"], data["kecamatan"].pk, desa, data["person_name"])


SPECS = {
    "equipment": Spec(
        "equipment",
        Equipment,
        ["jenis", "satuan"],
        EQUIPMENT_HELP,
        _parse_equipment,
        _equipment_key,
        lambda polres: Equipment.objects.filter(unit__polres=polres).select_related("unit"),
    ),
    "bko": Spec(
        "bko",
        BkoAttachment,
        ["arah", "asal", "nama_satuan_asal", "mulai"],
        BKO_HELP,
        _parse_bko,
        _bko_key,
        lambda polres: BkoAttachment.objects.filter(polres=polres).select_related("unit", "personnel"),
    ),
    "partner_forces": Spec(
        "partner_forces",
        PartnerForce,
        ["jenis", "satuan", "kode_kecamatan"],
        PARTNER_HELP,
        _parse_partner,
        _partner_key,
        lambda polres: PartnerForce.objects.filter(
            kecamatan__kabupaten_id=polres.kabupaten_pk
        ).select_related("kecamatan", "desa"),
    ),
}


class _Fields:
    """An existing row seen as the parsed dict a key function expects (field name -> value)."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj

    def __getitem__(self, field: str) -> Any:
        return getattr(self.obj, field)


def _context(polres: PoliceUnit, actor: Any) -> Context:
    from siaga.operations.models import Operation

    ensure_units(polres=polres, actor=actor)
    kecamatan = {}
    for k in Kecamatan.objects.filter(kabupaten_id=polres.kabupaten_pk):
        kecamatan[k.code] = k
        kecamatan[_key(k.name)] = k
    return Context(
        polres=polres,
        units=_unit_lookup(polres),
        personnel={p.nrp: p for p in Personnel.objects.filter(unit__polres=polres).select_related("unit")},
        kecamatan=kecamatan,
        desa={d.code: d for d in Desa.objects.filter(kecamatan__kabupaten_id=polres.kabupaten_pk)},
        operations=set(Operation.objects.filter(polres=polres).values_list("slug", flat=True)),
    )


def import_resources(
    *,
    kind: str,
    polres: PoliceUnit,
    source: Any,
    filename: str | None = None,
    actor: Any = None,
    report: Progress = no_progress,
) -> dict[str, Any]:
    """Import equipment, BKO or partner forces (`kind`) of a Polres; all or nothing; idempotent."""
    spec = SPECS[kind]
    report(2, _("Membaca berkas / Reading the file"))
    header, rows = read_table(source, filename=filename)
    missing = require_columns(header, spec.required)
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada / Required columns missing: %(c)s. Kolom: %(h)s")
            % {"c": ", ".join(missing), "h": spec.help},
            [_error(1, _("kolom tidak ada / missing column"), column=c) for c in missing],
        )
    with transaction.atomic():
        ctx = _context(polres, actor)
        existing = {spec.key(_Fields(obj)): obj for obj in spec.existing(polres)}  # type: ignore[arg-type]
        errors: list[RowError] = []
        parsed: list[dict[str, Any]] = []
        seen: dict[tuple[Any, ...], int] = {}
        for i, row in enumerate(rows):
            if i % 200 == 0:
                report(5 + 40 * i / max(1, len(rows)), _("Memeriksa baris / Checking rows"))
            data = spec.parse(row, ctx, errors)
            if data is None:
                continue
            key = spec.key(data)
            if key in seen:
                errors.append(
                    _error(
                        row.number,
                        _("baris ganda (sama dengan baris %(r)s) / duplicate row") % {"r": seen[key]},
                    )
                )
                continue
            seen[key] = row.number
            # Validate the row as it would be saved (over the existing row it updates), constraints included,
            # so nothing reaches the database that it would refuse.
            match = existing.get(key)
            candidate = spec.model(pk=match.pk if match is not None else None, **data)
            candidate._state.adding = match is None
            try:
                candidate.full_clean()
            except ValidationError as exc:
                messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                for field, texts in messages.items():
                    column = FIELD_COLUMNS.get(field, "" if field == "__all__" else field)
                    errors.extend(_error(row.number, str(t), column) for t in texts)
                continue
            parsed.append(data)
        if errors:
            raise ImportRejected(
                _("%(n)s baris bermasalah; tidak ada yang diimpor / %(n)s bad rows; nothing was imported")
                % {"n": len({e.row for e in errors})},
                errors,
            )
        report(50, _("Menyimpan / Saving"))
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for i, data in enumerate(parsed):
            if i % 200 == 0:
                report(50 + 48 * i / max(1, len(parsed)), _("Menyimpan / Saving"))
            counts[
                save_imported(actor=actor, model=spec.model, existing=existing.get(spec.key(data)), data=data)
            ] += 1
        result = {**counts, "rows": len(parsed)}
        record_change(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type=f"personnel.{spec.model._meta.model_name}",
            object_repr=filename or spec.kind,
            after=result,
            source=AuditEvent.Source.IMPORT,
        )
    report(100, _("Selesai / Done"))
    return result


def start_resource_import(*, actor: Any, kind: str, polres: PoliceUnit, path: str, title: str) -> Any:
    """Queue an import as a background job with a progress bar; the file is already stored at `path`."""
    from siaga.core.jobs import start_job
    from siaga.personnel.tasks import import_resources_task

    return start_job(
        kind=f"import_{kind}",
        title=title,
        task=import_resources_task,
        actor=actor,
        params={"kind": kind, "path": path, "polres_id": polres.pk},
    )
