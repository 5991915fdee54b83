"""Fixtures for personnel tests: the Jember Polres units, officers and an apel with a small roster."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from siaga.personnel import services
from siaga.personnel.models import ApelSession, Equipment, Personnel, Rank, Unit
from siaga.territory.models import PoliceUnit

_nrp = itertools.count(80010001)


@pytest.fixture
def polres(db: Any) -> PoliceUnit:
    return PoliceUnit.objects.get(code="polres-jember")


@pytest.fixture
def units(polres: PoliceUnit) -> dict[str, Unit]:
    """Units by short key: function codes ("bag_ops", ...) and Polsek codes ("polsek-tempurejo", ...)."""
    out = {}
    for unit in services.ensure_units(polres=polres):
        out[unit.function or unit.police_unit.code] = unit
    return out


@pytest.fixture
def make_officer(units: dict[str, Unit]) -> Callable[..., Personnel]:
    def make(unit: str = "sat_samapta", rank: str = "bripda", name: str = "", **extra: Any) -> Personnel:
        nrp = str(next(_nrp))
        return Personnel.objects.create(
            nrp=nrp,
            name=name or f"Petugas {nrp}",
            rank=Rank.objects.get(code=rank),
            unit=units[unit],
            **extra,
        )

    return make


@pytest.fixture
def roster(make_officer: Callable[..., Personnel]) -> list[Personnel]:
    """Ten officers: 4 Sat Samapta (one Ipda), 3 Polsek Tempurejo, 3 Polsek Kaliwates."""
    people = [make_officer("sat_samapta", "ipda")] + [make_officer("sat_samapta") for _ in range(3)]
    people += [make_officer("polsek-tempurejo", "aipda")] + [
        make_officer("polsek-tempurejo") for _ in range(2)
    ]
    people += [make_officer("polsek-kaliwates", "brigpol") for _ in range(3)]
    return people


@pytest.fixture
def equipment(units: dict[str, Unit]) -> list[Equipment]:
    return [
        Equipment.objects.create(kind=Equipment.Kind.CAR, identifier="P 1001 XX", unit=units["sat_samapta"]),
        Equipment.objects.create(
            kind=Equipment.Kind.MOTORCYCLE, identifier="P 2001 XX", unit=units["polsek-tempurejo"]
        ),
        Equipment.objects.create(
            kind=Equipment.Kind.HT, identifier="HT-0001", unit=units["polsek-tempurejo"]
        ),
        Equipment.objects.create(kind=Equipment.Kind.SHIELD, quantity=10, unit=units["sat_samapta"]),
    ]


@pytest.fixture
def apel(
    kabagops: Any, polres: PoliceUnit, roster: list[Personnel], equipment: list[Equipment]
) -> ApelSession:
    return services.create_apel_session(
        actor=kabagops,
        polres=polres,
        operation_slug="mantap-praja-2024",
        kind=ApelSession.Kind.GELAR_PASUKAN,
        held_on=dt.date(2024, 8, 19),
        place="Lapangan Mapolres Jember",
    )
