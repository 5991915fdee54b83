"""Events in the Posko alert stream (siaga.core.alerts): an event under way with fewer officers checked in
than assigned, `UNDERSTAFFED_GRACE` after it began. The alert closes itself when the plan is met or the event
ends."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from siaga.core.alerts import MEDIUM, AlertFact, AlertKind
from siaga.core.maplayers import detail_url

UNDERSTAFFED_GRACE = dt.timedelta(minutes=15)


class EventAlertSource:
    name = "events"
    kinds = [
        AlertKind("events.understaffed", _("Pengamanan kegiatan kurang personel"), MEDIUM, "view_events")
    ]

    def collect(self, *, now: dt.datetime) -> list[AlertFact]:
        from siaga.events.models import Event

        rows = (
            Event.objects.filter(
                starts_at__lte=now - UNDERSTAFFED_GRACE,
                ends_at__gt=now,
                status__in=[Event.Status.PLANNED, Event.Status.ONGOING],
            )
            .annotate(
                assigned=Count("assignments"),
                present=Count("assignments", filter=Q(assignments__checked_in_at__isnull=False)),
            )
            .filter(assigned__gt=0)
            .values_list("pk", "title", "starts_at", "kecamatan_id", "lat", "lng", "assigned", "present")
        )
        url = detail_url("events:detail")
        return [
            AlertFact(
                key=f"events.understaffed:{pk}",
                kind="events.understaffed",
                title=f"{title} ({present}/{assigned})",
                since=starts_at,
                kecamatan_id=kecamatan_id,
                lat=lat,
                lng=lng,
                url=url(pk),
            )
            for pk, title, starts_at, kecamatan_id, lat, lng, assigned, present in rows
            if present < assigned
        ]
