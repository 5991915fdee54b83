"""Territory import: desa list, boundaries, police units and election offices, in the formats of
`siaga/territory/data/jember/` (the same for any kabupaten).

Everything is parsed and checked first; if any row is bad the whole import is refused with row-level
messages and the database is left as it was. Writes are idempotent: importing the same files twice changes
nothing (unchanged rows are not written and leave no audit record).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from siaga.core.audit import changed_only, record_change, snapshot
from siaga.core.errors import DomainError, ImportRejected, RowError
from siaga.core.geo import geometry, in_indonesia
from siaga.core.jobs import Progress, no_progress
from siaga.core.models import AuditEvent
from siaga.core.tabular import Row, read_table, require_columns
from siaga.sites.models import LocationQuality, VitalObject
from siaga.territory.models import ABOVE_POLRES, Desa, Kabupaten, Kecamatan, PoliceUnit

DESA_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
KEC_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")


@dataclass
class TerritoryFiles:
    desa: Path
    boundaries: Path
    kecamatan_boundaries: Path | None = None
    kabupaten_boundary: Path | None = None
    police_units: Path | None = None
    offices: Path | None = None


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
        }

    def text(self) -> str:
        parts = [f"{k}: +{v}" for k, v in self.created.items() if v]
        parts += [f"{k}: ~{v}" for k, v in self.updated.items() if v]
        return ", ".join(parts) or _("tidak ada perubahan / no changes")


def _float(row: Row, column: str, errors: list[RowError], *, required: bool = True) -> float | None:
    raw = row.get(column).replace(",", ".")
    if not raw:
        if required:
            errors.append(RowError(row.number, _("kosong / empty"), column=column))
        return None
    try:
        return float(raw)
    except ValueError:
        errors.append(
            RowError(row.number, _("bukan angka / not a number: %(v)s") % {"v": raw}, column=column)
        )
        return None


def _check_point(row: Row, lat: float | None, lng: float | None, errors: list[RowError]) -> None:
    if lat is not None and lng is not None and not in_indonesia(lat, lng):
        errors.append(
            RowError(
                row.number,
                _("koordinat di luar Indonesia / coordinates outside Indonesia: %(lat)s, %(lng)s")
                % {"lat": lat, "lng": lng},
                column="lat,lng",
            )
        )


def parse_desa(path: Path) -> tuple[list[dict[str, Any]], list[RowError]]:
    header, rows = read_table(path)
    missing = require_columns(
        header, ["kode_desa", "kode_kecamatan", "nama_kecamatan", "nama_desa", "lat", "lng"]
    )
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada / Required columns missing: %(c)s") % {"c": ", ".join(missing)},
            [RowError(1, _("kolom tidak ada / missing column"), column=c) for c in missing],
        )
    errors: list[RowError] = []
    seen: set[str] = set()
    out = []
    for row in rows:
        code = row.get("kode_desa")
        kec = row.get("kode_kecamatan")
        if not DESA_RE.match(code):
            errors.append(
                RowError(
                    row.number,
                    _("kode desa tidak sah / bad desa code: %(c)s") % {"c": code},
                    column="kode_desa",
                )
            )
            continue
        if not KEC_RE.match(kec) or not code.startswith(kec + "."):
            errors.append(
                RowError(
                    row.number,
                    _("kode kecamatan tidak cocok / kecamatan code does not match: %(c)s") % {"c": kec},
                    column="kode_kecamatan",
                )
            )
            continue
        if code in seen:
            errors.append(
                RowError(
                    row.number,
                    _("kode desa ganda / duplicate desa code: %(c)s") % {"c": code},
                    column="kode_desa",
                )
            )
            continue
        seen.add(code)
        kpu = row.get("kode_kpu") or code.replace(".", "")
        if kpu != code.replace(".", ""):
            errors.append(
                RowError(
                    row.number,
                    _("kode KPU tidak cocok / KPU code does not match: %(c)s") % {"c": kpu},
                    column="kode_kpu",
                )
            )
        lat, lng = _float(row, "lat", errors), _float(row, "lng", errors)
        _check_point(row, lat, lng, errors)
        ilat = _float(row, "point_in_polygon_lat", errors, required=False)
        ilng = _float(row, "point_in_polygon_lng", errors, required=False)
        _check_point(row, ilat, ilng, errors)
        kind = (row.get("jenis") or "desa").lower()
        if kind not in {"desa", "kelurahan"}:
            errors.append(
                RowError(
                    row.number,
                    _("jenis harus desa atau kelurahan / kind must be desa or kelurahan"),
                    column="jenis",
                )
            )
        if not row.get("nama_desa"):
            errors.append(RowError(row.number, _("nama desa kosong / desa name empty"), column="nama_desa"))
        out.append(
            {
                "row": row.number,
                "code": code,
                "kpu_code": kpu,
                "kecamatan_code": kec,
                "kecamatan_name": row.get("nama_kecamatan"),
                "name": row.get("nama_desa"),
                "kind": kind,
                "kpu_name": row.get("nama_kpu"),
                "postal_code": row.get("kode_pos")[:5],
                "bps_code": row.get("kode_bps_desa")[:10],
                "lat": lat,
                "lng": lng,
                "inside_lat": ilat,
                "inside_lng": ilng,
                "tps_pemilu2024_reguler": row.get("tps_pemilu2024_reguler"),
                "tps_pemilu2024_lokasi_khusus": row.get("tps_pemilu2024_lokasi_khusus"),
            }
        )
    return out, errors


def parse_boundaries(
    path: Path, code_property: str, valid_codes: set[str]
) -> tuple[dict[str, dict[str, Any]], list[RowError]]:
    """GeoJSON features keyed by their code property; 'row' numbers are 1-based feature positions."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        features = data["features"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DomainError(
            _("Berkas batas wilayah bukan GeoJSON yang sah / Not a valid GeoJSON file: %(f)s")
            % {"f": Path(path).name}
        ) from exc
    errors: list[RowError] = []
    out: dict[str, dict[str, Any]] = {}
    for i, feature in enumerate(features, start=1):
        props = feature.get("properties") or {}
        code = str(props.get(code_property, ""))
        geom = feature.get("geometry")
        if code not in valid_codes:
            errors.append(
                RowError(
                    i,
                    _("kode tidak dikenal di berkas batas / unknown code in boundaries: %(c)s") % {"c": code},
                    column=code_property,
                )
            )
            continue
        if not geom or geom.get("type") not in {"Polygon", "MultiPolygon"}:
            errors.append(
                RowError(
                    i,
                    _("geometri harus Polygon atau MultiPolygon / geometry must be a polygon"),
                    column="geometry",
                )
            )
            continue
        try:
            shp = geometry(geom)
        except Exception:
            errors.append(RowError(i, _("geometri rusak / broken geometry"), column="geometry"))
            continue
        min_x, min_y, max_x, max_y = shp.bounds
        if not (in_indonesia(min_y, min_x) and in_indonesia(max_y, max_x)):
            errors.append(
                RowError(i, _("batas di luar Indonesia / boundary outside Indonesia"), column="geometry")
            )
            continue
        out[code] = geom
    return out, errors


def parse_police_units(path: Path, kecamatan_codes: set[str]) -> tuple[list[dict[str, Any]], list[RowError]]:
    header, rows = read_table(path)
    missing = require_columns(header, ["unit", "level", "kode_kecamatan", "lat", "lng"])
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada / Required columns missing: %(c)s") % {"c": ", ".join(missing)},
            [RowError(1, _("kolom tidak ada / missing column"), column=c) for c in missing],
        )
    errors: list[RowError] = []
    out = []
    # A territory file describes one kabupaten: its Polres and Polsek. Polda and Mabes are set up apart.
    levels = {c.value for c in PoliceUnit.Level if c not in ABOVE_POLRES}
    polres = 0
    for row in rows:
        level = row.get("level").lower()
        if level not in levels:
            errors.append(
                RowError(
                    row.number,
                    _("tingkat tidak dikenal / unknown level: %(l)s") % {"l": level},
                    column="level",
                )
            )
            continue
        polres += level == PoliceUnit.Level.POLRES
        kecs = [k.strip() for k in row.get("kode_kecamatan").replace(";", "|").split("|") if k.strip()]
        unknown = [k for k in kecs if k not in kecamatan_codes]
        if not kecs or unknown:
            errors.append(
                RowError(
                    row.number,
                    _("kecamatan tidak dikenal / unknown kecamatan: %(k)s")
                    % {"k": ", ".join(unknown) or "-"},
                    column="kode_kecamatan",
                )
            )
            continue
        lat, lng = _float(row, "lat", errors), _float(row, "lng", errors)
        _check_point(row, lat, lng, errors)
        quality = row.get("location_quality").lower()
        out.append(
            {
                "row": row.number,
                "name": row.get("unit"),
                "code": slugify(row.get("unit")),
                "level": level,
                "kecamatan_codes": kecs,
                "lat": lat,
                "lng": lng,
                "location_quality": PoliceUnit.LocationQuality.SURVEYED
                if quality == "surveyed"
                else PoliceUnit.LocationQuality.APPROXIMATE,
            }
        )
    if rows and polres != 1:
        errors.append(
            RowError(1, _("harus ada tepat satu Polres / there must be exactly one Polres"), column="level")
        )
    return out, errors


OFFICE_KINDS = {
    "kpu": VitalObject.Kind.KPU_OFFICE,
    "bawaslu": VitalObject.Kind.BAWASLU_OFFICE,
    "gudang": VitalObject.Kind.LOGISTICS_WAREHOUSE,
    "warehouse": VitalObject.Kind.LOGISTICS_WAREHOUSE,
    "ppk": VitalObject.Kind.PPK_OFFICE,
    "pps": VitalObject.Kind.PPS_OFFICE,
    "other": VitalObject.Kind.OTHER,
    "lainnya": VitalObject.Kind.OTHER,
}


def parse_offices(
    path: Path, kecamatan_names: dict[str, str], desa_names: dict[tuple[str, str], str]
) -> tuple[list[dict[str, Any]], list[RowError]]:
    header, rows = read_table(path)
    missing = require_columns(
        header, ["office", "type", "lat", "lng"], any_of=[["kecamatan_guess", "kecamatan", "kode_kecamatan"]]
    )
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada / Required columns missing: %(c)s") % {"c": ", ".join(missing)},
            [RowError(1, _("kolom tidak ada / missing column"), column=c) for c in missing],
        )
    errors: list[RowError] = []
    out = []
    for row in rows:
        kind = OFFICE_KINDS.get(row.get("type").lower())
        if kind is None:
            errors.append(
                RowError(
                    row.number,
                    _("jenis kantor tidak dikenal / unknown office type: %(t)s") % {"t": row.get("type")},
                    column="type",
                )
            )
            continue
        kec_key = (row.get("kode_kecamatan") or row.get("kecamatan_guess") or row.get("kecamatan")).lower()
        kec_code = kecamatan_names.get(kec_key) or (kec_key if kec_key in kecamatan_names.values() else None)
        if kec_code is None:
            errors.append(
                RowError(
                    row.number,
                    _("kecamatan tidak dikenal / unknown kecamatan: %(k)s") % {"k": kec_key},
                    column="kecamatan_guess",
                )
            )
            continue
        lat, lng = _float(row, "lat", errors), _float(row, "lng", errors)
        _check_point(row, lat, lng, errors)
        desa_code = desa_names.get((kec_code, (row.get("desa_guess") or row.get("desa")).lower()))
        quality = row.get("location_quality").lower()
        out.append(
            {
                "row": row.number,
                "kind": kind,
                "name": row.get("office"),
                "address": row.get("address")[:300],
                "kecamatan_code": kec_code,
                "desa_code": desa_code,
                "lat": lat,
                "lng": lng,
                "location_quality": LocationQuality.SURVEYED
                if quality == "surveyed"
                else LocationQuality.APPROXIMATE,
                "source": (row.get("address_source") or row.get("source"))[:300],
            }
        )
    return out, errors


def _upsert(
    model: type[Any], lookup: dict[str, Any], values: dict[str, Any], summary: ImportSummary, actor: Any
) -> Any:
    """Create or update one row, writing (and auditing) only when something actually changed."""
    label = model._meta.verbose_name_plural
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        summary.created[str(label)] += 1
        record_change(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=obj,
            after=snapshot(obj),
            source=AuditEvent.Source.IMPORT,
        )
        return obj
    before = snapshot(obj)
    dirty = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            dirty = True
    if not dirty:
        summary.unchanged[str(label)] += 1
        return obj
    obj.full_clean()
    obj.save()
    summary.updated[str(label)] += 1
    b, a = changed_only(before, snapshot(obj))
    # Boundaries are excluded from snapshots (size); say so when only the shape changed.
    record_change(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=obj,
        before=b,
        after=a,
        source=AuditEvent.Source.IMPORT,
        message="" if a else "boundary",
    )
    return obj


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 6)


def import_territory(
    *, files: TerritoryFiles, actor: Any = None, report: Progress = no_progress
) -> ImportSummary:
    """Import a kabupaten's territory; refuses the whole import (ImportRejected) if any row is bad."""
    report(2, _("Membaca daftar desa / Reading the desa list"))
    desa_rows, errors = parse_desa(files.desa)
    if errors:
        raise ImportRejected(
            _(
                "Daftar desa berisi baris yang salah; tidak ada yang disimpan. / The desa list has bad rows; nothing was saved."
            ),
            errors,
        )
    if not desa_rows:
        raise DomainError(_("Daftar desa kosong / The desa list is empty"))
    kab_codes = {r["code"][:5] for r in desa_rows}
    if len(kab_codes) != 1:
        raise ImportRejected(
            _("Semua desa harus dari satu kabupaten / All desa must belong to one kabupaten"),
            [
                RowError(
                    r["row"],
                    _("kabupaten lain / another kabupaten: %(k)s") % {"k": r["code"][:5]},
                    column="kode_desa",
                )
                for r in desa_rows
                if r["code"][:5] != desa_rows[0]["code"][:5]
            ],
        )
    kab_code = kab_codes.pop()
    kec_codes = {r["kecamatan_code"] for r in desa_rows}

    report(10, _("Memeriksa batas wilayah / Checking boundaries"))
    all_errors: list[RowError] = []
    desa_geoms, errs = parse_boundaries(files.boundaries, "kode_desa", {r["code"] for r in desa_rows})
    all_errors += [RowError(e.row, f"[{files.boundaries.name}] {e.message}", column=e.column) for e in errs]
    for r in desa_rows:
        if r["code"] not in desa_geoms and not errs:
            all_errors.append(
                RowError(
                    r["row"],
                    _("desa tanpa batas wilayah / desa without a boundary: %(c)s") % {"c": r["code"]},
                    column="kode_desa",
                )
            )
    kec_geoms: dict[str, dict[str, Any]] = {}
    kec_props: dict[str, dict[str, Any]] = {}
    if files.kecamatan_boundaries:
        kec_geoms, errs = parse_boundaries(files.kecamatan_boundaries, "kode_kecamatan", kec_codes)
        all_errors += [
            RowError(e.row, f"[{files.kecamatan_boundaries.name}] {e.message}", column=e.column) for e in errs
        ]
        data = json.loads(files.kecamatan_boundaries.read_text(encoding="utf-8"))
        kec_props = {str(f["properties"].get("kode_kecamatan")): f["properties"] for f in data["features"]}
    kab_geom = None
    kab_name = f"Kabupaten {kab_code}"
    if files.kabupaten_boundary:
        kab_geoms, errs = parse_boundaries(files.kabupaten_boundary, "kode", {kab_code})
        all_errors += [
            RowError(e.row, f"[{files.kabupaten_boundary.name}] {e.message}", column=e.column) for e in errs
        ]
        kab_geom = kab_geoms.get(kab_code)
        data = json.loads(files.kabupaten_boundary.read_text(encoding="utf-8"))
        kab_name = next(
            (
                f["properties"].get("nama")
                for f in data["features"]
                if f["properties"].get("kode") == kab_code
            ),
            kab_name,
        )

    unit_rows: list[dict[str, Any]] = []
    if files.police_units:
        report(20, _("Memeriksa satuan kewilayahan / Checking police units"))
        unit_rows, errs = parse_police_units(files.police_units, kec_codes)
        all_errors += [
            RowError(e.row, f"[{files.police_units.name}] {e.message}", column=e.column) for e in errs
        ]
    kec_names = {r["kecamatan_name"].lower(): r["kecamatan_code"] for r in desa_rows}
    desa_names = {(r["kecamatan_code"], r["name"].lower()): r["code"] for r in desa_rows}
    office_rows: list[dict[str, Any]] = []
    if files.offices:
        office_rows, errs = parse_offices(files.offices, kec_names, desa_names)
        all_errors += [RowError(e.row, f"[{files.offices.name}] {e.message}", column=e.column) for e in errs]
    if all_errors:
        raise ImportRejected(
            _(
                "Berkas berisi baris yang salah; tidak ada yang disimpan. / The files have bad rows; nothing was saved."
            ),
            all_errors,
        )

    summary = ImportSummary()
    report(30, _("Menyimpan wilayah / Saving territory"))
    with transaction.atomic():
        kab_lat = _mean([r["lat"] for r in desa_rows])
        kab_lng = _mean([r["lng"] for r in desa_rows])
        kab_values: dict[str, Any] = {"name": kab_name, "lat": kab_lat, "lng": kab_lng}
        if kab_geom is not None:
            kab_values["boundary"] = kab_geom
        kabupaten = _upsert(Kabupaten, {"code": kab_code}, kab_values, summary, actor)
        by_kec: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in desa_rows:
            by_kec[r["kecamatan_code"]].append(r)
        kecamatan: dict[str, Kecamatan] = {}
        for code in sorted(by_kec):
            rows = by_kec[code]
            props = kec_props.get(code, {})
            values: dict[str, Any] = {
                "kabupaten": kabupaten,
                "kpu_code": code.replace(".", ""),
                "name": rows[0]["kecamatan_name"],
                "lat": round(float(props.get("lat") or _mean([r["lat"] for r in rows])), 6),
                "lng": round(float(props.get("lng") or _mean([r["lng"] for r in rows])), 6),
            }
            if code in kec_geoms:
                values["boundary"] = kec_geoms[code]
            kecamatan[code] = _upsert(Kecamatan, {"code": code}, values, summary, actor)
        report(45, _("Menyimpan desa / Saving desa"))
        for i, r in enumerate(desa_rows):
            _upsert(
                Desa,
                {"code": r["code"]},
                {
                    "kecamatan": kecamatan[r["kecamatan_code"]],
                    "kpu_code": r["kpu_code"],
                    "name": r["name"],
                    "kind": r["kind"],
                    "kpu_name": r["kpu_name"],
                    "postal_code": r["postal_code"],
                    "bps_code": r["bps_code"],
                    "lat": r["lat"],
                    "lng": r["lng"],
                    "inside_lat": r["inside_lat"],
                    "inside_lng": r["inside_lng"],
                    "boundary": desa_geoms[r["code"]],
                },
                summary,
                actor,
            )
            if i % 50 == 0:
                report(45 + 35 * i / len(desa_rows), _("Menyimpan desa / Saving desa"))
        report(82, _("Menyimpan satuan / Saving police units"))
        polres: PoliceUnit | None = None
        for r in sorted(unit_rows, key=lambda u: u["level"] != PoliceUnit.Level.POLRES):
            unit = _upsert(
                PoliceUnit,
                {"code": r["code"]},
                {
                    "name": r["name"],
                    "level": r["level"],
                    "kabupaten": kabupaten,
                    # A Polres keeps the Polda it was attached to; re-importing its kabupaten does not detach it.
                    **({} if r["level"] == PoliceUnit.Level.POLRES else {"parent": polres}),
                    "lat": r["lat"],
                    "lng": r["lng"],
                    "location_quality": r["location_quality"],
                },
                summary,
                actor,
            )
            if r["level"] == PoliceUnit.Level.POLRES:
                polres = unit
                wanted = set(kecamatan.values())
            else:
                wanted = {kecamatan[c] for c in r["kecamatan_codes"]}
            current = set(unit.jurisdiction.all())
            if current != wanted:
                unit.jurisdiction.set(wanted)
                record_change(
                    actor=actor,
                    action=AuditEvent.Action.UPDATE,
                    obj=unit,
                    source=AuditEvent.Source.IMPORT,
                    before={"jurisdiction": sorted(k.code for k in current)},
                    after={"jurisdiction": sorted(k.code for k in wanted)},
                )
        report(92, _("Menyimpan kantor / Saving offices"))
        desa_by_code = {
            d.code: d
            for d in Desa.objects.filter(code__in=[o["desa_code"] for o in office_rows if o["desa_code"]])
        }
        for r in office_rows:
            _upsert(
                VitalObject,
                {"kind": r["kind"], "name": r["name"]},
                {
                    "address": r["address"],
                    "kecamatan": kecamatan[r["kecamatan_code"]],
                    "desa": desa_by_code.get(r["desa_code"]) if r["desa_code"] else None,
                    "lat": r["lat"],
                    "lng": r["lng"],
                    "location_quality": r["location_quality"],
                    "source": r["source"],
                },
                summary,
                actor,
            )
    report(100, summary.text())
    return summary
