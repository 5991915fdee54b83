"""The Jember demo personnel: size, spread, synthetic flags, determinism and the two apel sessions."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Sum

from siaga.personnel import selectors
from siaga.personnel.demo import SATGAS_OF_FUNCTION, TOTAL_PERSONNEL, load_demo
from siaga.personnel.models import (
    ApelEntry,
    ApelSession,
    BkoAttachment,
    Equipment,
    PartnerForce,
    Personnel,
    SatgasAssignment,
)
from siaga.territory.models import PoliceUnit

pytestmark = pytest.mark.django_db


def test_demo_matches_the_jember_figures() -> None:
    # How long it takes is measured by bench/demo_load.py, not asserted here.
    load_demo(report=lambda p, m="": None)
    assert Personnel.objects.count() == TOTAL_PERSONNEL
    assert not Personnel.objects.filter(is_synthetic=False).exists()
    # Every Polsek and the Polsubsektor has officers, and a bigger TPS load means more officers.
    per_unit = dict(
        Personnel.objects.filter(unit__function="")
        .values_list("unit__police_unit__code")
        .annotate(n=Count("id"))
    )
    assert len(per_unit) == PoliceUnit.objects.exclude(level__in=["polres", "polda", "mabes"]).count() == 31
    assert min(per_unit.values()) >= 8
    assert Personnel.objects.filter(position="Bhabinkamtibmas", desa__isnull=False).count() > 200
    tni = PartnerForce.objects.filter(kind="tni").aggregate(n=Sum("count"))["n"]
    assert tni == 450
    assert PartnerForce.objects.filter(kind="linmas").count() > 200
    assert Equipment.objects.filter(kind="ht").count() > 100
    assert Equipment.objects.filter(kind__in=["car", "motorcycle", "truck"]).count() > 100
    sessions = list(ApelSession.objects.order_by("held_on"))
    assert len(sessions) == 2 and sessions[0].is_locked and not sessions[1].is_locked
    assert not ApelEntry.objects.filter(session=sessions[0], status="unmarked").exists()
    assert ApelEntry.objects.filter(session=sessions[1], status="unmarked").exists()
    polres = PoliceUnit.objects.get(code="polres-jember")
    strength = selectors.available_strength(polres=polres, operation_slug="mantap-praja-2024")
    assert strength is not None and strength["apel_id"] == sessions[0].pk
    present = ApelEntry.objects.filter(session=sessions[0], status="present").count()
    assert 950 < present < TOTAL_PERSONNEL
    # Ten officers were BKO'd out to Polda on the apel day and are marked so.
    assert ApelEntry.objects.filter(session=sessions[0], status="bko_out").count() == 10


def test_demo_is_deterministic() -> None:
    load_demo(report=lambda p, m="": None)
    first = list(
        Personnel.objects.order_by("nrp").values_list("nrp", "name", "unit__code", "rank__code")[:50]
    )
    statuses = list(
        ApelEntry.objects.filter(session__locked_at__isnull=False)
        .order_by("personnel__nrp")
        .values_list("status", flat=True)
    )
    ApelSession.objects.all().delete()
    Equipment.objects.all().delete()
    BkoAttachment.objects.all().delete()
    PartnerForce.objects.all().delete()
    Personnel.objects.all().delete()
    load_demo(report=lambda p, m="": None)
    assert (
        list(Personnel.objects.order_by("nrp").values_list("nrp", "name", "unit__code", "rank__code")[:50])
        == first
    )
    assert (
        list(
            ApelEntry.objects.filter(session__locked_at__isnull=False)
            .order_by("personnel__nrp")
            .values_list("status", flat=True)
        )
        == statuses
    )


def test_demo_puts_the_polres_functions_in_their_satgas(kabagops: Any) -> None:
    load_demo(report=lambda p, m="": None)
    kinds = dict(
        SatgasAssignment.objects.filter(satgas__operation__slug="mantap-praja-2024")
        .values_list("personnel__unit__function")
        .annotate(kinds=Count("satgas__kind", distinct=True))
        .values_list("personnel__unit__function", "kinds")
    )
    assert set(kinds) == set(SATGAS_OF_FUNCTION) and set(kinds.values()) == {1}
    for function, kind in SATGAS_OF_FUNCTION.items():
        in_satgas = SatgasAssignment.objects.filter(personnel__unit__function=function, satgas__kind=kind)
        assert in_satgas.count() == Personnel.objects.filter(unit__function=function).count() > 0
    assert not SatgasAssignment.objects.filter(personnel__unit__function="").exists()
    locked = ApelSession.objects.filter(locked_at__isnull=False).get()
    by_satgas = selectors.readiness(kabagops, locked).by_satgas
    preventif = next(r for r in by_satgas if r.label == "Satgas Preventif")
    assert 0 < preventif.present <= preventif.roster
