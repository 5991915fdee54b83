"""The narrow door between the public portal (siaga.public) and the incidents app.

The portal may only file a report and read a report's public status through this module: it never sees
internal selectors, other reports, units, or anyone's identity. Everything here takes and returns plain
dataclasses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.core.errors import NotFound, ValidationFailed
from siaga.incidents import batch, ratelimit, services
from siaga.incidents.models import Category, Incident, Source, Status
from siaga.incidents.rules import RECEIPT_FORMAT
from siaga.operations.models import Election
from siaga.sites.models import Tps
from siaga.territory.models import Desa

CATEGORY_CHOICES: list[tuple[str, Any]] = list(Category.choices)
CATEGORY_CODES: tuple[str, ...] = tuple(Category.values)

# What a reporter is told about their report: never internal details, units or names.
PUBLIC_STATUS: dict[str, Any] = {
    Status.NEW: gettext_lazy("Diterima, menunggu verifikasi"),
    Status.VERIFIED: gettext_lazy("Diverifikasi"),
    Status.DISPATCHED: gettext_lazy("Sedang ditangani petugas"),
    Status.ON_SCENE: gettext_lazy("Sedang ditangani petugas"),
    Status.RESOLVED: gettext_lazy("Selesai ditangani"),
    Status.CLOSED: gettext_lazy("Selesai ditangani"),
    Status.REJECTED: gettext_lazy("Tidak dapat ditindaklanjuti"),
    Status.DUPLICATE: gettext_lazy("Digabung dengan laporan lain yang sama"),
}
PUBLIC_STAGE: dict[str, str] = {
    Status.NEW: "received",
    Status.VERIFIED: "verified",
    Status.DISPATCHED: "in_progress",
    Status.ON_SCENE: "in_progress",
    Status.RESOLVED: "done",
    Status.CLOSED: "done",
    Status.REJECTED: "not_followed_up",
    Status.DUPLICATE: "merged",
}


@dataclass(frozen=True)
class PublicReport:
    category: str
    description: str
    occurred_at: dt.datetime
    lat: float | None = None
    lng: float | None = None
    desa_id: int | None = None
    tps_number: int | None = None
    place: str = ""
    name: str = ""
    phone: str = ""
    email: str = ""
    consent: bool = False


@dataclass(frozen=True)
class Receipt:
    receipt: str
    status: str
    reported_at: str
    replayed: bool

    def body(self) -> dict[str, str]:
        """The 201 body, identical for the first response and every replay."""
        return {"receipt": self.receipt, "status": self.status, "reported_at": self.reported_at}


@dataclass(frozen=True)
class PublicStatus:
    receipt: str
    stage: str
    status_text: str
    category: str
    category_text: str
    reported_at: dt.datetime
    kecamatan: str


def _limits(client: str | None) -> list[ratelimit.Limit]:
    who = client or "unknown"
    return [
        ratelimit.Limit(
            f"pub:c:{who}", getattr(settings, "SIAGA_PUBLIC_REPORTS_PER_CLIENT_PER_MINUTE", 10), 60
        ),
        ratelimit.Limit(
            f"pub:c:{who}", getattr(settings, "SIAGA_PUBLIC_REPORTS_PER_CLIENT_PER_DAY", 100), 86400
        ),
        # The overall cap protects the Posko queue and the database from a flood from many addresses; it is
        # sized above the intake target (300 reports/s) so that real surges still get through.
        ratelimit.Limit("pub:all", getattr(settings, "SIAGA_PUBLIC_REPORTS_PER_MINUTE", 30000), 60),
    ]


def _fingerprint(report: PublicReport, photo_bytes: Sequence[bytes]) -> str:
    # A shallow dict, not dataclasses.asdict (which deep-copies): this runs for every public report.
    payload = {f.name: getattr(report, f.name) for f in fields(report)}
    payload["photos"] = [hashlib.sha256(b).hexdigest() for b in photo_bytes]
    return services.fingerprint(payload)


def _tps_id(desa_id: int | None, number: int | None) -> int | None:
    if not desa_id or not number:
        return None
    # The TPS of the latest election in that desa with that number (reporters know "TPS 5", not codes).
    tps = (
        Tps.objects.filter(desa_id=desa_id, number=number)
        .order_by("-election__voting_on")
        .values_list("id", flat=True)
        .first()
    )
    if tps is None:
        raise ValidationFailed(
            _("TPS itu tidak ada di desa tersebut"),
            fields={"tps_number": [str(number)]},
        )
    return tps


def submit_public_report(
    *, report: PublicReport, photos: Sequence[Any] = (), idempotency_key: str, client: str | None
) -> Receipt:
    """File a citizen's report once per idempotency key; a retry gets the first receipt back.

    The report is checked and placed here, then written together with the others arriving at the same moment
    (siaga.incidents.batch): only new reports count against the rate limits, and the receipt is given only
    once the report is durably stored.
    """
    photo_bytes = [p if isinstance(p, bytes) else p.read() for p in photos]
    key = f"public:{idempotency_key}"
    data = services.IncidentData(
        source=Source.PUBLIC,
        category=report.category,
        description=report.description,
        occurred_at=report.occurred_at,
        lat=report.lat,
        lng=report.lng,
        desa_id=report.desa_id,
        tps_id=_tps_id(report.desa_id, report.tps_number),
        place=report.place,
        reporter=services.ReporterData(
            name=report.name, phone=report.phone, email=report.email, consented=report.consent
        ),
    )
    prepared = services.prepare_incident(
        actor=None,
        data=data,
        client_key=key,
        request_fingerprint=_fingerprint(report, photo_bytes),
        photo_files=photo_bytes,
    )
    outcome = batch.submit(prepared, _limits(client))
    return Receipt(
        receipt=outcome.incident.receipt,
        status=PUBLIC_STAGE[Status.NEW],
        reported_at=outcome.incident.reported_at.isoformat(),
        replayed=not outcome.created,
    )


def public_status(receipt: str) -> PublicStatus:
    code = receipt.strip().upper()
    if not RECEIPT_FORMAT.fullmatch(code):  # not a receipt at all: no database lookup
        raise NotFound(_("Kode tanda terima tidak ditemukan"))
    incident = (
        Incident.objects.filter(receipt=code)
        .select_related("kecamatan")
        .only("receipt", "status", "category", "reported_at", "kecamatan__name")
        .first()
    )
    if incident is None:
        raise NotFound(_("Kode tanda terima tidak ditemukan"))
    return PublicStatus(
        receipt=incident.receipt,
        stage=PUBLIC_STAGE[incident.status],
        status_text=str(PUBLIC_STATUS[incident.status]),
        category=incident.category,
        category_text=incident.get_category_display(),
        reported_at=incident.reported_at,
        kecamatan=incident.kecamatan.name if incident.kecamatan else "",
    )


def desa_choices() -> list[tuple[int, str]]:
    """(id, "Kecamatan - Desa") for the portal's place picker, sorted by kecamatan then desa."""
    rows = (
        Desa.objects.select_related("kecamatan")
        .order_by("kecamatan__name", "name")
        .values_list("id", "kecamatan__name", "name")
    )
    return [(pk, f"{kec} - {name}") for pk, kec, name in rows]


def has_elections() -> bool:
    return Election.objects.exists()


def check_lookup_rate(client: str | None) -> None:
    """Receipt lookups are limited per client so that codes cannot be guessed by brute force."""
    ratelimit.hit(
        [
            ratelimit.Limit(
                f"pub:lookup:{client or 'unknown'}",
                getattr(settings, "SIAGA_PUBLIC_LOOKUPS_PER_CLIENT_PER_MINUTE", 60),
                60,
            )
        ]
    )


_boundaries: dict[str, Any] = {}


def boundaries_geojson() -> dict[str, Any]:
    """Kecamatan boundaries (public administrative data), simplified, as the portal map's base layer."""
    if "data" in _boundaries:
        return _boundaries["data"]
    from shapely.geometry import mapping

    from siaga.core.geo import geometry
    from siaga.territory.models import Kecamatan

    features = []
    for name, boundary in Kecamatan.objects.exclude(boundary=None).values_list("name", "boundary"):
        geom = geometry(boundary or {}).simplify(0.0005, preserve_topology=True)
        features.append({"type": "Feature", "geometry": mapping(geom), "properties": {"name": name}})
    data = {"type": "FeatureCollection", "features": features}
    if features:
        _boundaries["data"] = data
    return data
