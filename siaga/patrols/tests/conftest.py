"""Fixtures for patrol tests: points at KPU/Bawaslu Jember and quiet places in Tempurejo and Kaliwates, a Sat
Samapta unit (Polres depot) and a Polsek Tempurejo unit, and a small plan. Other apps' demo data is not in
the test database, so everything is made here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from siaga.patrols import services
from siaga.patrols.models import PatrolPlan, PatrolPoint, PatrolUnit
from siaga.sites.models import VitalObject
from siaga.territory.models import Kecamatan, PoliceUnit

FIRST_DAY = dt.date(2024, 2, 8)


@pytest.fixture
def polres(db: Any) -> PoliceUnit:
    return PoliceUnit.objects.get(code="polres-jember")


@pytest.fixture
def polsek_tempurejo_unit(db: Any) -> PoliceUnit:
    return PoliceUnit.objects.get(code="polsek-tempurejo")


def _point(code: str, name: str, kecamatan: Kecamatan, lat: float, lng: float, **extra: Any) -> PatrolPoint:
    return services.create_point(actor=None, code=code, name=name, kind=extra.pop("kind", PatrolPoint.Kind.QUIET_PLACE),
                                 kecamatan=kecamatan, lat=lat, lng=lng, is_synthetic=True, **extra)  # fmt: skip


@pytest.fixture
def points(db: Any) -> list[PatrolPoint]:
    kpu = VitalObject.objects.get(kind=VitalObject.Kind.KPU_OFFICE, name__icontains="Jember")
    bawaslu = VitalObject.objects.get(kind=VitalObject.Kind.BAWASLU_OFFICE, name__icontains="Jember")
    tempurejo = Kecamatan.objects.get(name__iexact="Tempurejo")
    kaliwates = Kecamatan.objects.get(name__iexact="Kaliwates")
    out = [
        _point("t-kpu", "KPU Jember", kpu.kecamatan, kpu.lat, kpu.lng, kind=PatrolPoint.Kind.VITAL_OBJECT, vital_object=kpu,
               value=9, min_visits=1, min_visits_key_stage=2),
        _point("t-bawaslu", "Bawaslu Jember", bawaslu.kecamatan, bawaslu.lat, bawaslu.lng, kind=PatrolPoint.Kind.VITAL_OBJECT,
               vital_object=bawaslu, value=8, min_visits=1),
    ]  # fmt: skip
    for i in range(4):
        out.append(
            _point(
                f"t-sepi-kw-{i}",
                f"Jalan sepi Kaliwates {i}",
                kaliwates,
                kaliwates.lat + 0.004 * i,
                kaliwates.lng - 0.003 * i,
                value=3 + i,
            )
        )
        out.append(_point(f"t-sepi-tp-{i}", f"Kebun sepi Tempurejo {i}", tempurejo, tempurejo.lat + 0.005 * i, tempurejo.lng + 0.004 * i,
                          value=2 + i, open_slots=[1, 2] if i == 0 else []))  # fmt: skip
    return out


@pytest.fixture
def samapta_unit(polres: PoliceUnit) -> PatrolUnit:
    return services.create_unit(
        actor=None,
        code="t-samapta",
        name="Patroli Sat Samapta",
        depot=polres,
        vehicles=2,
        shift_slots=[0, 1, 2],
    )


@pytest.fixture
def tempurejo_unit(polsek_tempurejo_unit: PoliceUnit) -> PatrolUnit:
    return services.create_unit(
        actor=None,
        code="t-tempurejo",
        name="Patroli Polsek Tempurejo",
        depot=polsek_tempurejo_unit,
        vehicles=1,
        shift_slots=[0, 1],
    )


@pytest.fixture
def plan(
    polres: PoliceUnit, points: list[PatrolPoint], samapta_unit: PatrolUnit, tempurejo_unit: PatrolUnit
) -> PatrolPlan:
    return services.create_plan(
        actor=None, name="Patroli uji", polres=polres, starts_on=FIRST_DAY, ends_on=FIRST_DAY + dt.timedelta(days=13),
        points=points, units=[samapta_unit, tempurejo_unit], visits_per_vehicle_shift=3,
    )  # fmt: skip
