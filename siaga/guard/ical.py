"""The officer's guard shifts as an iCalendar feed that phone calendars subscribe to."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from siaga.guard.models import Assignment
from siaga.personnel.models import Personnel


def officer_calendar(personnel: Personnel, assignments: Iterable[Assignment]) -> bytes:
    from icalendar import Calendar, Event  # loaded on use, not at web server start (issue 15)

    cal = Calendar()
    cal.add("prodid", "-//Siaga//Roster jaga//ID")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Jaga {personnel.name}")
    stamp = timezone.now()
    for a in assignments:
        event = Event()
        event.add("uid", f"siaga-guard-{a.pk}@siaga")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.starts_at)
        event.add("dtend", a.ends_at)
        event.add("summary", f"Jaga {a.post.name} (shift {a.shift_code})")
        event.add("location", a.post.vital_object.name)
        if a.post.orders:
            event.add("description", a.post.orders)
        cal.add_component(event)
    return cal.to_ical()
