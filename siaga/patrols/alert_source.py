"""Patrols in the Posko alert stream (siaga.core.alerts): a planned checkpoint visit with no check-in.

A visit counts as missed when its window (planned time to `leaves_at`, or the planned time alone) ended more
than `MISSED_GRACE` ago with no check-in at its point on that plan day from an hour before the planned time.
A miss is a past event, not a condition: the alert stays until a named user closes it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from siaga.core.alerts import MEDIUM, AlertFact, AlertKind
from siaga.core.maplayers import detail_url

MISSED_GRACE = dt.timedelta(minutes=30)
# Only visits of the last day are looked at: older misses were raised when they happened.
LOOKBACK = dt.timedelta(hours=24)
EARLY = dt.timedelta(hours=1)


class PatrolAlertSource:
    name = "patrols"
    kinds = [
        AlertKind(
            "patrols.missed_checkpoint",
            _("Titik patroli tidak dikunjungi"),
            MEDIUM,
            "view_patrol_plans",
            closes_when_gone=False,
        )
    ]

    def collect(self, *, now: dt.datetime) -> list[AlertFact]:
        from siaga.patrols.models import PatrolCheckIn, PatrolPlan, PatrolVisit

        checked = PatrolCheckIn.objects.filter(
            Q(visit_id=OuterRef("pk"))
            | Q(
                point_id=OuterRef("point_id"),
                day_on=OuterRef("day__day_on"),
                arrived_at__gte=OuterRef("planned_at") - EARLY,
            )
        )
        missed = (
            PatrolVisit.objects.filter(
                day__plan__status=PatrolPlan.Status.ACTIVE,
                is_cancelled=False,
                planned_at__gte=now - LOOKBACK,
                planned_at__lte=now - MISSED_GRACE,
            )
            .annotate(window_end=Coalesce("leaves_at", F("planned_at")))
            .filter(window_end__lte=now - MISSED_GRACE)
            .exclude(Exists(checked))
            .values_list(
                "pk", "day_id", "planned_at", "point__name", "point__kecamatan_id", "point__lat", "point__lng"
            )
        )
        url = detail_url("patrols:day_detail")
        return [
            AlertFact(
                key=f"patrols.missed_checkpoint:{pk}",
                kind="patrols.missed_checkpoint",
                title=f"{name} ({timezone.localtime(planned):%H:%M})",
                since=planned or now,
                kecamatan_id=kecamatan_id,
                lat=lat,
                lng=lng,
                url=url(day_id),
            )
            for pk, day_id, planned, name, kecamatan_id, lat, lng in missed
        ]
