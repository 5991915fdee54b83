"""Writes of the field app: the TPS reports (arrival, situation). Every write is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.core import photos as core_photos
from siaga.core.audit import record_change, snapshot
from siaga.core.errors import ValidationFailed
from siaga.core.models import AuditEvent
from siaga.field.models import TpsReport
from siaga.patrols.photos import decode_data_url
from siaga.sites.models import Tps

PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_SIDE = 1600
photo_store = core_photos.PhotoStore(setting="SIAGA_FIELD_PHOTO_DIR", default_subdir="tps-report-photos")

# A phone whose clock is wrong (or a report sent days later) must not land in the future of the Posko's log.
CLOCK_SKEW = dt.timedelta(minutes=10)


def file_tps_report(
    *,
    actor: Any,
    tps: Tps,
    kind: str,
    condition: str = "",
    note: str = "",
    lat: float | None = None,
    lng: float | None = None,
    reported_at: dt.datetime | None = None,
    photo_data_url: str = "",
    personnel: Any = None,
) -> TpsReport:
    """Record an officer's arrival at a TPS or its situation now. The photo is re-encoded (no EXIF) first."""
    now = timezone.now()
    reported_at = reported_at or now
    if timezone.is_naive(reported_at):
        reported_at = timezone.make_aware(reported_at)
    if reported_at > now + CLOCK_SKEW:
        raise ValidationFailed(
            _("Waktu laporan di masa depan: periksa jam ponsel"),
            fields={"reported_at": [reported_at.isoformat()]},
        )
    data = b""
    if photo_data_url:
        raw = decode_data_url(photo_data_url)
        data = core_photos.reencode(
            raw, max_bytes=PHOTO_MAX_BYTES, max_side=PHOTO_MAX_SIDE, quality=80, field="photo"
        ).data
    report = TpsReport(
        tps=tps, kecamatan_id=tps.kecamatan_id, kind=kind, condition=condition if kind == TpsReport.Kind.SITUATION else "",
        note=note.strip(), lat=lat, lng=lng, reported_at=reported_at, user=actor, personnel=personnel,
    )  # fmt: skip
    try:
        report.full_clean(exclude=["photo"])
    except ValidationError as exc:
        raise ValidationFailed(
            _("Laporan TPS tidak valid"),
            fields={k: [str(m) for m in v] for k, v in exc.message_dict.items()},
        ) from exc
    name = photo_store.store(data) if data else ""
    try:
        with transaction.atomic():
            report.photo = name
            report.save()
            record_change(actor=actor, action=AuditEvent.Action.CREATE, obj=report, after=snapshot(report))
    except BaseException:
        if name:
            photo_store.delete(name)
        raise
    return report
