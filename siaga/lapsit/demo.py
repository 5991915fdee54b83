"""The Lapsit part of the Jember demo: a reserve (1 SSK Brimob, synthetic), a referral packet for each demo
incident referred to Bawaslu in various states, and the stored Lapsits of the last two days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from siaga.lapsit import partners
from siaga.lapsit.models import Lapsit, ReferralPacket, ReferralStatus, Reserve
from siaga.territory.models import PoliceUnit

STATES = [ReferralStatus.SENT, ReferralStatus.RECEIVED, ReferralStatus.PROCESSED, ReferralStatus.CLOSED]


def load_demo(*, report: Callable[..., None]) -> None:
    from siaga.incidents.models import Incident
    from siaga.lapsit.glance import operation_for
    from siaga.lapsit.services import generate_lapsit, packet_data

    polres = PoliceUnit.objects.filter(code="polres-jember").first()
    if polres is None or Lapsit.objects.exists():
        return
    partners.ensure_default_rules()
    today = timezone.localdate()
    operation = operation_for(polres, today)
    with transaction.atomic():
        Reserve.objects.create(
            polres=polres,
            name="1 SSK Brimob Polda Jatim (BKO, sintetis)",
            origin=Reserve.Origin.BRIMOB,
            count=100,
            stationed_at="Mapolres Jember",
            starts_on=operation.starts_on if operation else today,
            ends_on=operation.ends_on if operation else None,
        )
        Reserve.objects.create(
            polres=polres,
            name="Dalmas Sat Samapta (sintetis)",
            origin=Reserve.Origin.POLRES,
            count=60,
            stationed_at="Mapolres Jember",
            starts_on=operation.starts_on if operation else today,
            ends_on=operation.ends_on if operation else None,
        )
        referred = Incident.objects.filter(referral="bawaslu", kecamatan__isnull=False).order_by(
            "referred_at", "pk"
        )
        for i, incident in enumerate(referred.select_related("kecamatan", "desa")):
            sent = incident.referred_at or timezone.now()
            state = STATES[i % len(STATES)]
            stamps = {}
            for n, status in enumerate(STATES[1 : STATES.index(state) + 1], start=1):
                stamps[f"{status}_at"] = min(sent + dt.timedelta(hours=6 * n), timezone.now())
            ReferralPacket.objects.create(
                incident=incident,
                number=f"B/{i + 1}/DEMO/GAKKUMDU/{incident.receipt}",
                status=state,
                data=packet_data(incident),
                sent_at=sent,
                note="data sintetis (demo)",
                **stamps,
            )
    report(30, "cadangan dan rujukan")
    for n, days_back in enumerate((2, 1)):
        day = today - dt.timedelta(days=days_back)
        generate_lapsit(polres=polres, day=day, trigger=Lapsit.Trigger.SCHEDULED)
        report(30 + 35 * (n + 1), f"Lapsit {day}")
