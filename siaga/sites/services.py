"""Writes for sites: TPS import and generation, vital-object edits. All audited."""

from __future__ import annotations

import random
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from siaga.core.audit import audit_event, record_change, record_update, snapshot
from siaga.core.errors import DomainError, ImportRejected, NotFound, RowError, ValidationFailed
from siaga.core.geo import in_indonesia, random_points_inside
from siaga.core.jobs import Progress, no_progress
from siaga.core.models import AuditEvent
from siaga.core.tabular import read_table, require_columns
from siaga.operations.models import Election
from siaga.sites.models import LocationQuality, LokasiKhususType, Tps, VitalObject
from siaga.territory.models import Desa

# Cells that mean "not a lokasi khusus".
NOT_LOKASI_KHUSUS = frozenset({"", "-", "tidak", "bukan", "no"})


def _lokasi_key(text: str) -> str:
    """'Pondok Pesantren' == 'pondok-pesantren' == 'pondok_pesantren'."""
    return "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


def lokasi_khusus_lookup() -> dict[str, str]:
    """What an import cell may say (code or name of an active type, as people type it) -> the type's code."""
    lookup = dict.fromkeys(NOT_LOKASI_KHUSUS, "")
    for code, name in LokasiKhususType.objects.filter(is_active=True).values_list("code", "name"):
        lookup[_lokasi_key(name)] = code
        lookup[_lokasi_key(code)] = code
    return lookup


TPS_COLUMNS_HELP = (
    "kode_desa (atau kode_kpu), nomor_tps, "
    "[lat, lng, alamat, catatan_akses, pemilih, pemilih_sintetis, lokasi_khusus, kualitas_lokasi]"
)


def get_election(slug: str) -> Election:
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        raise NotFound(_("Pemilihan '%(s)s' tidak ada") % {"s": slug})
    return election


def import_tps(
    *,
    election: Election,
    source: str | IO[bytes],
    filename: str | None = None,
    actor: Any = None,
    overwrite_captured: bool = False,
    report: Progress = no_progress,
) -> dict[str, Any]:
    """Import a KPU TPS list (CSV or XLSX) or Siaga's own TPS export. Any bad row refuses the whole file.

    KPU fields (voters, lokasi khusus) update. What officers captured in Siaga (coordinates, address, access
    notes) is kept unless the file carries a different value and `overwrite_captured` is set; either way every
    such difference is listed in the result's `conflicts`. An empty cell never blanks a stored value, and
    re-importing the same file (or Siaga's export of the list) changes nothing.
    """
    report(2, _("Membaca berkas"))
    header, rows = read_table(source, filename=filename)
    missing = require_columns(header, [], any_of=[["kode_desa", "kode_kpu"], ["nomor_tps", "tps", "no_tps"]])
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada: %(c)s. Kolom: %(h)s")
            % {"c": ", ".join(missing), "h": TPS_COLUMNS_HELP},
            [RowError(1, _("kolom tidak ada"), column=c) for c in missing],
        )
    has_lokasi_khusus = "lokasi_khusus" in header
    desa_by_code = {d.code: d for d in Desa.objects.all()}
    desa_by_kpu = {d.kpu_code: d for d in desa_by_code.values()}
    errors: list[RowError] = []
    parsed: list[dict[str, Any]] = []
    seen: set[tuple[int, int]] = set()
    lokasi_codes = lokasi_khusus_lookup()
    for row in rows:
        code = row.get("kode_desa") or row.get("kode_kpu")
        desa = desa_by_code.get(code) or desa_by_kpu.get(code)
        if desa is None:
            errors.append(
                RowError(
                    row.number,
                    _("desa tidak dikenal: %(c)s") % {"c": code},
                    column="kode_desa",
                )
            )
            continue
        raw_number = row.get("nomor_tps") or row.get("tps") or row.get("no_tps")
        try:
            number = int(raw_number)
            if not 1 <= number <= 999:
                raise ValueError
        except ValueError:
            errors.append(
                RowError(
                    row.number,
                    _("nomor TPS harus 1-999: %(n)s") % {"n": raw_number},
                    column="nomor_tps",
                )
            )
            continue
        if (desa.pk, number) in seen:
            errors.append(
                RowError(
                    row.number,
                    _("TPS ganda: %(d)s no. %(n)s") % {"d": desa.name, "n": number},
                    column="nomor_tps",
                )
            )
            continue
        seen.add((desa.pk, number))
        lat = lng = None
        if row.get("lat") or row.get("lng"):
            try:
                lat, lng = float(row.get("lat").replace(",", ".")), float(row.get("lng").replace(",", "."))
            except ValueError:
                errors.append(RowError(row.number, _("koordinat bukan angka"), column="lat,lng"))
                continue
            if not in_indonesia(lat, lng):
                errors.append(
                    RowError(
                        row.number,
                        _("koordinat di luar Indonesia: %(a)s, %(b)s") % {"a": lat, "b": lng},
                        column="lat,lng",
                    )
                )
                continue
        voters = None
        if row.get("pemilih"):
            try:
                voters = int(row.get("pemilih"))
                if voters < 0:
                    raise ValueError
            except ValueError:
                errors.append(RowError(row.number, _("jumlah pemilih tidak sah"), column="pemilih"))
                continue
        lk_raw = row.get("lokasi_khusus")
        if _lokasi_key(lk_raw) not in lokasi_codes:
            accepted = sorted({c for c in lokasi_codes.values() if c})
            errors.append(
                RowError(
                    row.number,
                    _(
                        "jenis lokasi khusus tidak dikenal: %(v)s. Yang diterima: %(a)s (kosong: bukan lokasi khusus)"
                    )
                    % {"v": lk_raw, "a": ", ".join(accepted)},
                    column="lokasi_khusus",
                )
            )
            continue
        quality = row.get("kualitas_lokasi").lower()
        if quality and quality not in LocationQuality.values:
            errors.append(
                RowError(
                    row.number,
                    _("kualitas lokasi tidak dikenal"),
                    column="kualitas_lokasi",
                )
            )
            continue
        parsed.append(
            {
                "row": row.number,
                "desa": desa,
                "number": number,
                "lat": lat,
                "lng": lng,
                "location_quality": quality or LocationQuality.SURVEYED,
                "address": row.get("alamat")[:300] or None,
                "access_notes": row.get("catatan_akses")[:300] or None,
                "voters": voters,
                # Siaga's own export says whether its voter counts are synthetic (demo data).
                "voters_synthetic": row.get("pemilih_sintetis").lower() in TRUE_CELLS,
                "lokasi_khusus": lokasi_codes[_lokasi_key(lk_raw)] if has_lokasi_khusus else None,
            }
        )
    if errors:
        raise ImportRejected(
            _("Daftar TPS berisi baris yang salah; tidak ada yang disimpan."),
            errors,
        )
    report(30, _("Menyimpan TPS"))
    return _save_tps(
        election=election, parsed=parsed, actor=actor, overwrite_captured=overwrite_captured, report=report
    )


TRUE_CELLS = frozenset({"true", "1", "ya", "yes", "y"})


def _new_tps(election: Election, p: dict[str, Any]) -> Tps:
    desa = p["desa"]
    lat, lng, quality = p["lat"], p["lng"], p["location_quality"]
    if lat is None:
        # No coordinates: place the TPS at the desa's inside point and say it is not surveyed.
        lat, lng = desa.inside_lat or desa.lat, desa.inside_lng or desa.lng
        quality = LocationQuality.APPROXIMATE
    return Tps(
        election=election,
        desa=desa,
        kecamatan_id=desa.kecamatan_id,
        number=p["number"],
        code=Tps.make_code(desa.kpu_code, p["number"]),
        lat=lat,
        lng=lng,
        location_quality=quality,
        address=p["address"] or "",
        access_notes=p["access_notes"] or "",
        voters=p["voters"],
        voters_synthetic=p["voters_synthetic"] if p["voters"] is not None else False,
        lokasi_khusus=p["lokasi_khusus"] or "",
    )


def _merge_row(
    tps: Tps, p: dict[str, Any], *, overwrite: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The changes a file row makes to a stored TPS, and its conflicts with what officers captured."""
    changes: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    # KPU fields: the file is the source; an empty cell leaves the stored value alone.
    if p["voters"] is not None and p["voters"] != tps.voters:
        changes["voters"] = p["voters"]
        if p["voters_synthetic"] != tps.voters_synthetic:
            changes["voters_synthetic"] = p["voters_synthetic"]
    if p["lokasi_khusus"] is not None and p["lokasi_khusus"] != tps.lokasi_khusus:
        changes["lokasi_khusus"] = p["lokasi_khusus"]

    def captured(
        column: str, captured_in_siaga: bool, stored: Any, incoming: Any, fields: dict[str, Any]
    ) -> None:
        if captured_in_siaga:
            conflicts.append(
                {
                    "row": p["row"],
                    "tps": tps.code,
                    "column": column,
                    "siaga": stored,
                    "file": incoming,
                    "resolution": "overwritten" if overwrite else "kept",
                }
            )
            if not overwrite:
                return
        changes.update(fields)

    if p["lat"] is not None and (p["lat"], p["lng"]) != (tps.lat, tps.lng):
        captured(
            "lat,lng",
            tps.location_quality == LocationQuality.OFFICER,
            f"{tps.lat}, {tps.lng}",
            f"{p['lat']}, {p['lng']}",
            {"lat": p["lat"], "lng": p["lng"], "location_quality": p["location_quality"]},
        )
    elif (
        p["lat"] is not None
        and p["location_quality"] != tps.location_quality
        and tps.location_quality != LocationQuality.OFFICER
    ):
        changes["location_quality"] = p["location_quality"]
    if p["address"] is not None and p["address"] != tps.address:
        captured(
            "alamat",
            tps.address_captured,
            tps.address,
            p["address"],
            {"address": p["address"], "address_captured": False},
        )
    if p["access_notes"] is not None and p["access_notes"] != tps.access_notes:
        captured(
            "catatan_akses",
            tps.access_notes_captured,
            tps.access_notes,
            p["access_notes"],
            {"access_notes": p["access_notes"], "access_notes_captured": False},
        )
    return changes, conflicts


@transaction.atomic
def _save_tps(
    *,
    election: Election,
    parsed: list[dict[str, Any]],
    actor: Any,
    overwrite_captured: bool,
    report: Progress,
) -> dict[str, Any]:
    existing = {(t.desa_id, t.number): t for t in Tps.objects.filter(election=election)}
    to_create: list[Tps] = []
    updated = unchanged = 0
    conflicts: list[dict[str, Any]] = []
    audits: list[AuditEvent] = []
    for i, p in enumerate(parsed):
        tps = existing.get((p["desa"].pk, p["number"]))
        if tps is None:
            to_create.append(_new_tps(election, p))
            continue
        changed, row_conflicts = _merge_row(tps, p, overwrite=overwrite_captured)
        conflicts += row_conflicts
        if not changed:
            unchanged += 1
            continue
        before = {f: getattr(tps, f) for f in changed}
        for f, v in changed.items():
            setattr(tps, f, v)
        tps.save(update_fields=list(changed))
        updated += 1
        audits.append(_audit_row(actor, AuditEvent.Action.UPDATE, tps, before, changed))
        if i % 500 == 0:
            report(30 + 50 * i / max(1, len(parsed)), _("Menyimpan TPS"))
    created = Tps.objects.bulk_create(to_create, batch_size=1000)
    report(85, _("Mencatat jejak audit"))
    # bulk_create returns primary keys on SQLite and PostgreSQL; re-read to be safe on other backends.
    if created and created[0].pk is None:
        created = list(Tps.objects.filter(election=election, code__in=[t.code for t in created]))
    audits += [_audit_row(actor, AuditEvent.Action.CREATE, t, None, snapshot(t)) for t in created]
    AuditEvent.objects.bulk_create(audits, batch_size=1000)
    result = {
        "created": len(created),
        "updated": updated,
        "unchanged": unchanged,
        "overwrite_captured": overwrite_captured,
        "conflicts": conflicts,
    }
    report(
        100,
        _("TPS: %(c)s baru, %(u)s diubah, %(n)s tetap, %(k)s konflik dengan data petugas")
        % {"c": len(created), "u": updated, "n": unchanged, "k": len(conflicts)},
    )
    return result


def _audit_row(
    actor: Any, action: str, obj: Tps, before: dict[str, Any] | None, after: dict[str, Any]
) -> AuditEvent:
    return audit_event(
        actor=actor,
        action=action,
        obj=obj,
        object_repr=obj.code,
        before=before,
        after=after,
        source=AuditEvent.Source.IMPORT,
    )


def largest_remainder(weights: list[int], total: int, *, minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (Hamilton's method), each part at least `minimum`."""
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("total too small for the minimum")
    wsum = sum(weights)
    quotas = [rest * w / wsum for w in weights]
    parts = [int(q) for q in quotas]
    remaining = rest - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (quotas[i] - parts[i], weights[i]), reverse=True)
    for i in order[:remaining]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


@transaction.atomic
def generate_demo_tps(
    *,
    election: Election,
    counts: dict[str, tuple[int, int]],
    lokasi_khusus_type: str,
    mean_voters: int,
    report: Progress = no_progress,
) -> int:
    """Create an election's TPS from per-desa counts (regular, lokasi khusus), at synthetic positions.

    Positions are drawn deterministically inside each desa polygon and flagged synthetic; voter counts are
    synthesised around `mean_voters` and flagged, so nothing synthetic is ever shown as real.
    """
    if Tps.objects.filter(election=election).exists():
        return 0
    desa_list = list(Desa.objects.filter(code__in=counts).order_by("code"))
    rng = random.Random(f"voters:{election.slug}")
    to_create: list[Tps] = []
    for i, desa in enumerate(desa_list):
        regular, khusus = counts[desa.code]
        total = regular + khusus
        if total == 0:
            continue
        if desa.boundary:
            points = random_points_inside(desa.boundary, total, seed=f"{election.slug}:{desa.code}")
        else:
            points = [(desa.lat, desa.lng)] * total
        numbers = list(range(1, regular + 1)) + list(range(901, 901 + khusus))
        for n, (lat, lng) in zip(numbers, points, strict=True):
            voters = max(
                50, min(election.max_voters_per_tps, int(rng.gauss(mean_voters, mean_voters * 0.08)))
            )
            to_create.append(
                Tps(
                    election=election,
                    desa=desa,
                    kecamatan_id=desa.kecamatan_id,
                    number=n,
                    code=Tps.make_code(desa.kpu_code, n),
                    lat=lat,
                    lng=lng,
                    location_quality=LocationQuality.SYNTHETIC,
                    voters=voters,
                    voters_synthetic=True,
                    lokasi_khusus=lokasi_khusus_type if n >= 901 else "",
                )
            )
        if i % 20 == 0:
            report(100 * i / max(1, len(desa_list)), f"{desa.name}")
    Tps.objects.bulk_create(to_create, batch_size=2000)
    record_change(
        actor=None,
        action=AuditEvent.Action.IMPORT,
        object_type="sites.tps",
        object_repr=election.slug,
        after={"created": len(to_create), "synthetic_positions": True},
        message="demo TPS generated",
    )
    return len(to_create)


@transaction.atomic
def create_lokasi_khusus_type(*, actor: Any, code: str, name: str, order: int = 100) -> LokasiKhususType:
    """Add a kind of TPS lokasi khusus (e.g. pondok pesantren) that TPS imports then accept."""
    code = _lokasi_key(code)
    if LokasiKhususType.objects.filter(code=code).exists():
        raise ValidationFailed(
            _("Kode sudah ada: %(c)s") % {"c": code},
            fields={"code": [_("sudah ada")]},
        )
    obj = LokasiKhususType(code=code, name=name.strip(), order=order)
    obj.full_clean()
    obj.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=obj, after=snapshot(obj))
    return obj


@transaction.atomic
def update_lokasi_khusus_type(
    *, actor: Any, lokasi_type: LokasiKhususType, name: str, order: int, is_active: bool
) -> LokasiKhususType:
    """Rename, reorder or (de)activate a type. Its code never changes: TPS refer to it by code."""
    before = snapshot(lokasi_type)
    lokasi_type.name, lokasi_type.order, lokasi_type.is_active = name.strip(), order, is_active
    lokasi_type.full_clean()
    lokasi_type.save()
    record_update(actor=actor, obj=lokasi_type, before=before)
    return lokasi_type


@transaction.atomic
def update_vital_object(*, actor: Any, vital_object: VitalObject, data: dict[str, Any]) -> VitalObject:
    before = snapshot(vital_object)
    for key, value in data.items():
        setattr(vital_object, key, value)
    vital_object.full_clean()
    vital_object.save()
    record_update(actor=actor, obj=vital_object, before=before)
    return vital_object


@transaction.atomic
def update_tps(*, actor: Any, tps: Tps, data: dict[str, Any]) -> Tps:
    """Edit a TPS (address, coordinates, voters, access notes). Coordinates set by hand are officer-captured."""
    before = snapshot(tps)
    if ("lat" in data or "lng" in data) and (data.get("lat"), data.get("lng")) != (tps.lat, tps.lng):
        if data.get("lat") is not None and not in_indonesia(data["lat"], data["lng"]):
            raise DomainError(
                _("Koordinat di luar Indonesia"),
                fields={"lat": [_("di luar Indonesia")]},
            )
        data.setdefault("location_quality", LocationQuality.OFFICER)
    if "voters" in data and data["voters"] != tps.voters:
        data.setdefault("voters_synthetic", False)
    # Officers' captures survive a later KPU re-import (see _merge_row).
    if "address" in data and data["address"] != tps.address:
        data.setdefault("address_captured", True)
    if "access_notes" in data and data["access_notes"] != tps.access_notes:
        data.setdefault("access_notes_captured", True)
    for key, value in data.items():
        setattr(tps, key, value)
    tps.full_clean()
    tps.save()
    record_update(actor=actor, obj=tps, before=before)
    return tps
