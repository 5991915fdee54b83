"""The Lapsit of a demo day checked figure by figure against counts made here with plain ORM queries and Python
loops over the same day's rows (not the Lapsit's queries), then its PDF and XLSX opened and read back.

The day is H-1 of the demo Pemilu (tests pin voting day to 2024-02-14): the incidents demo's reports, a published
guard roster (solved), a patrol day with visits and check-ins, events, logistics legs, posko alerts and journal
entries, partner forces and a reserve.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from siaga.events.models import Event
from siaga.guard.models import Assignment
from siaga.guard.tests.conftest import (  # noqa: F401 - fixtures
    cctv_post,
    kpu,
    kpu_post,
    make_officer,
    polres,
    samapta,
    small_roster,
)
from siaga.incidents.demo import load_demo as load_incidents
from siaga.incidents.models import OPEN_STATUSES, Category, Incident, Priority
from siaga.lapsit import services
from siaga.lapsit.models import Lapsit, Reserve
from siaga.logistics.models import Leg
from siaga.operations.models import Election, Operation
from siaga.operations.selectors import current_siaga, required_strength
from siaga.patrols.models import PatrolCheckIn, PatrolDay, PatrolPlan, PatrolVisit
from siaga.patrols.tests.conftest import points, samapta_unit  # noqa: F401 - fixtures
from siaga.personnel.models import PartnerForce, Personnel
from siaga.personnel.selectors import strength_basis
from siaga.posko.models import Alert, JournalEntry
from siaga.territory.models import Kecamatan, PoliceUnit

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 2, 13)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def demo_day(
    small_roster: Any,  # noqa: F811
    points: list[Any],  # noqa: F811
    samapta_unit: Any,  # noqa: F811
    kabagops: Any,
) -> PoliceUnit:
    jember = PoliceUnit.objects.get(code="polres-jember")
    election = Election.objects.get(slug="pemilu-2024")
    load_incidents(report=lambda p, m="": None)
    tempurejo = Kecamatan.objects.get(name__iexact="Tempurejo")
    kaliwates = Kecamatan.objects.get(name__iexact="Kaliwates")
    plan = PatrolPlan.objects.create(
        name="Uji",
        polres=jember,
        starts_on=DAY,
        ends_on=DAY + dt.timedelta(days=1),
        status=PatrolPlan.Status.ACTIVE,
    )
    for n, day in enumerate((DAY, DAY + dt.timedelta(days=1))):
        pday = PatrolDay.objects.create(plan=plan, day_on=day, seed=n, status=PatrolDay.Status.FEASIBLE)
        for i, point in enumerate(points[:4]):
            visit = PatrolVisit.objects.create(
                day=pday,
                point=point,
                slot=i,
                unit=samapta_unit,
                planned_at=at(day, 8 + i),
                is_cancelled=i == 3,
            )
            if day == DAY and i in (0, 2):
                for _ in range(2 if i == 0 else 1):  # two check-ins on one visit still make one visit done
                    PatrolCheckIn.objects.create(
                        point=point, unit=samapta_unit, visit=visit, day_on=day, lat=point.lat, lng=point.lng,
                        arrived_at=at(day, 8 + i, 5),
                    )  # fmt: skip
    for hour, kecamatan, status in (
        (9, tempurejo, "done"),
        (14, kaliwates, "planned"),
        (23, tempurejo, "planned"),
    ):
        Event.objects.create(
            election=election, kind=Event.Kind.CAMPAIGN, title=f"Kampanye uji {hour}", kecamatan=kecamatan,
            place="Lapangan", lat=-8.2, lng=113.7, starts_at=at(DAY, hour), ends_at=at(DAY, hour) + dt.timedelta(minutes=50),
            status=status,
        )  # fmt: skip
    Event.objects.create(
        election=election, kind=Event.Kind.KPU, title="Rapat besok", kecamatan=kaliwates, place="Kantor", lat=-8.2, lng=113.7,
        starts_at=at(DAY + dt.timedelta(days=1), 10), ends_at=at(DAY + dt.timedelta(days=1), 12),
    )  # fmt: skip
    for i, (hour, status) in enumerate(
        ((7, "arrived"), (10, "handed_over"), (15, "departed"), (16, "planned"))
    ):
        Leg.objects.create(
            election=election, key=f"uji-{i}", hop="ppk_pps", trip=f"t{i}", kecamatan=tempurejo,
            origin="PPK", destination="PPS", origin_lat=-8.2, origin_lng=113.7, dest_lat=-8.3, dest_lng=113.8,
            planned_arrive=at(DAY, hour), status=status,
        )  # fmt: skip
    Leg.objects.create(
        election=election, key="uji-besok", hop="ppk_pps", trip="tb", kecamatan=tempurejo, origin="PPK",
        destination="PPS", origin_lat=-8.2, origin_lng=113.7, dest_lat=-8.3, dest_lng=113.8,
        planned_arrive=at(DAY + dt.timedelta(days=1), 9),
    )  # fmt: skip
    for key, kind, raised, closed in (
        ("uji:1", "guard.unstaffed", at(DAY, 6, 20), at(DAY, 7)),
        ("uji:2", "guard.cctv_empty", at(DAY, 13), None),
        ("uji:old", "guard.handover_missed", at(DAY - dt.timedelta(days=1), 22), None),
    ):
        Alert.objects.create(
            key=key, source="guard", kind=kind, title=key, kecamatan=tempurejo, since=raised, raised_at=raised,
            last_seen_at=raised, status="closed" if closed else "open", closed_at=closed,
        )  # fmt: skip
    for hour, text in ((7, "Apel pagi lengkap"), (21, "Situasi aman terkendali")):
        JournalEntry.objects.create(
            occurred_at=at(DAY, hour), written_at=at(DAY, hour), author=kabagops, text=text
        )
    for kind, count in (("linmas", 40), ("linmas", 12), ("tni", 9)):
        PartnerForce.objects.create(kind=kind, unit_name=f"{kind} uji", kecamatan=tempurejo, count=count)
    Reserve.objects.create(polres=jember, name="1 SSK Brimob", origin="brimob", count=100, starts_on=DAY)
    Reserve.objects.create(polres=jember, name="SSK lama", count=50, starts_on=DAY - dt.timedelta(days=9),
                           ends_on=DAY - dt.timedelta(days=2))  # fmt: skip
    return jember


def _units(unit: PoliceUnit) -> dict[int, PoliceUnit]:
    return {u.pk: u for u in PoliceUnit.objects.filter(kabupaten=unit.kabupaten)}


def _own_kecamatan(unit: PoliceUnit) -> set[int]:
    """A Polsek's kecamatan less those of its Polsubsektor (which report as their own unit)."""
    mine = set(unit.jurisdiction.values_list("id", flat=True))
    for child in PoliceUnit.objects.filter(parent=unit):
        mine -= set(child.jurisdiction.values_list("id", flat=True))
    return mine


def test_the_lapsit_of_a_demo_day_matches_independent_counts(demo_day: PoliceUnit, kabagops: Any) -> None:
    jember = demo_day
    now = at(DAY + dt.timedelta(days=2), 8)
    lapsit = services.generate_lapsit(
        polres=jember, day=DAY, trigger=Lapsit.Trigger.ON_DEMAND, actor=kabagops, now=now
    )
    s = lapsit.figures["sections"]
    kabupaten_kecamatan = set(
        Kecamatan.objects.filter(kabupaten=jember.kabupaten).values_list("id", flat=True)
    )

    # I. situation: the siaga level in force at the end of the day, the H-day.
    election = Election.objects.get(slug="pemilu-2024")
    operation = Operation.objects.get(polres=jember, election=election, starts_on__lte=DAY, ends_on__gte=DAY)
    change = current_siaga(operation, at(DAY + dt.timedelta(days=1), 0))
    assert s["situation"]["siaga"]["level"] == (change.level if change else "normal")
    assert s["situation"]["h_label"] == "H-1"
    assert s["situation"]["election"]["slug"] == "pemilu-2024"

    # IV. incidents: every report of the day (local time) in the kabupaten, by category, priority and Polsek.
    day_incidents = [
        i
        for i in Incident.objects.all()
        if timezone.localtime(i.reported_at).date() == DAY and i.kecamatan_id in kabupaten_kecamatan
    ]
    assert len(day_incidents) >= 3, "the incidents demo has reports on H-1"
    inc = s["incidents"]
    assert inc["total"] == len(day_incidents)
    assert {r["code"]: r["n"] for r in inc["by_category"]} == {
        c: sum(1 for i in day_incidents if i.category == c) for c in Category.values
    }
    assert {r["code"]: r["n"] for r in inc["by_priority"]} == {
        p: sum(1 for i in day_incidents if i.priority == p) for p in Priority.values
    }
    assert inc["open"] == sum(1 for i in day_incidents if i.status in OPEN_STATUSES)
    assert inc["referred"] == {
        "bawaslu": sum(1 for i in day_incidents if i.referral == "bawaslu"),
        "propam": sum(1 for i in day_incidents if i.referral == "propam"),
    }
    assert sorted(r["receipt"] for r in inc["notable"]) == sorted(
        i.receipt for i in day_incidents if i.priority <= 2
    )
    units = _units(jember)
    by_code = {u.code: u for u in units.values()}
    assert sum(r["n"] for r in inc["by_polsek"]) == len(day_incidents)
    for row in inc["by_polsek"]:
        own = _own_kecamatan(by_code[row["code"]])
        assert row["n"] == sum(1 for i in day_incidents if i.kecamatan_id in own), row

    # III. activities: patrol visits planned (not cancelled) and done (with a check-in), per Polsek.
    act = s["activities"]
    visits = PatrolVisit.objects.filter(day__day_on=DAY, is_cancelled=False)
    assert act["patrols"]["planned"] == visits.count() == 3
    assert act["patrols"]["done"] == sum(1 for v in visits if v.checkins.exists()) == 2
    assert sum(r["planned"] for r in act["patrols"]["by_polsek"]) == 3
    # Guard: officers and posts on the published roster that day.
    roster_day = Assignment.objects.filter(on=DAY)
    assert act["guard"]["officers_rostered"] == len({a.personnel_id for a in roster_day}) > 0
    assert act["guard"]["posts_rostered"] == len({a.post_id for a in roster_day}) == 2
    # Posko alerts: two raised that day, one carried over from the day before; one closed within the day.
    assert act["alerts"]["raised"] == 2
    assert act["alerts"]["carried_over"] == 1
    assert act["alerts"]["guard"] == 2
    assert act["alerts"]["open_at_end"] == 2
    assert {r["code"]: r["n"] for r in act["alerts"]["by_kind"]} == {
        "guard.unstaffed": 1,
        "guard.cctv_empty": 1,
    }
    # Events starting that day; logistics legs due that day.
    day_events = [e for e in Event.objects.all() if timezone.localtime(e.starts_at).date() == DAY]
    assert act["events"]["count"] == len(day_events) == 3
    assert [e["title"] for e in act["events"]["items"]] == [
        e.title for e in sorted(day_events, key=lambda e: e.starts_at)
    ]
    assert act["events"]["by_status"] == dict(Counter(e.status for e in day_events))
    day_legs = [leg for leg in Leg.objects.all() if timezone.localtime(leg.planned_arrive).date() == DAY]
    assert (
        act["logistics"]
        == {
            "legs_due": len(day_legs),
            "arrived": sum(1 for leg in day_legs if leg.status in ("arrived", "handed_over")),
            "late": sum(1 for leg in day_legs if leg.status not in ("arrived", "handed_over")),
        }
        == {"legs_due": 4, "arrived": 2, "late": 2}
    )

    # II. strength: required from the patterns, available by the one definition, partner forces, the reserve.
    st = s["strength"]
    report = required_strength(kabagops, election=election)
    assert st["total"]["polri_required"] == report.result.total.police
    assert st["total"]["linmas_required"] == report.result.total.linmas
    assert st["total"]["tni_required"] == report.result.total.tni
    basis = strength_basis(polres=jember, election=election)
    assert st["total"]["polri_available"] == basis.total
    forces = PartnerForce.objects.filter(kecamatan__kabupaten=jember.kabupaten)
    assert (
        st["total"]["linmas_available"] == forces.filter(kind="linmas").aggregate(n=Sum("count"))["n"] == 52
    )
    assert st["total"]["tni_available"] == forces.filter(kind="tni").aggregate(n=Sum("count"))["n"] == 9
    tempurejo_row = next(r for r in st["rows"] if r["code"] == "polsek-tempurejo")
    assert (tempurejo_row["linmas_available"], tempurejo_row["tni_available"]) == (52, 9)
    for row in st["rows"]:
        unit = by_code[row["code"]]
        need = report.result.by_unit.get(unit.pk)
        assert row["polri_required"] == (need.police if need else 0), row
        assert row["polri_available"] == basis.for_unit(unit.pk), row
    assert st["reserve"]["total"] == 100 and [r["name"] for r in st["reserve"]["items"]] == ["1 SSK Brimob"]
    strength_total = Personnel.objects.filter(unit__polres=jember, status="active").count()
    assert st["siaga_check"]["polri_strength"] == strength_total  # no BKO in on that day
    fraction = change.fraction if change else 0
    assert (
        st["siaga_check"]["needed"] == -(-(fraction.numerator * strength_total) // fraction.denominator)
        if fraction
        else True
    )
    assert st["deployed"]["guard_posts"] == act["guard"]["officers_rostered"]
    assert st["deployed"]["pam_tps"] == 0  # no published PAM TPS plan in this test's data

    # V./VI.: obstacles name the shortfalls; tomorrow's plans count tomorrow's rows.
    kinds = {o["kind"] for o in s["obstacles"]}
    assert "legs_late" in kinds and "alerts_open" in kinds and "patrols_missed" in kinds
    assert next(o["n"] for o in s["obstacles"] if o["kind"] == "patrols_missed") == 1
    assert s["plans"]["events"] == 1 and s["plans"]["legs_due"] == 1 and s["plans"]["patrol_visits"] == 3
    # The journal's notes of the day, in time order.
    assert [e["text"] for e in s["journal"]["entries"]] == ["Apel pagi lengkap", "Situasi aman terkendali"]

    # The PDF and XLSX are real documents with these figures.
    from django.core.files.storage import default_storage

    with default_storage.open(lapsit.pdf_file, "rb") as f:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages)
    assert "LAPORAN SITUASI HARIAN" in text and lapsit.number in text
    assert "Situasi aman terkendali" in text and "Kampanye uji 14" in text
    assert "Pos jaga tidak terisi" in text  # the alert kind's label, not its code
    with default_storage.open(lapsit.xlsx_file, "rb") as f:
        wb = load_workbook(io.BytesIO(f.read()))
    rows = {r[0]: r[1] for r in wb["Kejadian"].iter_rows(values_only=True) if r and r[0]}
    assert rows["Jumlah"] == len(day_incidents)
    assert rows[str(Category.MONEY_POLITICS.label)] == sum(
        1 for i in day_incidents if i.category == "money_politics"
    )
    patrols = {r[0]: r[1:] for r in wb["Kegiatan"].iter_rows(values_only=True) if r and r[0]}
    assert patrols["Jumlah"][:2] == (3, 2)
