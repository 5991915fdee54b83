"""Small builders for incident tests (through the services, so audit and timeline rows are real)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from siaga.incidents import services
from siaga.incidents.models import Incident, ResponseUnit
from siaga.territory.models import Kecamatan, PoliceUnit

_seq = itertools.count(1)


def make_incident(
    *,
    actor: Any = None,
    kecamatan: str = "Tempurejo",
    category: str = "money_politics",
    description: str = "",
    lat: float | None = None,
    lng: float | None = None,
    offset: tuple[float, float] = (0.0, 0.0),
    **extra: Any,
) -> Incident:
    kec = Kecamatan.objects.get(name=kecamatan)
    data = services.IncidentData(
        source=extra.pop("source", "call"),
        category=category,
        description=description or f"Laporan uji nomor {next(_seq)} tentang kejadian di desa",
        occurred_at=extra.pop("occurred_at", timezone.now() - dt.timedelta(minutes=30)),
        lat=(lat if lat is not None else kec.lat) + offset[0],
        lng=(lng if lng is not None else kec.lng) + offset[1],
        reporter=extra.pop("reporter", services.ReporterData()),
        **extra,
    )
    return services.create_incident(actor=actor, data=data)


def make_unit(
    *,
    call_sign: str,
    kecamatan: str = "Tempurejo",
    offset: tuple[float, float] = (0.0, 0.0),
    members: list[int] | None = None,
    status: str = ResponseUnit.UnitStatus.AVAILABLE,
) -> ResponseUnit:
    kec = Kecamatan.objects.get(name=kecamatan)
    polsek = PoliceUnit.objects.filter(jurisdiction=kec, level=PoliceUnit.Level.POLSEK).first()
    unit = services.create_response_unit(
        actor=None,
        call_sign=call_sign,
        name=f"Unit {call_sign}",
        kind=ResponseUnit.Kind.PATROL,
        police_unit=polsek,
        kecamatan=kec,
        lat=kec.lat + offset[0],
        lng=kec.lng + offset[1],
        member_ids=members or [],
    )
    if status != unit.status:
        ResponseUnit.objects.filter(pk=unit.pk).update(status=status)
        unit.refresh_from_db()
    return unit
