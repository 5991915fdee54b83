"""The readiness roll-up, recomputed independently; the PDF and XLSX reports; available strength for planners."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from siaga.personnel import selectors, services
from siaga.personnel.models import (
    ApelEntry,
    ApelEquipmentCheck,
    ApelSession,
    BkoAttachment,
    Equipment,
    Personnel,
    Unit,
)

pytestmark = pytest.mark.django_db

PATTERN = [
    ApelEntry.Status.PRESENT,
    ApelEntry.Status.PRESENT,
    ApelEntry.Status.SICK,
    ApelEntry.Status.PRESENT,
    ApelEntry.Status.LEAVE,
    ApelEntry.Status.DUTY,
    ApelEntry.Status.PRESENT,
    ApelEntry.Status.BKO_OUT,
    ApelEntry.Status.ABSENT,
    ApelEntry.Status.PRESENT,
]


@pytest.fixture
def marked(apel: ApelSession, kabagops: Any, units: dict[str, Unit]) -> ApelSession:
    for entry, status in zip(ApelEntry.objects.filter(session=apel).order_by("pk"), PATTERN, strict=True):
        services.mark_attendance(
            actor=kabagops, entry=entry, status=status, reason="tanpa kabar" if status == "absent" else ""
        )
    services.create_bko(
        actor=kabagops,
        data={
            "direction": "in",
            "origin": "brimob",
            "origin_name": "Sat Brimob Polda Jatim",
            "unit": units["polsek-tempurejo"],
            "count": 30,
            "starts_on": dt.date(2024, 8, 1),
        },
    )
    # Ended before the apel: must not count.
    services.create_bko(
        actor=kabagops,
        data={
            "direction": "in",
            "origin": "polres",
            "origin_name": "Polres Lumajang",
            "unit": units["sat_samapta"],
            "count": 5,
            "starts_on": dt.date(2024, 7, 1),
            "ends_on": dt.date(2024, 7, 31),
        },
    )
    checks = {
        c.equipment.kind: c
        for c in ApelEquipmentCheck.objects.filter(session=apel).select_related("equipment")
    }
    services.check_equipment(actor=kabagops, check=checks[Equipment.Kind.CAR], result="ready")
    services.check_equipment(actor=kabagops, check=checks[Equipment.Kind.MOTORCYCLE], result="unserviceable")
    services.check_equipment(
        actor=kabagops, check=checks[Equipment.Kind.SHIELD], result="ready", ready_quantity=7
    )
    # The HT stays unchecked.
    return apel


def _independent_strength(session: ApelSession) -> dict[str, dict[str, int]]:
    """Count per unit name in plain Python from the raw rows: roster, present, and BKO in on the apel day."""
    out: dict[str, Counter[str]] = {}
    for e in ApelEntry.objects.filter(session=session).select_related("unit"):
        c = out.setdefault(e.unit.name, Counter())
        c["roster"] += 1
        c["present"] += e.status == ApelEntry.Status.PRESENT
    for b in BkoAttachment.objects.filter(direction="in").select_related("unit"):
        if b.starts_on <= session.held_on and (b.ends_on is None or b.ends_on >= session.held_on):
            out.setdefault(b.unit.name, Counter())["bko_in"] += b.count
    return {
        k: {"roster": v["roster"], "present": v["present"], "real_strength": v["present"] + v["bko_in"]}
        for k, v in out.items()
    }


def test_real_strength_per_unit_matches_an_independent_count(marked: ApelSession, kabagops: Any) -> None:
    r = selectors.readiness(kabagops, marked)
    got = {
        row.label: {"roster": row.roster, "present": row.present, "real_strength": row.real_strength}
        for row in r.by_unit
    }
    assert got == _independent_strength(marked)
    assert got["Polsek Tempurejo"]["real_strength"] == 30 + got["Polsek Tempurejo"]["present"]
    assert (r.total.roster, r.total.present, r.total.bko_in) == (10, 5, 30)
    assert r.total.counts[ApelEntry.Status.ABSENT] == 1 and r.total.counts[ApelEntry.Status.SICK] == 1
    assert sum(row.roster for row in r.by_police_unit) == r.total.roster


def test_equipment_readiness_matches_an_independent_count(marked: ApelSession, kabagops: Any) -> None:
    expected: dict[str, Counter[str]] = {}
    for c in ApelEquipmentCheck.objects.filter(session=marked).select_related("equipment"):
        q = c.equipment.quantity
        e = expected.setdefault(c.equipment.kind, Counter())
        e["total"] += q
        if c.result == "":
            e["unchecked"] += q
        elif c.result == "missing":
            e["missing"] += q
        elif q > 1:
            e["ready"] += c.ready_quantity
            e["unserviceable"] += q - c.ready_quantity
        else:
            e[{"ready": "ready", "unserviceable": "unserviceable"}[c.result]] += 1
    got = {
        e["kind"]: {k: e[k] for k in ("total", "ready", "unserviceable", "missing", "unchecked") if e[k]}
        for e in selectors.equipment_readiness(kabagops, marked)
    }
    assert got == {k: dict(v) for k, v in expected.items()}
    assert got["shield"] == {"total": 10, "ready": 7, "unserviceable": 3}
    assert got["ht"] == {"total": 1, "unchecked": 1}


def test_readiness_is_scoped_for_a_polsek_account(marked: ApelSession, polsek_tempurejo: Any) -> None:
    r = selectors.readiness(polsek_tempurejo, marked)
    assert [row.label for row in r.by_unit] == ["Polsek Tempurejo"]
    assert r.total.roster == 3 and r.total.bko_in == 30
    assert {e["kind"] for e in r.equipment} == {"motorcycle", "ht"}


def test_pdf_report_contains_the_totals(marked: ApelSession, client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get(f"/personel/apel/{marked.pk}/laporan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "LAPORAN HASIL APEL KESIAPAN" in text
    flat = " ".join(text.split())
    assert "Jumlah roster 10 personel; hadir 5 (50,0%); BKO masuk 30; kekuatan riil 35." in flat
    assert "JUMLAH 10 5 0 1 1 1 1 1 30 35" in flat


def test_xlsx_report_totals_match_the_page(marked: ApelSession, client_for: Any, kabagops: Any) -> None:
    c = client_for(kabagops)
    page = c.get(f"/personel/apel/{marked.pk}/kesiapan/").content.decode()
    response = c.get(f"/personel/apel/{marked.pk}/laporan.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(values_only=True)}
    for label, element_id in [
        ("Jumlah personel (roster)", "total-roster"),
        ("Hadir", "total-present"),
        ("BKO masuk", "total-bko-in"),
        ("Kekuatan riil", "total-real-strength"),
    ]:
        assert f'id="{element_id}">{summary[label]}<' in page
    per_unit = list(wb["Per satuan"].iter_rows(values_only=True))
    assert per_unit[-1][0] == "Jumlah" and per_unit[-1][1] == 10 and per_unit[-1][2] == 5
    assert len(list(wb["Kehadiran"].iter_rows())) == 11


def test_available_strength_uses_the_latest_locked_apel(
    marked: ApelSession, kabagops: Any, commander: Any, polres: Any
) -> None:
    assert selectors.available_strength(polres=polres) is None
    assert not selectors.available_officers(polres=polres).exists()
    services.lock_apel(actor=commander, session=marked)
    strength = selectors.available_strength(polres=polres, operation_slug="mantap-praja-2024")
    assert strength is not None and strength["apel_id"] == marked.pk
    assert strength["total"] == 5 + 30
    officers = list(selectors.available_officers(polres=polres))
    assert len(officers) == 5
    present_ids = set(
        ApelEntry.objects.filter(session=marked, status="present").values_list("personnel_id", flat=True)
    )
    assert {o.pk for o in officers} == present_ids
    ipda = next(o for o in officers if o.rank.code == "ipda")
    assert ipda.is_perwira is True and ipda.rank_order == ipda.rank.order  # type: ignore[attr-defined]
    assert all(o.is_perwira is False for o in officers if o.pk != ipda.pk)  # type: ignore[attr-defined]
    # A later open apel changes nothing until it is locked.
    later = services.create_apel_session(
        actor=kabagops,
        polres=polres,
        operation_slug="mantap-praja-2024",
        kind="pergeseran",
        held_on=dt.date(2024, 11, 26),
        place="Mapolres",
    )
    assert selectors.available_strength(polres=polres)["apel_id"] == marked.pk  # type: ignore[index]
    for e in ApelEntry.objects.filter(session=later):
        services.mark_attendance(actor=kabagops, entry=e, status="present")
    services.lock_apel(actor=commander, session=later)
    assert selectors.available_strength(polres=polres)["apel_id"] == later.pk  # type: ignore[index]
    assert selectors.available_officers(polres=polres, on_date=dt.date(2024, 9, 1)).count() == 5
    assert selectors.available_officers(polres=polres).count() == Personnel.objects.count()


def test_trend_lists_sessions_oldest_first(marked: ApelSession, kabagops: Any, polres: Any) -> None:
    services.create_apel_session(
        actor=kabagops,
        polres=polres,
        operation_slug="mantap-praja-2024",
        kind="harian",
        held_on=dt.date(2024, 8, 1),
        place="Mapolres",
    )
    rows = selectors.trend(kabagops, marked)
    assert [r["held_on"] for r in rows] == [dt.date(2024, 8, 1), dt.date(2024, 8, 19)]
    assert rows[1]["present"] == 5 and rows[1]["roster"] == 10 and rows[1]["percent"] == 50.0
