"""Events: clash detection on entry, required strength, assignment respecting other duties, import, pages."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from siaga.core.errors import Conflict, ImportRejected
from siaga.core.models import AuditEvent
from siaga.events import rules, selectors, services
from siaga.events.models import Event
from siaga.operations.models import Election
from siaga.personnel.models import Personnel, Rank, Unit
from siaga.territory.models import Kecamatan, PoliceUnit

TZ = ZoneInfo("Asia/Jakarta")
_nrp = itertools.count(77010001)


@pytest.fixture
def pemilu(db: Any) -> Election:
    return Election.objects.get(slug="pemilu-2024")


@pytest.fixture
def tempurejo(db: Any) -> Kecamatan:
    return Kecamatan.objects.get(name__iexact="Tempurejo")


def campaign(
    pemilu: Election, kec: Kecamatan, *, side: str, lat: float, lng: float, start: dt.datetime, **kw: Any
) -> Event:
    fields = {
        "kind": Event.Kind.CAMPAIGN, "title": f"Kampanye {side}", "candidate": side, "kecamatan": kec,
        "place": "Lapangan", "lat": lat, "lng": lng, "starts_at": start, "ends_at": start + dt.timedelta(hours=2),
        "crowd": 600, "vehicles": 40, **kw,
    }  # fmt: skip
    return services.create_event(actor=None, election=pemilu, fields=fields)


def test_rival_events_200_m_and_30_minutes_apart_clash(pemilu: Election, tempurejo: Kecamatan) -> None:
    start = dt.datetime(2024, 1, 20, 9, 0, tzinfo=TZ)
    a = campaign(pemilu, tempurejo, side="Paslon 01", lat=-8.3000, lng=113.7000, start=start)
    # 200 m north (0.0018 degrees of latitude), starting 30 minutes after the first ends.
    b = Event(
        election=pemilu, kind=Event.Kind.CAMPAIGN, title="Kampanye rival", candidate="Paslon 02", kecamatan=tempurejo,
        place="Pasar", lat=-8.3000 + 0.0018, lng=113.7000, starts_at=a.ends_at + dt.timedelta(minutes=30),
        ends_at=a.ends_at + dt.timedelta(hours=2),
    )  # fmt: skip
    found = selectors.clashes(b)
    rival = [c for c in found if c.code == "rival"]
    assert len(rival) == 1 and rival[0].other_pk == a.pk
    assert 190 < (rival[0].distance_m or 0) < 210 and rival[0].gap_minutes == pytest.approx(30)
    # The same side is no rival; 2 km away is no clash either.
    same = Event(
        **{
            **{f.name: getattr(b, f.name) for f in Event._meta.concrete_fields if f.name != "id"},
            "candidate": "Paslon 01",
        }
    )
    assert not [c for c in selectors.clashes(same) if c.code == "rival"]
    far = Event(
        **{
            **{f.name: getattr(b, f.name) for f in Event._meta.concrete_fields if f.name != "id"},
            "lat": -8.318,
        }
    )
    assert not [c for c in selectors.clashes(far) if c.code == "rival"]


def test_quiet_period_and_vital_object_clash(pemilu: Election, db: Any) -> None:
    from siaga.sites.models import VitalObject

    kpu = VitalObject.objects.get(kind=VitalObject.Kind.KPU_OFFICE, name__icontains="Jember")
    event = Event(
        election=pemilu, kind=Event.Kind.CAMPAIGN, title="Kampanye masa tenang", candidate="Paslon 03",
        kecamatan=kpu.kecamatan, place="Dekat KPU", lat=kpu.lat + 0.001, lng=kpu.lng,
        starts_at=dt.datetime(2024, 2, 12, 9, 0, tzinfo=TZ), ends_at=dt.datetime(2024, 2, 12, 11, 0, tzinfo=TZ),
    )  # fmt: skip
    codes = {c.code for c in selectors.clashes(event)}
    assert "quiet_period" in codes and "vital_object" in codes and "outside_campaign" in codes


def test_entry_page_shows_the_clash_before_saving(
    client_for: Any, kabagops: Any, pemilu: Election, tempurejo: Kecamatan
) -> None:
    start = dt.datetime(2024, 1, 20, 9, 0, tzinfo=TZ)
    campaign(pemilu, tempurejo, side="Paslon 01", lat=-8.3, lng=113.7, start=start)
    client = client_for(kabagops)
    data = {
        "kind": "campaign", "title": "Kampanye rival", "candidate": "Paslon 02", "kecamatan": tempurejo.pk,
        "place": "Pasar", "lat": "-8.2982", "lng": "113.7", "starts_at": "2024-01-20T11:30", "ends_at": "2024-01-20T13:00",
        "crowd": 300, "vehicles": 10, "risk": "medium",
    }  # fmt: skip
    response = client.post(f"/acara/baru/?pemilihan={pemilu.pk}", data)
    assert response.status_code == 200
    assert "Kampanye pihak lain" in response.content.decode()
    assert not Event.objects.filter(title="Kampanye rival").exists()
    response = client.post(f"/acara/baru/?pemilihan={pemilu.pk}", {**data, "confirm_clashes": "on"})
    assert response.status_code == 302
    assert Event.objects.filter(title="Kampanye rival").exists()


def test_required_strength_follows_crowd_risk_and_rings(settings: Any) -> None:
    settings.SIAGA_EVENT_CROWD_PER_OFFICER = 50
    low = rules.required_strength(crowd=1000, vehicles=0, risk="low")
    high = rules.required_strength(crowd=1000, vehicles=100, risk="high")
    assert low == {"inner": 4, "middle": 6, "outer": 10}
    assert high == {"inner": 8, "middle": 12, "outer": 20 + 2}
    assert rules.required_strength(crowd=0, vehicles=0, risk="low") == {"inner": 2, "middle": 2, "outer": 2}


@pytest.fixture
def officers(db: Any) -> list[Personnel]:
    polres = PoliceUnit.objects.get(code="polres-jember")
    unit, _ = Unit.objects.get_or_create(
        code="polres-jember-bag-ops-t",
        defaults={"name": "Bag Ops", "polres": polres, "police_unit": polres, "order": 1},
    )
    rank = Rank.objects.order_by("order").first()
    return [
        Personnel.objects.create(
            nrp=str(next(_nrp)), name=f"Briptu Acara {i}", rank=rank, unit=unit, is_synthetic=True
        )
        for i in range(12)
    ]


def test_plan_fill_and_assignment_refuses_an_officer_on_another_event(
    pemilu: Election, tempurejo: Kecamatan, officers: list[Personnel]
) -> None:
    start = dt.datetime(2024, 1, 20, 9, 0, tzinfo=TZ)
    a = campaign(pemilu, tempurejo, side="Paslon 01", lat=-8.3, lng=113.7, start=start, crowd=60)
    services.plan_sectors(actor=None, event=a)
    added = services.fill_plan(actor=None, event=a, pool=officers)
    assert added == 1 + 2 + 2 + 3  # commander, 2 per ring, +1 traffic for 40 vehicles in ring 3
    commander = a.assignments.get(role="commander")
    b = campaign(
        pemilu, tempurejo, side="Paslon 02", lat=-8.35, lng=113.75, start=start + dt.timedelta(hours=1)
    )
    with pytest.raises(Conflict) as exc:
        services.assign_officers(actor=None, event=b, sector=None, personnel_ids=[commander.personnel_id])
    assert exc.value.code == "duty_overlap"
    # fill_plan skips the 8 busy ones and uses the 4 free officers.
    services.plan_sectors(actor=None, event=b)
    assert services.fill_plan(actor=None, event=b, pool=officers) == 4
    assert not set(a.assignments.values_list("personnel_id", flat=True)) & set(
        b.assignments.values_list("personnel_id", flat=True)
    )
    assert (
        AuditEvent.objects.filter(object_type="events.assignment").count() == 12
    )  # 8 + 4, one audit record each


def _xlsx(rows: list[list[object]]) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


HEADER = [
    "jenis",
    "nama_kegiatan",
    "kecamatan",
    "tempat",
    "lat",
    "lng",
    "mulai",
    "selesai",
    "calon",
    "massa",
    "nomor_sttp",
]


def test_import_reports_row_errors_and_reimport_changes_nothing(pemilu: Election) -> None:
    bad = _xlsx([HEADER, ["kampanye", "A", "Tempurejo", "Lap", -8.3, 113.7, "2024-01-20 09:00", "2024-01-20 08:00", "Paslon 01", 10, "S1"],
                 ["pesta", "B", "Atlantis", "Lap", "x", 113.7, "kemarin", "2024-01-20 11:00", "", "", ""]])  # fmt: skip
    with pytest.raises(ImportRejected) as exc:
        services.import_events(actor=None, election=pemilu, source=bad, filename="e.xlsx")
    rows = {(e.row, e.column) for e in exc.value.rows}
    assert (2, "ends_at") in rows and (3, "jenis") in rows
    assert not Event.objects.exists()
    good = [HEADER, ["kampanye", "Kampanye A", "Tempurejo", "Lap", -8.3, 113.7, "2024-01-20 09:00", "2024-01-20 11:00", "Paslon 01", "1.200", "STTP/1"],
            ["kpu", "Pleno PPK", "Tempurejo", "Kantor Camat", -8.31, 113.71, "2024-02-16 08:00", "2024-02-16 16:00", "", 50, ""]]  # fmt: skip
    first = services.import_events(actor=None, election=pemilu, source=_xlsx(good), filename="e.xlsx")
    assert first == {"rows": 2, "created": 2, "updated": 0}
    assert Event.objects.get(sttp_number="STTP/1").crowd == 1200
    again = services.import_events(actor=None, election=pemilu, source=_xlsx(good), filename="e.xlsx")
    assert again == {"rows": 2, "created": 0, "updated": 0} and Event.objects.count() == 2


def test_pages_scope_and_pdfs(
    client_for: Any, kabagops: Any, outsider: Any, pemilu: Election, tempurejo: Kecamatan,
    django_assert_max_num_queries: Any,
) -> None:  # fmt: skip
    start = dt.datetime(2024, 1, 20, 9, 0, tzinfo=TZ)
    for i in range(5):
        campaign(
            pemilu,
            tempurejo,
            side=f"Paslon {i}",
            lat=-8.3 - i * 0.05,
            lng=113.7,
            start=start,
            sttp_number=f"S/{i}",
        )
    event = Event.objects.first()
    assert event is not None
    ops = client_for(kabagops)
    with django_assert_max_num_queries(15):
        assert ops.get(f"/acara/?pemilihan={pemilu.pk}").status_code == 200
    assert ops.get(f"/acara/{event.pk}/").status_code == 200
    for url in (f"/acara/{event.pk}/sttp.pdf", f"/acara/{event.pk}/sprin.pdf"):
        response = ops.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    other = client_for(outsider)
    assert other.get(f"/acara/{event.pk}/").status_code == 404
    assert "Kampanye Paslon" not in other.get(f"/acara/?pemilihan={pemilu.pk}").content.decode()
    assert ops.get(f"/acara/?pemilihan={pemilu.pk}&format=csv").status_code == 200
