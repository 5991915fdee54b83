"""Jember demo logistics: the whole Pemilu 2024 chain (7,706 TPS, KPU warehouse -> PPK -> PPS -> TPS and back)
generated and escorted by the Polres officers no other duty holds, with field reports up to the demo moment.

The demo moment is H-1 10:00 of the election's voting day in the database (or now, if that is earlier): legs
planned to arrive before it are reported arrived (and handed over with a berita acara at the PPK and PPS), except
one leg in forty, left on the road so the board shows late legs. No date is fixed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from siaga.logistics import services
from siaga.logistics.models import Handover, Leg, StatusUpdate
from siaga.operations.models import Election
from siaga.territory.models import PoliceUnit

LEFT_LATE = 40  # one leg in this many is still on the road at the demo moment


def demo_moment(election: Election) -> dt.datetime:
    h1 = dt.datetime.combine(
        election.voting_on - dt.timedelta(days=1), dt.time(10), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )
    return min(h1, timezone.now())


def load_demo(*, report: Callable[[float, str], None]) -> None:
    election = Election.objects.filter(slug="pemilu-2024").first()
    polres = PoliceUnit.objects.filter(code="polres-jember").first()
    if election is None or polres is None or Leg.objects.filter(election=election).exists():
        report(100, "dilewati / skipped")
        return

    def sub(percent: float, message: str = "") -> None:
        report(percent * 0.5, message)

    legs = services.generate_chain(actor=None, election=election, report=sub, is_synthetic=True)
    report(50, f"{legs['legs']} ruas / legs")
    escorts = services.plan_escorts(actor=None, election=election, polres=polres)
    report(
        80,
        f"{escorts['escorted']} perjalanan dikawal / trips escorted, {escorts['unescorted']} tanpa / without",
    )
    moment = demo_moment(election)
    done = list(
        Leg.objects.filter(election=election, planned_arrive__lte=moment).order_by("planned_arrive", "pk")
    )
    updates, handovers, arrived = [], [], []
    for i, leg in enumerate(done):
        if i % LEFT_LATE == LEFT_LATE - 1 or leg.planned_arrive is None or leg.planned_depart is None:
            continue
        # A few minutes' delay, deterministic per leg.
        at = leg.planned_arrive + dt.timedelta(minutes=leg.pk % 17)
        leg.actual_depart = leg.planned_depart + dt.timedelta(minutes=leg.pk % 7)
        leg.actual_arrive = at
        leg.status = Leg.Status.HANDED_OVER if leg.hop in ("wh_ppk", "ppk_pps") else Leg.Status.ARRIVED
        leg.handed_over_at = at if leg.status == Leg.Status.HANDED_OVER else None
        arrived.append(leg)
        updates.append(StatusUpdate(leg=leg, key=f"demo-{leg.pk}-arrived", status=Leg.Status.ARRIVED, at=at))
        if leg.status == Leg.Status.HANDED_OVER:
            handovers.append(
                Handover(
                    leg=leg, handed_by="Petugas KPU (demo)", received_by=f"Sekretariat {leg.destination} (demo)",
                    boxes=leg.boxes, seals=leg.seals, seal_numbers="(demo)", at=at,
                )
            )  # fmt: skip
    Leg.objects.bulk_update(
        arrived, ["actual_depart", "actual_arrive", "status", "handed_over_at"], batch_size=2000
    )
    StatusUpdate.objects.bulk_create(updates, batch_size=2000)
    Handover.objects.bulk_create(handovers, batch_size=2000)
    services.alert_late_legs(now=moment)
    report(100, f"{len(arrived)} ruas tiba / legs arrived by {timezone.localtime(moment):%d-%m %H:%M}")
