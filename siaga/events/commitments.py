"""Event assignments as duty periods (`siaga.core.duties`): from the briefing before the event to its end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.utils.translation import gettext as _

from siaga.core.duties import Busy
from siaga.events.models import Assignment, Event

# Officers gather for the briefing (APP) before the event and stay until the crowd has gone.
BRIEFING_BEFORE = dt.timedelta(hours=1)
DISPERSAL_AFTER = dt.timedelta(minutes=30)


def duty_window(event: Event) -> tuple[dt.datetime, dt.datetime]:
    return event.starts_at - BRIEFING_BEFORE, event.ends_at + DISPERSAL_AFTER


class EventDutyProvider:
    def busy(
        self, *, personnel_ids: Collection[int] | None, start: dt.datetime, end: dt.datetime
    ) -> list[Busy]:
        qs = Assignment.objects.filter(
            event__starts_at__lt=end + BRIEFING_BEFORE, event__ends_at__gt=start - DISPERSAL_AFTER
        ).exclude(event__status=Event.Status.CANCELLED)
        if personnel_ids is not None:
            qs = qs.filter(personnel_id__in=list(personnel_ids))
        return [
            Busy(
                pid,
                s - BRIEFING_BEFORE,
                e + DISPERSAL_AFTER,
                f"events.event:{event_id}",
                _("Pengamanan %(event)s") % {"event": title},
            )
            for pid, event_id, s, e, title in qs.values_list(
                "personnel_id", "event_id", "event__starts_at", "event__ends_at", "event__title"
            )
        ]
