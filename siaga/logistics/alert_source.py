"""Ballot logistics in the Posko alert stream (siaga.core.alerts): a leg not arrived `LATE_GRACE` after its
planned arrival (the rule of `services.alert_late_legs`). The alert closes itself when the leg arrives."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siaga.core.alerts import HIGH, AlertFact, AlertKind
from siaga.core.maplayers import detail_url
from siaga.core.schedule import Periodic

# Legs planned to arrive in the last three days: the chain runs from H-3 to H+3 around each voting day.
LOOKBACK = dt.timedelta(days=3)


class LogisticsAlertSource:
    name = "logistics"
    kinds = [AlertKind("logistics.late_leg", _("Ruas logistik terlambat"), HIGH, "view_logistics")]

    def collect(self, *, now: dt.datetime) -> list[AlertFact]:
        from siaga.logistics.models import Leg
        from siaga.logistics.services import LATE_GRACE

        late = Leg.objects.filter(
            planned_arrive__gte=now - LOOKBACK,
            planned_arrive__lt=now - LATE_GRACE,
            status__in=[Leg.Status.PLANNED, Leg.Status.DEPARTED],
        ).values_list("pk", "origin", "destination", "planned_arrive", "kecamatan_id", "dest_lat", "dest_lng")
        url = detail_url("logistics:leg_detail")
        return [
            AlertFact(
                key=f"logistics.late_leg:{pk}",
                kind="logistics.late_leg",
                title=f"{origin} → {destination} ({timezone.localtime(planned):%H:%M})",
                since=planned or now,
                kecamatan_id=kecamatan_id,
                lat=lat,
                lng=lng,
                url=url(pk),
            )
            for pk, origin, destination, planned, kecamatan_id, lat, lng in late
        ]


def mark_late_legs(*, now: dt.datetime) -> dict[str, int]:
    from siaga.logistics.services import alert_late_legs

    return {"late": len(alert_late_legs(now=now))}


MARK_LATE_LEGS = Periodic("logistics.mark_late_legs", "siaga.logistics.alert_source.mark_late_legs", 60)
