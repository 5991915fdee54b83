"""Reads for the Posko: the alert stream, the board, the journal, visitors and the CCTV register, each
filtered by the reader's jurisdiction.

`alerts_for_day(scope, day)` and `journal_for_day(scope, day)` are also what the daily Lapsit reads; keep their
signatures stable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from siaga.accounts.selectors import scope_for
from siaga.core.jurisdiction import Scope
from siaga.posko.models import Alert, Camera, JournalEntry, Notification, Visitor


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar day as aware datetimes."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def _alerts_in(scope: Scope) -> QuerySet[Alert]:
    # Alerts with no kecamatan (Polres-wide facts) are seen only by readers who see the whole Polres area.
    qs = Alert.objects.select_related("kecamatan", "acknowledged_by", "closed_by")
    if scope.is_unrestricted:
        return qs
    return qs.filter(kecamatan_id__in=scope.kecamatan_ids)


def alerts_for_day(scope: Scope, day: dt.date) -> QuerySet[Alert]:
    """Alerts raised on the local day `day` or still open during it, oldest first (the Lapsit's list)."""
    start, end = day_bounds(day)
    return (
        _alerts_in(scope)
        .filter(
            Q(raised_at__gte=start, raised_at__lt=end)
            | Q(raised_at__lt=start) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        )
        .order_by("raised_at", "id")
    )


def journal_for_day(scope: Scope, day: dt.date) -> QuerySet[JournalEntry]:
    """Journal entries whose time falls on the local day `day`, in time order (the Lapsit's notes)."""
    start, end = day_bounds(day)
    return (
        _journal_in(scope).filter(occurred_at__gte=start, occurred_at__lt=end).order_by("occurred_at", "id")
    )


def _journal_in(scope: Scope) -> QuerySet[JournalEntry]:
    qs = JournalEntry.objects.select_related("author", "kecamatan", "corrects")
    if scope.is_unrestricted:
        return qs
    # Polres-level entries (no kecamatan) belong to the Polres posko; a Polsek sees its own area's entries.
    return qs.filter(kecamatan_id__in=scope.kecamatan_ids)


def open_alerts(user: Any) -> QuerySet[Alert]:
    """Open and acknowledged alerts the user may see, most severe and oldest unacknowledged first."""
    return _alerts_in(scope_for(user)).exclude(status=Alert.Status.CLOSED)


def alerts_for(user: Any) -> QuerySet[Alert]:
    return _alerts_in(scope_for(user))


def journal_for(user: Any) -> QuerySet[JournalEntry]:
    return _journal_in(scope_for(user))


def visitors_for(user: Any) -> QuerySet[Visitor]:
    return scope_for(user).filter(
        Visitor.objects.select_related("post", "post__vital_object", "recorded_by"),
        "post__vital_object__kecamatan_id",
    )


def cameras_for(user: Any) -> QuerySet[Camera]:
    return scope_for(user).filter(Camera.objects.select_related("kecamatan", "watched_by"), "kecamatan_id")


def unread_notifications(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, channel="inapp", read_at__isnull=True).select_related(
        "alert"
    )
