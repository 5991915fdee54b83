"""Incidents in the Posko alert stream (siaga.core.alerts): a new P1/P2 incident, and one still unanswered.

"Answered" means a unit was dispatched (or the report was rejected, merged as a duplicate or closed): while a
P1/P2 report is new or verified with nobody sent, the Posko is told, and told again as "unanswered" once it
has waited longer than its priority allows (`SIAGA_POSKO_UNANSWERED_MINUTES`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from siaga.core.alerts import HIGH, MEDIUM, AlertFact, AlertKind
from siaga.core.maplayers import detail_url

# Only reports of the last day: an older unanswered one was raised long ago and stays until closed.
LOOKBACK = dt.timedelta(hours=24)


def unanswered_minutes() -> dict[int, int]:
    return {1: 10, 2: 30, **getattr(settings, "SIAGA_POSKO_UNANSWERED_MINUTES", {})}


class IncidentAlertSource:
    name = "incidents"
    kinds = [
        AlertKind("incidents.new_urgent", _("Kejadian P1/P2 baru"), HIGH, "triage_incidents"),
        AlertKind("incidents.unanswered", _("Kejadian P1/P2 belum ditangani"), HIGH, "triage_incidents"),
    ]

    def collect(self, *, now: dt.datetime) -> list[AlertFact]:
        from siaga.incidents.models import Incident, Priority, Status

        waiting = Incident.objects.filter(
            priority__in=[Priority.P1, Priority.P2],
            status__in=[Status.NEW, Status.VERIFIED],
            reported_at__gte=now - LOOKBACK,
            reported_at__lte=now,
        ).values_list("pk", "receipt", "priority", "reported_at", "kecamatan_id", "lat", "lng")
        limits = unanswered_minutes()
        url = detail_url("incidents:detail")
        facts = []
        for pk, receipt, priority, reported_at, kecamatan_id, lat, lng in waiting:
            common = {
                "title": f"{receipt} · P{priority}",
                "since": reported_at,
                "kecamatan_id": kecamatan_id,
                "lat": lat,
                "lng": lng,
                "url": url(pk),
            }
            facts.append(
                AlertFact(
                    key=f"incidents.new_urgent:{pk}",
                    kind="incidents.new_urgent",
                    severity=HIGH if priority == Priority.P1 else MEDIUM,
                    **common,  # type: ignore[arg-type]
                )
            )
            if now - reported_at >= dt.timedelta(minutes=limits.get(priority, 30)):
                facts.append(
                    AlertFact(key=f"incidents.unanswered:{pk}", kind="incidents.unanswered", **common)  # type: ignore[arg-type]
                )
        return facts
