"""Writes for sites: TPS import and generation, vital-object edits. All audited."""

from __future__ import annotations

import random
from typing import IO, Any

from django.core.exceptions import ValidationError
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
    "kode_desa (atau kode_kpu), nomor_tps, [lat, lng, alamat, pemilih, lokasi_khusus, kualitas_lokasi]"
)


def get_election(slug: str) -> Election:
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        raise NotFound(_("Pemilihan '%(s)s' tidak ada / No election '%(s)s'") % {"s": slug})
    return election


def import_tps(
    *,
    election: Election,
    source: str | IO[bytes],
    filename: str | None = None,
    actor: Any = None,
    report: Progress = no_progress,
) -> dict[str, int]:
    """Import a TPS list (CSV or XLSX). Any bad row refuses the whole file; re-importing changes nothing."""
    report(2, _("Membaca berkas / Reading the file"))
    header, rows = read_table(source, filename=filename)
    missing = require_columns(header, [], any_of=[["kode_desa", "kode_kpu"], ["nomor_tps", "tps", "no_tps"]])
    if missing:
        raise ImportRejected(
            _("Kolom wajib tidak ada / Required columns missing: %(c)s. Kolom: %(h)s")
            % {"c": ", ".join(missing), "h": TPS_COLUMNS_HELP},
            [RowError(1, _("kolom tidak ada / missing column"), column=c) for c in missing],
        )
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
                    _("desa tidak dikenal / unknown desa: %(c)s") % {"c": code},
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
                    _("nomor TPS harus 1-999 / TPS number must be 1-999: %(n)s") % {"n": raw_number},
                    column="nomor_tps",
                )
            )
            continue
        if (desa.pk, number) in seen:
            errors.append(
                RowError(
                    row.number,
                    _("TPS ganda / duplicate TPS: %(d)s no. %(n)s") % {"d": desa.name, "n": number},
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
                errors.append(
                    RowError(
                        row.number, _("koordinat bukan angka / coordinates are not numbers"), column="lat,lng"
                    )
                )
                continue
            if not in_indonesia(lat, lng):
                errors.append(
                    RowError(
                        row.number,
                        _("koordinat di luar Indonesia / coordinates outside Indonesia: %(a)s, %(b)s")
                        % {"a": lat, "b": lng},
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
                errors.append(
                    RowError(row.number, _("jumlah pemilih tidak sah / bad voter count"), column="pemilih")
                )
                continue
        lk_raw = row.get("lokasi_khusus")
        if _lokasi_key(lk_raw) not in lokasi_codes:
            accepted = sorted({c for c in lokasi_codes.values() if c})
            errors.append(
                RowError(
                    row.number,
                    _(
                        "jenis lokasi khusus tidak dikenal / unknown lokasi khusus: %(v)s. "
                        "Yang diterima / accepted: %(a)s (kosong / empty: bukan lokasi khusus / not one)"
                    )
                    % {"v": lk_raw, "a": ", ".join(accepted)},
                    column="lokasi_khusus",
                )
            )
            continue
        quality = row.get("kualitas_lokasi").lower() or (
            LocationQuality.SURVEYED if lat is not None else LocationQuality.SYNTHETIC
        )
        if quality not in LocationQuality.values:
            errors.append(
                RowError(
                    row.number,
                    _("kualitas lokasi tidak dikenal / unknown location quality"),
                    column="kualitas_lokasi",
                )
            )
            continue
        if lat is None:
            # No coordinates: place the TPS at the desa's inside point and say it is not surveyed.
            lat, lng = desa.inside_lat or desa.lat, desa.inside_lng or desa.lng
            quality = LocationQuality.APPROXIMATE
        parsed.append(
            {
                "desa": desa,
                "number": number,
                "lat": lat,
                "lng": lng,
                "location_quality": quality,
                "address": row.get("alamat")[:300],
                "voters": voters,
                "lokasi_khusus": lokasi_codes[_lokasi_key(lk_raw)],
            }
        )
    if errors:
        raise ImportRejected(
            _(
                "Daftar TPS berisi baris yang salah; tidak ada yang disimpan. / The TPS list has bad rows; nothing was saved."
            ),
            errors,
        )
    report(30, _("Menyimpan TPS / Saving TPS"))
    return _save_tps(election=election, parsed=parsed, actor=actor, report=report)


@transaction.atomic
def _save_tps(
    *, election: Election, parsed: list[dict[str, Any]], actor: Any, report: Progress
) -> dict[str, int]:
    existing = {(t.desa_id, t.number): t for t in Tps.objects.filter(election=election)}
    to_create: list[Tps] = []
    updated = unchanged = 0
    fields = ["lat", "lng", "location_quality", "address", "voters", "lokasi_khusus"]
    audits: list[AuditEvent] = []
    for i, p in enumerate(parsed):
        desa = p.pop("desa")
        tps = existing.get((desa.pk, p["number"]))
        if tps is None:
            to_create.append(
                Tps(
                    election=election,
                    desa=desa,
                    kecamatan_id=desa.kecamatan_id,
                    code=Tps.make_code(desa.kpu_code, p["number"]),
                    **p,
                )
            )
            continue
        changed = {f: p[f] for f in fields if getattr(tps, f) != p[f]}
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
            report(30 + 50 * i / max(1, len(parsed)), _("Menyimpan TPS / Saving TPS"))
    created = Tps.objects.bulk_create(to_create, batch_size=1000)
    report(85, _("Mencatat jejak audit / Writing the audit trail"))
    # bulk_create returns primary keys on SQLite and PostgreSQL; re-read to be safe on other backends.
    if created and created[0].pk is None:
        created = list(Tps.objects.filter(election=election, code__in=[t.code for t in created]))
    audits += [_audit_row(actor, AuditEvent.Action.CREATE, t, None, snapshot(t)) for t in created]
    AuditEvent.objects.bulk_create(audits, batch_size=1000)
    result = {"created": len(created), "updated": updated, "unchanged": unchanged}
    report(
        100,
        _("TPS: %(c)s baru, %(u)s diubah, %(n)s tetap") % {"c": len(created), "u": updated, "n": unchanged},
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
            _("Kode sudah ada / The code already exists: %(c)s") % {"c": code},
            fields={"code": [_("sudah ada / already exists")]},
        )
    obj = LokasiKhususType(code=code, name=name.strip(), order=order)
    _clean(obj)
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
    _clean(lokasi_type)
    lokasi_type.save()
    record_update(actor=actor, obj=lokasi_type, before=before)
    return lokasi_type


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        raise ValidationFailed("; ".join(exc.messages), fields=fields) from exc


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
                _("Koordinat di luar Indonesia / Coordinates outside Indonesia"),
                fields={"lat": [_("di luar Indonesia")]},
            )
        data.setdefault("location_quality", LocationQuality.OFFICER)
    if "voters" in data and data["voters"] != tps.voters:
        data.setdefault("voters_synthetic", False)
    for key, value in data.items():
        setattr(tps, key, value)
    tps.full_clean()
    tps.save()
    record_update(actor=actor, obj=tps, before=before)
    return tps
