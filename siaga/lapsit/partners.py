"""Partner views per partner kind (KPU, Bawaslu, TNI, press) with redaction rules kept as data.

`FIELDS` is the catalogue: every field a partner view can ever carry per object type, and whether it is personal
data. `PartnerFieldRule` rows (seeded from `DEFAULT_RULES`, edited by the Polres admin) say which of them each
partner kind may see: an allow-list, so a field nobody thought about stays hidden. Two rules hold whatever the
table says: the press never gets a personal field (`check_rule` refuses such a row and `serialise` drops it), and
reporters' identity is not in the catalogue at all (only the Posko's named role reads it, siaga.incidents).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.core.errors import ValidationFailed
from siaga.incidents.rules import coarsen

PRESS = "press"
KINDS: tuple[str, ...] = ("kpu", "bawaslu", "tni", PRESS)


@dataclass(frozen=True)
class FieldSpec:
    label: Any
    personal: bool = False


FIELDS: dict[str, dict[str, FieldSpec]] = {
    "incident": {
        "receipt": FieldSpec(gettext_lazy("kode tanda terima")),
        "category": FieldSpec(gettext_lazy("kategori")),
        "status": FieldSpec(gettext_lazy("status")),
        "priority": FieldSpec(gettext_lazy("prioritas")),
        "kecamatan": FieldSpec(gettext_lazy("kecamatan")),
        "desa": FieldSpec(gettext_lazy("desa/kelurahan")),
        "occurred_on": FieldSpec(gettext_lazy("tanggal kejadian")),
        "occurred_at": FieldSpec(gettext_lazy("waktu kejadian")),
        "reported_at": FieldSpec(gettext_lazy("waktu laporan")),
        # Snapped to a 0.01-degree cell: partners never get the raw position.
        "lat": FieldSpec(gettext_lazy("lintang (dikasarkan)")),
        "lng": FieldSpec(gettext_lazy("bujur (dikasarkan)")),
        "referral": FieldSpec(gettext_lazy("rujukan")),
        # Free text and places name people and houses.
        "description": FieldSpec(gettext_lazy("uraian kejadian"), personal=True),
        "place": FieldSpec(gettext_lazy("keterangan tempat"), personal=True),
        "handled_by": FieldSpec(gettext_lazy("operator"), personal=True),
    },
    "event": {
        "title": FieldSpec(gettext_lazy("nama kegiatan")),
        "kind": FieldSpec(gettext_lazy("jenis")),
        "kecamatan": FieldSpec(gettext_lazy("kecamatan")),
        "place": FieldSpec(gettext_lazy("tempat")),
        "starts_at": FieldSpec(gettext_lazy("mulai")),
        "ends_at": FieldSpec(gettext_lazy("selesai")),
        "status": FieldSpec(gettext_lazy("status")),
        "risk": FieldSpec(gettext_lazy("kerawanan")),
        "organiser": FieldSpec(gettext_lazy("penanggung jawab"), personal=True),
        "candidate": FieldSpec(gettext_lazy("calon"), personal=True),
        "speakers": FieldSpec(gettext_lazy("juru kampanye"), personal=True),
    },
    "partner_force": {
        "kind": FieldSpec(gettext_lazy("jenis")),
        "unit_name": FieldSpec(gettext_lazy("satuan")),
        "kecamatan": FieldSpec(gettext_lazy("kecamatan")),
        "count": FieldSpec(gettext_lazy("jumlah")),
        "person_name": FieldSpec(gettext_lazy("nama"), personal=True),
        "rank_or_title": FieldSpec(gettext_lazy("pangkat/jabatan"), personal=True),
        "phone": FieldSpec(gettext_lazy("telepon"), personal=True),
    },
    # Sections of the Lapsit (siaga.lapsit.figures); the journal names its writers.
    "lapsit": {
        "situation": FieldSpec(gettext_lazy("I. situasi umum")),
        "strength": FieldSpec(gettext_lazy("II. kekuatan")),
        "activities": FieldSpec(gettext_lazy("III. kegiatan")),
        "incidents": FieldSpec(gettext_lazy("IV. kejadian menonjol")),
        "obstacles": FieldSpec(gettext_lazy("V. kendala")),
        "plans": FieldSpec(gettext_lazy("VI. langkah dan rencana")),
        "journal": FieldSpec(gettext_lazy("catatan buku mutasi"), personal=True),
    },
}

OBJECT_TYPE_LABELS = {
    "incident": gettext_lazy("kejadian"),
    "event": gettext_lazy("kegiatan"),
    "partner_force": gettext_lazy("pasukan mitra"),
    "lapsit": gettext_lazy("Lapsit"),
}

_PUBLIC_INCIDENT = ["category", "status", "kecamatan", "occurred_on"]
_PUBLIC_EVENT = ["title", "kind", "kecamatan", "starts_at", "status"]
DEFAULT_RULES: dict[str, dict[str, list[str]]] = {
    "kpu": {
        "incident": [*_PUBLIC_INCIDENT, "reported_at", "priority"],
        "event": [*_PUBLIC_EVENT, "place", "ends_at"],
        "partner_force": ["kind", "kecamatan", "count"],
        "lapsit": ["situation", "activities", "incidents", "plans"],
    },
    # Bawaslu receives election offences: it sees receipts, desa and referrals, and who organised an event.
    "bawaslu": {
        "incident": [*_PUBLIC_INCIDENT, "receipt", "desa", "occurred_at", "reported_at", "referral"],
        "event": [*_PUBLIC_EVENT, "place", "ends_at", "organiser", "candidate"],
        "partner_force": ["kind", "kecamatan", "count"],
        "lapsit": ["situation", "activities", "incidents", "plans"],
    },
    # TNI stands with Polri at TPS and posts: it sees strength, positions and its own people.
    "tni": {
        "incident": [*_PUBLIC_INCIDENT, "priority", "desa", "occurred_at", "lat", "lng"],
        "event": [*_PUBLIC_EVENT, "place", "ends_at", "risk"],
        "partner_force": ["kind", "unit_name", "kecamatan", "count", "person_name", "rank_or_title", "phone"],
        "lapsit": ["situation", "strength", "activities", "incidents", "obstacles", "plans"],
    },
    PRESS: {
        "incident": list(_PUBLIC_INCIDENT),
        "event": list(_PUBLIC_EVENT),
        "partner_force": ["kind", "count"],
        "lapsit": ["situation", "incidents"],
    },
}


def check_rule(partner_kind: str, object_type: str, field: str) -> None:
    """Refuse a rule the catalogue does not know, or one that would show the press a personal field."""
    if partner_kind not in KINDS:
        raise ValidationFailed(_("Jenis mitra tidak dikenal"), fields={"partner_kind": [partner_kind]})
    spec = FIELDS.get(object_type, {}).get(field)
    if spec is None:
        raise ValidationFailed(_("Kolom tidak dikenal"), fields={"field": [field]})
    if partner_kind == PRESS and spec.personal:
        raise ValidationFailed(
            _("Pers tidak boleh melihat data pribadi"),
            fields={"field": [field]},
        )


def ensure_default_rules() -> int:
    """Seed the default rules where a kind has none yet for an object type (idempotent); returns rows added."""
    from siaga.lapsit.models import PartnerFieldRule

    have = set(PartnerFieldRule.objects.values_list("partner_kind", "object_type"))
    rows = [
        PartnerFieldRule(partner_kind=kind, object_type=object_type, field=field)
        for kind, types in DEFAULT_RULES.items()
        for object_type, fields in types.items()
        if (kind, object_type) not in have
        for field in fields
    ]
    PartnerFieldRule.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


Rules = dict[str, frozenset[str]]


def rules_for(partner_kind: str) -> Rules:
    """object type -> the fields this partner kind may see (one query)."""
    from siaga.lapsit.models import PartnerFieldRule

    out: dict[str, set[str]] = {t: set() for t in FIELDS}
    for object_type, field in PartnerFieldRule.objects.filter(partner_kind=partner_kind).values_list(
        "object_type", "field"
    ):
        out.setdefault(object_type, set()).add(field)
    return {t: frozenset(f) for t, f in out.items()}


def visible_fields(partner_kind: str, object_type: str, rules: Rules) -> list[str]:
    """The fields shown, in catalogue order; a personal field never for the press, whatever the table says."""
    allowed = rules.get(object_type, frozenset())
    return [
        name
        for name, spec in FIELDS.get(object_type, {}).items()
        if name in allowed and not (partner_kind == PRESS and spec.personal)
    ]


def serialise(partner_kind: str, object_type: str, record: Mapping[str, Any], rules: Rules) -> dict[str, Any]:
    """The partner's view of one record: only the fields its rules allow."""
    return {name: record.get(name) for name in visible_fields(partner_kind, object_type, rules)}


# --- full records, before redaction ---------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    """Local time to the minute ("2024-02-14 07:00"), in the Polres's time zone."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None


def incident_record(incident: Any) -> dict[str, Any]:
    """Every catalogue field of an incident (positions already coarsened: no partner ever gets raw ones)."""
    return {
        "receipt": incident.receipt,
        "category": incident.get_category_display(),
        "status": incident.get_status_display(),
        "priority": incident.get_priority_display(),
        "kecamatan": incident.kecamatan.name if incident.kecamatan_id else None,
        "desa": incident.desa.name if incident.desa_id else None,
        "occurred_on": timezone.localtime(incident.occurred_at).date().isoformat()
        if incident.occurred_at
        else None,
        "occurred_at": _iso(incident.occurred_at),
        "reported_at": _iso(incident.reported_at),
        "lat": coarsen(incident.lat) if incident.lat is not None else None,
        "lng": coarsen(incident.lng) if incident.lng is not None else None,
        "referral": incident.get_referral_display() if incident.referral else "",
        "description": incident.description,
        "place": incident.place,
        "handled_by": incident.handler.get_username() if incident.handler_id else None,
    }


def event_record(event: Any) -> dict[str, Any]:
    return {
        "title": event.title,
        "kind": event.get_kind_display(),
        "kecamatan": event.kecamatan.name if event.kecamatan_id else None,
        "place": event.place,
        "starts_at": _iso(event.starts_at),
        "ends_at": _iso(event.ends_at),
        "status": event.get_status_display(),
        "risk": event.get_risk_display(),
        "organiser": event.organiser,
        "candidate": event.candidate,
        "speakers": event.speakers,
    }


def partner_force_record(force: Any) -> dict[str, Any]:
    return {
        "kind": force.get_kind_display(),
        "unit_name": force.unit_name,
        "kecamatan": force.kecamatan.name if force.kecamatan_id else None,
        "count": force.count,
        "person_name": force.person_name,
        "rank_or_title": force.rank_or_title,
        "phone": force.phone,
    }


def lapsit_extract(partner_kind: str, lapsit_data: Mapping[str, Any], rules: Rules) -> dict[str, Any]:
    """The shared Lapsit extract: the envelope (day, number, Polres) and the sections this kind may see."""
    sections = lapsit_data.get("sections", {})
    return {
        "schema": lapsit_data.get("schema"),
        "version": lapsit_data.get("version"),
        "number": lapsit_data.get("number"),
        "day": lapsit_data.get("day"),
        "polres": lapsit_data.get("polres", {}).get("name"),
        "partner_kind": partner_kind,
        "sections": serialise(partner_kind, "lapsit", sections, rules),
    }


def serialise_many(
    partner_kind: str, object_type: str, records: Iterable[Mapping[str, Any]], rules: Rules
) -> list[dict[str, Any]]:
    return [serialise(partner_kind, object_type, r, rules) for r in records]


def serialise_counts(
    partner_kind: str, object_type: str, records: Iterable[Mapping[str, Any]], rules: Rules
) -> list[dict[str, Any]]:
    """Like `serialise_many`, for records with a `count`: rows that look the same once redacted are merged and
    their counts summed (the press sees "Linmas: 15,412", not 200 anonymous rows)."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for record in records:
        row = serialise(partner_kind, object_type, record, rules)
        key = tuple((k, v) for k, v in row.items() if k != "count")
        if key in merged and "count" in row:
            merged[key]["count"] += row["count"]
        else:
            merged.setdefault(key, row)
    return list(merged.values())
