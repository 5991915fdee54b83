"""Jember demo events for Pemilu 2024: campaign events (STTP) in the last three weeks of the campaign, KPU
activities (logistics release, PPK plenos, the KPU kabupaten pleno), security plans filled from the officers
no other duty holds, and one pair of rival events close together (the clash the page warns about).

Every date comes from the election's voting day and stage calendar in the database (the demo may move them
relative to today), never from a fixed calendar date. Names of candidates and parties are placeholders.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from siaga.events import services
from siaga.events.models import Event
from siaga.operations.models import Election, ElectionStage
from siaga.personnel.models import Personnel
from siaga.territory.models import Kecamatan, PoliceUnit

SIDES = [("Paslon 01", "Koalisi A"), ("Paslon 02", "Koalisi B"), ("Paslon 03", "Koalisi C")]
FORMS = ["rapat umum", "pertemuan terbatas", "tatap muka", "kampanye akbar"]
CAMPAIGN_EVENTS = 45
PLANNED_EVENTS = 12  # those given a full security plan (the last days before the quiet period, and plenos)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


def load_demo(*, report: Callable[[float, str], None]) -> None:
    election = Election.objects.filter(slug="pemilu-2024").first()
    polres = PoliceUnit.objects.filter(code="polres-jember").first()
    if election is None or polres is None or Event.objects.filter(election=election).exists():
        report(100, "dilewati / skipped")
        return
    voting = election.voting_on
    campaign = ElectionStage.objects.filter(election=election, code="kampanye").first()
    last_campaign_day = campaign.ends_on if campaign else voting - dt.timedelta(days=4)
    rng = random.Random(16)
    kecamatan = list(Kecamatan.objects.order_by("name"))
    events: list[Event] = []
    for i in range(CAMPAIGN_EVENTS):
        kec = kecamatan[(i * 7) % len(kecamatan)]
        day = last_campaign_day - dt.timedelta(days=rng.randrange(0, 21))
        candidate, party = SIDES[i % len(SIDES)]
        crowd = rng.choice([150, 300, 500, 1000, 2500])
        start = _at(day, rng.choice([8, 9, 13, 15, 19]))
        applied = day - dt.timedelta(days=7)
        events.append(
            services.create_event(
                actor=None, election=election, is_synthetic=True,
                fields={
                    "kind": Event.Kind.CAMPAIGN, "title": f"{FORMS[i % len(FORMS)].capitalize()} {candidate} di {kec.name}",
                    "organiser": f"Ketua tim kampanye kecamatan {kec.name}", "candidate": candidate, "party": party,
                    "campaign_form": FORMS[i % len(FORMS)], "kecamatan": kec, "place": f"Lapangan {kec.name}",
                    "lat": kec.lat + rng.uniform(-0.01, 0.01), "lng": kec.lng + rng.uniform(-0.01, 0.01),
                    "starts_at": start, "ends_at": start + dt.timedelta(hours=3), "crowd": crowd,
                    "vehicles": crowd // 10, "vehicle_types": "sepeda motor, mobil bak terbuka",
                    "risk": "high" if crowd >= 2500 else ("medium" if crowd >= 1000 else "low"),
                    "sttp_number": f"STTP/{100 + i}/DEMO/{voting.year}", "sttp_applied_on": applied,
                    "sttp_issued_on": applied + dt.timedelta(days=4),
                },
            )
        )  # fmt: skip
    report(30, f"{len(events)} kampanye / campaign events")
    # A rival pair 200 m and 30 minutes apart in Kaliwates, two days before the quiet period.
    kaliwates = Kecamatan.objects.filter(name__iexact="Kaliwates").first() or kecamatan[0]
    day = last_campaign_day - dt.timedelta(days=2)
    for k, (candidate, party) in enumerate(SIDES[:2]):
        start = _at(day, 9) + dt.timedelta(hours=3 * k, minutes=30 * k)
        events.append(
            services.create_event(
                actor=None, election=election, is_synthetic=True,
                fields={
                    "kind": Event.Kind.CAMPAIGN, "title": f"Pawai {candidate} Kaliwates", "candidate": candidate,
                    "party": party, "organiser": "Tim kampanye kabupaten", "campaign_form": "pawai",
                    "kecamatan": kaliwates, "place": "Alun-alun dan jalan protokol", "lat": kaliwates.lat + 0.0018 * k,
                    "lng": kaliwates.lng, "starts_at": start, "ends_at": start + dt.timedelta(hours=3), "crowd": 1500,
                    "vehicles": 200, "risk": "high", "risk_notes": "Massa dua kubu berpapasan di jalan protokol.",
                    "sttp_number": f"STTP/9{k}/DEMO/{voting.year}",
                },
            )
        )  # fmt: skip
    # KPU activities: logistics release at H-5, the PPK plenos from H+2, the KPU kabupaten pleno.
    kpu_kec = Kecamatan.objects.filter(name__iexact="Sumbersari").first() or kecamatan[0]
    stage_of = {s.code: s for s in ElectionStage.objects.filter(election=election)}
    kpu_events = [
        ("Pelepasan distribusi logistik pemilu", voting - dt.timedelta(days=5), 7, 300, kpu_kec, None),
        ("Rapat pleno rekapitulasi KPU Kabupaten Jember", voting + dt.timedelta(days=12), 9, 400, kpu_kec, "rekapitulasi"),
    ] + [
        (f"Rapat pleno rekapitulasi PPK {k.name}", voting + dt.timedelta(days=2 + i % 5), 9, 80, k, "rekapitulasi")
        for i, k in enumerate(kecamatan[:10])
    ]  # fmt: skip
    for title, day, hour, crowd, kec, stage in kpu_events:
        start = _at(day, hour)
        events.append(
            services.create_event(
                actor=None, election=election, is_synthetic=True,
                fields={
                    "kind": Event.Kind.PLENO if "pleno" in title.lower() else Event.Kind.KPU, "title": title,
                    "organiser": "KPU Kabupaten Jember" if "KPU" in title else "PPK", "kecamatan": kec,
                    "place": "Kantor KPU Kabupaten Jember" if kec == kpu_kec else f"Kantor Kecamatan {kec.name}",
                    "lat": kec.lat, "lng": kec.lng, "starts_at": start, "ends_at": start + dt.timedelta(hours=9),
                    "crowd": crowd, "risk": "medium", "stage": stage_of.get(stage or ""),
                },
            )
        )  # fmt: skip
    report(50, f"{len(events)} kegiatan / events")
    pool = list(
        Personnel.objects.filter(unit__polres=polres, status=Personnel.Status.ACTIVE).order_by(
            "-unit__order", "pk"
        )
    )
    if not pool:
        return
    planned = sorted(
        (
            e
            for e in events
            if e.kind != Event.Kind.CAMPAIGN or e.starts_at.date() >= last_campaign_day - dt.timedelta(days=3)
        ),
        key=lambda e: e.starts_at,
    )[:PLANNED_EVENTS]
    for n, event in enumerate(planned):
        services.plan_sectors(actor=None, event=event)
        # Rotate the pool so that each event starts from other officers; fill_plan skips anyone on another duty.
        offset = (n * 37) % len(pool)
        services.fill_plan(actor=None, event=event, pool=pool[offset:] + pool[:offset])
    # Events already over at load time (the demo calendar moves with today) are done, with a short report.
    now = timezone.now()
    for event in planned:
        if event.ends_at < now:
            services.record_after_action(
                actor=None, event=event,
                text="Kegiatan berjalan aman dan tertib; massa bubar sesuai jadwal. (demo)",
            )  # fmt: skip
    report(100, f"{len(planned)} rencana pengamanan / security plans")
