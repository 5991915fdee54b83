"""The read API the daily Lapsit relies on: alerts and journal entries of one local day, within a scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from siaga.core.jurisdiction import EVERYTHING, Scope
from siaga.posko.models import Alert, JournalEntry
from siaga.posko.selectors import alerts_for_day, journal_for_day
from siaga.territory.models import Kecamatan


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def test_alerts_and_journal_of_a_day_respect_the_day_and_the_scope(admin_user: Any) -> None:
    day = dt.date(2024, 2, 14)
    kec_a, kec_b = Kecamatan.objects.order_by("id")[:2]

    def alert(key: str, kec: Kecamatan, raised: dt.datetime, closed: dt.datetime | None = None) -> Alert:
        return Alert.objects.create(
            key=key,
            source="t",
            kind="t.k",
            title=key,
            kecamatan=kec,
            since=raised,
            raised_at=raised,
            last_seen_at=raised,
            status="closed" if closed else "open",
            closed_at=closed,
        )

    alert("today-a", kec_a, _at(day, 9))
    alert("today-b", kec_b, _at(day, 10))
    alert("yesterday-still-open", kec_a, _at(day, 0) - dt.timedelta(hours=3))
    alert(
        "yesterday-closed",
        kec_a,
        _at(day, 0) - dt.timedelta(hours=3),
        closed=_at(day, 0) - dt.timedelta(hours=1),
    )
    alert("tomorrow", kec_a, _at(day, 0) + dt.timedelta(days=1, hours=1))
    for hour, kec in ((8, kec_a), (23, kec_b), (25, kec_a)):
        JournalEntry.objects.create(
            occurred_at=_at(day, 0) + dt.timedelta(hours=hour),
            written_at=timezone.now(),
            author=admin_user,
            kecamatan=kec,
            text=f"jam {hour}",
        )

    assert [a.key for a in alerts_for_day(EVERYTHING, day)] == ["yesterday-still-open", "today-a", "today-b"]
    only_a = Scope(kecamatan_ids=frozenset({kec_a.pk}))
    assert [a.key for a in alerts_for_day(only_a, day)] == ["yesterday-still-open", "today-a"]
    assert [e.text for e in journal_for_day(EVERYTHING, day)] == ["jam 8", "jam 23"]
    assert [e.text for e in journal_for_day(only_a, day)] == ["jam 8"]
