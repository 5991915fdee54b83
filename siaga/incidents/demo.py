"""Jember demo incidents: two weeks up to Pemilu 2024 voting day (1-14 Feb 2024, moved with the demo calendar of
siaga.core.demo), every row marked synthetic. Reports never lie ahead: while the demo's voting day is still to
come, the fortnight ends the day before (so the response-time page and the map's last 14 days have them).

Mixed categories and sources, a dozen duplicates of earlier reports, every triage state, response units per
Polsek with live status, and response timestamps that follow the priority (P1 answered fastest). The places are
random points inside real desa; the texts are invented. Deterministic (seeded), so demos look the same.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from siaga.core.demo import demo_offset
from siaga.core.geo import random_points_inside
from siaga.incidents.models import (
    Category,
    Dispatch,
    Incident,
    Priority,
    Referral,
    ReporterContact,
    ResponseUnit,
    Source,
    Status,
    TimelineEntry,
)
from siaga.incidents.rules import REFERRALS, new_receipt, suggest_priority
from siaga.territory.models import Desa, PoliceUnit

WIB = ZoneInfo("Asia/Jakarta")
HISTORICAL_START = dt.datetime(2024, 2, 1, 6, 0, tzinfo=WIB)
HISTORICAL_VOTING_DAY = dt.date(2024, 2, 14)
COUNT = 160

TEXTS: dict[str, list[str]] = {
    Category.MONEY_POLITICS: [
        "Warga melihat pembagian amplop berisi uang oleh tim sukses di dekat musala",
        "Ada pembagian sembako disertai ajakan memilih calon tertentu di balai dusun",
        "Serangan fajar: beberapa rumah didatangi orang membawa amplop sebelum subuh",
    ],
    Category.INTIMIDATION: [
        "Saksi partai diancam agar tidak datang ke TPS besok pagi",
        "Sekelompok orang mendatangi rumah ketua KPPS dan mengancam",
        "Warga ditekan kepala dusun untuk memilih calon tertentu",
    ],
    Category.VIOLENCE: [
        "Bentrok antar pendukung di depan posko pemenangan, ada yang terluka",
        "Keributan massa di dekat TPS, beberapa orang membawa sajam",
        "Perkelahian setelah konvoi kampanye di pertigaan pasar",
    ],
    Category.LOGISTICS: [
        "Kotak suara di TPS basah karena atap bocor saat hujan",
        "Surat suara kurang dari jumlah DPT, petugas KPPS menunggu kiriman",
        "Distribusi logistik ke desa terhambat jembatan putus",
    ],
    Category.HOAX_SARA: [
        "Pesan berantai di grup WhatsApp menyebar isu SARA terhadap salah satu calon",
        "Beredar video hoaks TPS dicoblos massal, warga resah",
        "Spanduk provokatif bernada SARA dipasang di pinggir jalan desa",
    ],
    Category.POLICE_NEUTRALITY: [
        "Oknum berseragam terlihat ikut kampanye salah satu calon",
        "Anggota diduga mengarahkan warga memilih calon tertentu saat patroli",
    ],
    Category.CRIME: [
        "Pencurian sepeda motor di parkiran dekat lokasi kampanye",
        "Baliho calon dirusak dan dibakar orang tak dikenal malam hari",
        "Penganiayaan ringan setelah cekcok soal pilihan calon",
    ],
    Category.OTHER: [
        "Listrik padam di sekitar TPS, penghitungan suara memakai lampu darurat",
        "Kerumunan warga di depan kantor desa menunggu hasil hitung cepat",
    ],
}
WEIGHTS = {
    Category.MONEY_POLITICS: 25,
    Category.INTIMIDATION: 10,
    Category.VIOLENCE: 7,
    Category.LOGISTICS: 15,
    Category.HOAX_SARA: 13,
    Category.POLICE_NEUTRALITY: 5,
    Category.CRIME: 15,
    Category.OTHER: 10,
}
SOURCES = (
    [Source.PUBLIC] * 5
    + [Source.CALL] * 2
    + [Source.WHATSAPP] * 2
    + [Source.RADIO, Source.FIELD, Source.PARTNER]
)


def _minutes(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(minutes=rng.uniform(low, high))


def _fortnight() -> tuple[dt.datetime, dt.date]:
    """The first report time and the last ("voting") day: the demo calendar's, but ending at the latest on the
    day whose reports and responses (06:00 to about 03:00 the next night) are all past."""
    last_possible = (timezone.localtime() - dt.timedelta(hours=27)).date()
    offset = min(demo_offset(), last_possible - HISTORICAL_VOTING_DAY)
    return HISTORICAL_START + offset, HISTORICAL_VOTING_DAY + offset


def _units(rng: random.Random, start: dt.datetime) -> list[ResponseUnit]:
    units: list[ResponseUnit] = []
    for polsek in (
        PoliceUnit.objects.filter(level=PoliceUnit.Level.POLSEK)
        .prefetch_related("jurisdiction")
        .order_by("name")
    ):
        kecamatan = next(iter(polsek.jurisdiction.all()), None)
        if kecamatan is None:
            continue
        short = polsek.code.replace("polsek-", "").upper()[:8]
        for n in (1, 2):
            units.append(
                ResponseUnit(
                    call_sign=f"{short}-{n}",
                    name=f"Patroli {polsek.name} {n}",
                    kind=ResponseUnit.Kind.PATROL,
                    police_unit=polsek,
                    kecamatan=kecamatan,
                    lat=round(polsek.lat + rng.uniform(-0.02, 0.02), 6),
                    lng=round(polsek.lng + rng.uniform(-0.02, 0.02), 6),
                    position_at=start + dt.timedelta(days=13, hours=8),
                    status=rng.choice(
                        [ResponseUnit.UnitStatus.AVAILABLE] * 4 + [ResponseUnit.UnitStatus.OFF_DUTY]
                    ),
                    is_synthetic=True,
                )
            )
    polres = PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES).first()
    if polres is not None and units:
        for n in (1, 2, 3):
            units.append(
                ResponseUnit(
                    call_sign=f"DALMAS-{n}",
                    name=f"Pleton Dalmas Sat Samapta {n}",
                    kind=ResponseUnit.Kind.REACTION,
                    police_unit=polres,
                    kecamatan=units[0].kecamatan if n == 1 else rng.choice(units).kecamatan,
                    lat=round(polres.lat + rng.uniform(-0.005, 0.005), 6),
                    lng=round(polres.lng + rng.uniform(-0.005, 0.005), 6),
                    position_at=start + dt.timedelta(days=13, hours=8),
                    is_synthetic=True,
                )
            )
    return ResponseUnit.objects.bulk_create(units)


def load_demo(*, report: Callable[[float, str], None]) -> None:
    if Incident.objects.filter(is_synthetic=True).exists():
        report(100, "sudah ada / already loaded")
        return
    rng = random.Random(20240214)
    desa = list(Desa.objects.exclude(boundary=None).select_related("kecamatan").order_by("code"))
    if not desa:
        report(100, "tidak ada desa / no desa")
        return
    start, voting_day = _fortnight()
    with transaction.atomic():
        units = _units(rng, start)
        report(20, f"{len(units)} unit respons / response units")
        by_kecamatan: dict[int, list[ResponseUnit]] = {}
        for response_unit in units:
            by_kecamatan.setdefault(response_unit.kecamatan_id, []).append(response_unit)
        categories = list(WEIGHTS)
        weights = [WEIGHTS[c] for c in categories]
        receipts: set[str] = set()
        incidents: list[Incident] = []
        contacts: list[ReporterContact] = []
        timeline: list[tuple[int, list[tuple[dt.datetime, str, str, str, str]]]] = []
        dispatches: list[tuple[int, ResponseUnit, dt.datetime, dt.datetime | None, dt.datetime | None]] = []
        busy: set[int] = set()
        originals: list[Incident] = []
        for i in range(COUNT):
            # More reports as voting day nears: a quarter of them on 13-14 Feb.
            day = 12 + rng.randint(0, 1) if rng.random() < 0.25 else rng.randint(0, 11)
            reported = start + dt.timedelta(days=day, minutes=rng.uniform(0, 15 * 60))
            duplicate_of = rng.choice(originals) if originals and i % 13 == 7 else None
            if duplicate_of is not None:
                category, place_desa = (
                    duplicate_of.category,
                    next(d for d in desa if d.pk == duplicate_of.desa_id),
                )
                lat = round((duplicate_of.lat or place_desa.lat) + rng.uniform(-0.002, 0.002), 6)
                lng = round((duplicate_of.lng or place_desa.lng) + rng.uniform(-0.002, 0.002), 6)
                reported = duplicate_of.reported_at + _minutes(rng, 10, 90)
                text = duplicate_of.description + " (laporan warga lain)"
            else:
                category = rng.choices(categories, weights)[0]
                place_desa = rng.choice(desa)
                lat, lng = random_points_inside(place_desa.boundary or {}, 1, seed=f"incident-{i}")[0]
                text = rng.choice(TEXTS[category])
            occurred = reported - _minutes(rng, 5, 180)
            source = rng.choice(SOURCES)
            priority = suggest_priority(category=category, description=text)
            on_voting_day = reported.date() == voting_day
            incident = Incident(
                receipt="",
                source=source,
                category=category,
                description=text,
                occurred_at=occurred,
                reported_at=reported,
                lat=lat,
                lng=lng,
                kecamatan_id=place_desa.kecamatan_id,
                desa_id=place_desa.pk,
                priority=priority,
                is_synthetic=True,
            )
            while not incident.receipt or incident.receipt in receipts:
                incident.receipt = new_receipt()
            receipts.add(incident.receipt)
            steps: list[tuple[dt.datetime, str, str, str, str]] = [
                (reported, TimelineEntry.Kind.CREATED, "", Status.NEW, str(Source(source).label))
            ]
            now = reported
            if duplicate_of is not None:
                incident.status, incident.duplicate_of = Status.DUPLICATE, duplicate_of
                now += _minutes(rng, 2, 15)
                steps.append(
                    (now, TimelineEntry.Kind.STATUS, Status.NEW, Status.DUPLICATE, duplicate_of.receipt)
                )
            elif rng.random() < 0.08:
                incident.status = Status.REJECTED
                now += _minutes(rng, 5, 40)
                steps.append(
                    (now, TimelineEntry.Kind.STATUS, Status.NEW, Status.REJECTED, "tidak terverifikasi")
                )
            else:
                # How far this incident got: recent ones on voting day are still open.
                stage = rng.choice([0, 1, 2, 3]) if on_voting_day and reported.hour >= 14 else 5
                fast = 1.0 if priority == Priority.P1 else 2.0 if priority == Priority.P2 else 4.0
                path = [Status.VERIFIED, Status.DISPATCHED, Status.ON_SCENE, Status.RESOLVED, Status.CLOSED]
                previous = Status.NEW
                free = [
                    u
                    for u in by_kecamatan.get(place_desa.kecamatan_id, [])
                    if u.pk not in busy and u.status == ResponseUnit.UnitStatus.AVAILABLE
                ]
                unit = free[0] if free else None
                arrived = released = None
                for status in path[:stage]:
                    if status == Status.DISPATCHED and unit is None:
                        status = Status.RESOLVED  # handled by phone without a unit
                        path = [Status.VERIFIED, Status.RESOLVED, Status.CLOSED]
                    now += (
                        _minutes(rng, 2 * fast, 8 * fast)
                        if status in (Status.VERIFIED, Status.DISPATCHED)
                        else _minutes(rng, 10, 90)
                    )
                    steps.append((now, TimelineEntry.Kind.STATUS, previous, status, ""))
                    setattr(incident, f"{status}_at", now)
                    if status == Status.DISPATCHED and unit is not None:
                        dispatched_at = now
                        steps.append((now, TimelineEntry.Kind.DISPATCHED, "", "", unit.call_sign))
                    if status == Status.ON_SCENE:
                        arrived = now
                    if status == Status.RESOLVED and incident.dispatched_at:
                        released = now
                    previous = status
                    if status == Status.RESOLVED and len(path) == 3:
                        break
                incident.status = previous
                if incident.dispatched_at and unit is not None:
                    dispatches.append((-1, unit, dispatched_at, arrived, released))
                    if incident.status in (Status.DISPATCHED, Status.ON_SCENE):
                        busy.add(unit.pk)
                        unit.status = (
                            ResponseUnit.UnitStatus.EN_ROUTE
                            if incident.status == Status.DISPATCHED
                            else ResponseUnit.UnitStatus.ON_SCENE
                        )
                        unit._demo_incident = incident  # type: ignore[attr-defined]
                if incident.status in (Status.VERIFIED, Status.RESOLVED, Status.CLOSED):
                    targets = [r for r, cats in REFERRALS.items() if category in cats]
                    if targets and category != Category.OTHER and rng.random() < 0.5:
                        incident.referral, incident.referred_at = targets[0], now
                        steps.append(
                            (now, TimelineEntry.Kind.REFERRED, "", "", str(Referral(targets[0]).label))
                        )
                originals.append(incident)
            incidents.append(incident)
            if source == Source.PUBLIC and rng.random() < 0.4:
                contacts.append(
                    ReporterContact(
                        name=f"Warga Contoh {i}", phone=f"0800-0000-{i:04d}", consented_at=reported
                    )
                )
                contacts[-1]._demo_incident = incident  # type: ignore[attr-defined]
            timeline.append((i, steps))
            if dispatches and dispatches[-1][0] == -1:
                dispatches[-1] = (i, *dispatches[-1][1:])
            report(20 + 60 * i / COUNT, f"{i + 1}/{COUNT}")
        # Duplicates point at originals, which bulk_create must save first.
        Incident.objects.bulk_create([x for x in incidents if x.duplicate_of is None])
        for x in incidents:
            if x.duplicate_of is not None:
                x.duplicate_of_id = x.duplicate_of.pk
        Incident.objects.bulk_create([x for x in incidents if x.duplicate_of is not None])
        for contact in contacts:
            contact.incident = contact._demo_incident  # type: ignore[attr-defined]
        ReporterContact.objects.bulk_create(contacts)
        TimelineEntry.objects.bulk_create(
            TimelineEntry(
                incident=incidents[i],
                at=at,
                actor_label="demo",
                kind=kind,
                from_status=a,
                to_status=b,
                note=note,
            )
            for i, steps in timeline
            for at, kind, a, b, note in steps
        )
        Dispatch.objects.bulk_create(
            Dispatch(
                incident=incidents[i], unit=unit, dispatched_at=sent, arrived_at=arrived, released_at=released
            )
            for i, unit, sent, arrived, released in dispatches
        )
        for unit in units:
            if hasattr(unit, "_demo_incident"):
                ResponseUnit.objects.filter(pk=unit.pk).update(
                    status=unit.status, current_incident=unit._demo_incident
                )
        report(100, f"{len(incidents)} kejadian sintetis / synthetic incidents")
