"""Fixtures for guard tests: demo-like personnel of Polres Jember, posts at KPU/Bawaslu Jember, small rosters.

Other apps' demo data is not in the test database, so the officers are made here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest

from siaga.guard import services
from siaga.guard.models import Post, Roster
from siaga.personnel.models import Personnel, Rank, Unit
from siaga.sites.models import VitalObject
from siaga.territory.models import PoliceUnit

_nrp = itertools.count(88010001)


@pytest.fixture
def polres(db: Any) -> PoliceUnit:
    return PoliceUnit.objects.get(code="polres-jember")


@pytest.fixture
def samapta(polres: PoliceUnit) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        code="polres-jember-sat-samapta",
        defaults={
            "name": "Sat Samapta",
            "polres": polres,
            "police_unit": polres,
            "function": Unit.Function.SAT_SAMAPTA,
            "order": 10,
        },
    )
    return unit


@pytest.fixture
def make_officer(samapta: Unit) -> Callable[..., Personnel]:
    rank = Rank.objects.order_by("order").first()

    def make(name: str = "", **extra: Any) -> Personnel:
        nrp = str(next(_nrp))
        return Personnel.objects.create(
            nrp=nrp, name=name or f"Bripda Jaga {nrp}", rank=rank, unit=samapta, is_synthetic=True, **extra
        )

    return make


@pytest.fixture
def demo_personnel(make_officer: Callable[..., Personnel]) -> list[Personnel]:
    return [make_officer() for _ in range(60)]


@pytest.fixture
def kpu(db: Any) -> VitalObject:
    return VitalObject.objects.get(kind=VitalObject.Kind.KPU_OFFICE, name__icontains="Jember")


@pytest.fixture
def bawaslu(db: Any) -> VitalObject:
    return VitalObject.objects.get(kind=VitalObject.Kind.BAWASLU_OFFICE, name__icontains="Jember")


@pytest.fixture
def kpu_post(kpu: VitalObject) -> Post:
    return services.create_post(
        actor=None, vital_object=kpu, code="t-kpu-pos", name="Pos KPU", kind=Post.Kind.POS_JAGA, required=1
    )


@pytest.fixture
def cctv_post(kpu: VitalObject) -> Post:
    return services.create_post(
        actor=None,
        vital_object=kpu,
        code="t-kpu-cctv",
        name="CCTV KPU",
        kind=Post.Kind.CCTV,
        qualification="",
    )


@pytest.fixture
def small_roster(
    polres: PoliceUnit, kpu_post: Post, cctv_post: Post, make_officer: Callable[..., Personnel]
) -> Roster:
    """Two posts (1 guard + the CCTV seat), 3 days of 3 x 8 h, eight officers; solved and published."""
    officers = [make_officer() for _ in range(8)]
    roster = services.create_roster(
        actor=None,
        name="Uji",
        polres=polres,
        starts_on=dt.date(2024, 2, 12),
        ends_on=dt.date(2024, 2, 14),
        posts=[kpu_post, cctv_post],
        officers=officers,
        time_limit_s=5,
    )
    result = services.compute_roster(roster=roster, time_limit=3)
    assert result.is_feasible()
    roster.refresh_from_db()
    services.publish_roster(actor=None, roster=roster)
    return roster
