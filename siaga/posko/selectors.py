"""Reads for the Posko: the alert stream, the board, the journal, visitors and the CCTV register, each
filtered by the reader's jurisdiction.

`alerts_for_day(scope, day)` and `journal_for_day(scope, day)` are also what the daily Lapsit reads; keep their
signatures stable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Case, Count, Max, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.alerts import AlertKind, alert_kinds
from siaga.core.errors import NotFound
from siaga.core.jurisdiction import Scope
from siaga.posko.models import Alert, Camera, JournalEntry, Notification, SchedulerTick, Severity, Visitor


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a local calendar day as aware datetimes."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def _in_area(scope: Scope, *, polres_wide: bool) -> Q:
    """Rows of the scope's kecamatan, plus the Polres-wide rows (no kecamatan) for a Polres-level reader."""
    if scope.is_unrestricted:
        return Q()
    area = Q(kecamatan_id__in=scope.kecamatan_ids)
    return area | Q(kecamatan__isnull=True) if polres_wide else area


def is_polres_level(user: Any) -> bool:
    """A reader of the whole Polres (its staff, an administrator), not of one Polsek's area."""
    if scope_for(user).is_unrestricted:
        return True
    unit = getattr(user, "police_unit", None)
    return unit is not None and unit.level == unit.Level.POLRES


def _alerts_in(scope: Scope, *, polres_wide: bool = True) -> QuerySet[Alert]:
    qs = Alert.objects.select_related("kecamatan", "acknowledged_by", "closed_by")
    return qs.filter(_in_area(scope, polres_wide=polres_wide))


def alerts_for_day(scope: Scope, day: dt.date, *, polres_wide: bool = True) -> QuerySet[Alert]:
    """Alerts raised on the local day `day` or still open during it, oldest first (the Lapsit's list).
    `polres_wide`: include the rows with no kecamatan (the Polres' own), as a Polres report does."""
    start, end = day_bounds(day)
    return (
        _alerts_in(scope, polres_wide=polres_wide)
        .filter(
            Q(raised_at__gte=start, raised_at__lt=end)
            | Q(raised_at__lt=start) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        )
        .order_by("raised_at", "id")
    )


def journal_for_day(scope: Scope, day: dt.date, *, polres_wide: bool = True) -> QuerySet[JournalEntry]:
    """Journal entries whose time falls on the local day `day`, in time order (the Lapsit's notes).
    `polres_wide`: include the Polres posko's own entries (no kecamatan), as a Polres report does."""
    start, end = day_bounds(day)
    return (
        _journal_in(scope, polres_wide=polres_wide)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .order_by("occurred_at", "id")
    )


def _journal_in(scope: Scope, *, polres_wide: bool = True) -> QuerySet[JournalEntry]:
    # Entries with no kecamatan belong to the Polres posko; a Polsek sees its own area's entries only.
    qs = JournalEntry.objects.select_related("author", "kecamatan", "corrects")
    return qs.filter(_in_area(scope, polres_wide=polres_wide))


def journal_for(user: Any) -> QuerySet[JournalEntry]:
    return _journal_in(scope_for(user), polres_wide=is_polres_level(user))


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


# --- what the user may see of the stream -------------------------------------------------------------------


def visible_kinds(user: Any) -> dict[str, AlertKind]:
    """The alert kinds whose capability the user holds (a Polsek officer sees no neutrality case)."""
    return {code: kind for code, kind in alert_kinds().items() if can(user, kind.capability)}


def alerts_visible(user: Any) -> QuerySet[Alert]:
    if not can(user, "view_posko"):
        return Alert.objects.none()
    return _alerts_in(scope_for(user), polres_wide=is_polres_level(user)).filter(
        kind__in=list(visible_kinds(user))
    )


def access_alert(user: Any, pk: int) -> Alert:
    alert = alerts_visible(user).filter(pk=pk).first()
    if alert is None:
        raise NotFound(_("Peringatan tidak ditemukan"))
    return alert


def kind_label(kinds: dict[str, AlertKind], code: str) -> str:
    kind = kinds.get(code)
    return str(kind.label) if kind else code


def last_tick_at() -> dt.datetime | None:
    """When the alert stream last ran: the board says so, so a stopped worker never looks like a quiet night."""
    return SchedulerTick.objects.filter(name="posko.alert_tick").aggregate(m=Max("started_at"))["m"]


# --- the board ---------------------------------------------------------------------------------------------

BOARD_ALERTS = 40


@dataclass
class StrengthRow:
    """Officers on duty now for one Polsek (or the Polres' own units), by kind of duty."""

    unit_id: int
    name: str
    posts_rostered: int = 0
    posts_present: int = 0
    patrol_vehicles: int = 0
    pam_tps: int = 0
    events: int = 0

    @property
    def total(self) -> int:
        return max(self.posts_rostered, self.posts_present) + self.pam_tps + self.events


@dataclass
class Board:
    now: dt.datetime
    alerts: list[Alert]
    alerts_total: int
    by_severity: dict[str, int]
    kinds: dict[str, AlertKind]
    incidents_by_priority: list[tuple[int, str, int]]
    urgent_incidents: list[Any]
    strength: list[StrengthRow]
    strength_at: dt.datetime | None
    last_tick: dt.datetime | None
    unread: int
    stamp: str = ""
    incidents_visible: bool = False

    @property
    def alert_rows(self) -> list[tuple[Alert, str]]:
        return [(a, kind_label(self.kinds, a.kind)) for a in self.alerts]

    @property
    def severity_counts(self) -> list[tuple[str, str, int]]:
        return [(value, str(label), self.by_severity.get(value, 0)) for value, label in Severity.choices]

    @property
    def strength_total(self) -> StrengthRow:
        total = StrengthRow(0, "")
        for row in self.strength:
            total.posts_rostered += row.posts_rostered
            total.posts_present += row.posts_present
            total.patrol_vehicles += row.patrol_vehicles
            total.pam_tps += row.pam_tps
            total.events += row.events
        return total


def scope_key(user: Any) -> str:
    """What a reader's board depends on besides the data: jurisdiction, Polres level and visible kinds."""
    scope = scope_for(user)
    ids = "*" if scope.kecamatan_ids is None else ",".join(map(str, sorted(scope.kecamatan_ids)))
    return f"{ids}:{is_polres_level(user)}:{','.join(sorted(visible_kinds(user)))}"


def board_stamp(user: Any, *, now: dt.datetime) -> str:
    """Changes whenever anything the board shows may have changed: live polls with the same stamp get 204."""
    from siaga.incidents.selectors import change_stamp

    agg = Alert.objects.aggregate(
        n=Max("pk"), raised=Max("raised_at"), ack=Max("acknowledged_at"), closed=Max("closed_at")
    )
    unread = unread_notifications(user).count()
    bucket = int(now.timestamp()) // STRENGTH_CACHE_S
    raw = f"{agg}:{change_stamp()}:{unread}:{bucket}:{get_language()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def board(user: Any, *, now: dt.datetime | None = None) -> Board:
    """Everything the wall display shows, for the user's jurisdiction (about a dozen queries; strength cached)."""
    from siaga.incidents.models import OPEN_STATUSES, Incident, Priority

    now = now or timezone.now()
    kinds = visible_kinds(user)
    qs = alerts_visible(user).exclude(status=Alert.Status.CLOSED)
    by_severity = dict(
        qs.order_by().values_list("severity").annotate(n=Count("pk")).values_list("severity", "n")
    )
    severity_rank = Case(
        When(severity=Severity.HIGH, then=Value(0)),
        When(severity=Severity.MEDIUM, then=Value(1)),
        default=Value(2),
    )
    status_rank = Case(When(status=Alert.Status.OPEN, then=Value(0)), default=Value(1))
    alerts = list(qs.order_by(status_rank, severity_rank, "-raised_at", "-id")[:BOARD_ALERTS])
    incidents_visible = can(user, "view_incidents") and not scope_for(user).is_partner
    priorities: list[tuple[int, str, int]] = []
    urgent: list[Any] = []
    if incidents_visible:
        open_incidents = scope_for(user).filter(
            Incident.objects.filter(status__in=OPEN_STATUSES), "kecamatan_id"
        )
        counts = dict(
            open_incidents.order_by()
            .values_list("priority")
            .annotate(n=Count("pk"))
            .values_list("priority", "n")
        )
        priorities = [(p.value, str(p.label), counts.get(p.value, 0)) for p in Priority]
        urgent = list(
            open_incidents.filter(priority__lte=Priority.P2)
            .select_related("kecamatan")
            .order_by("priority", "-reported_at")[:8]
        )
    strength, strength_at = strength_now(user, now=now)
    return Board(
        now=now,
        alerts=alerts,
        alerts_total=sum(by_severity.values()),
        by_severity=by_severity,
        kinds=kinds,
        incidents_by_priority=priorities,
        urgent_incidents=urgent,
        strength=strength,
        strength_at=strength_at,
        last_tick=last_tick_at(),
        unread=unread_notifications(user).count(),
        incidents_visible=incidents_visible,
    )


# --- strength on duty now ----------------------------------------------------------------------------------

# The strength table reads every duty in force; it is kept this many seconds per jurisdiction so that a wall
# of screens polling every few seconds asks the database once.
STRENGTH_CACHE_S = 60


def strength_now(user: Any, *, now: dt.datetime) -> tuple[list[StrengthRow], dt.datetime | None]:
    """Officers on duty now per Polsek: guard posts (rostered and checked in), patrol vehicles out, PAM TPS
    and events/escorts, by the officers' own unit (siaga.core.duties answers who is on which duty)."""
    scope = scope_for(user)
    if not can(user, "view_posko"):
        return [], None
    key = (
        "posko:strength:"
        + hashlib.sha256(
            f"{sorted(scope.kecamatan_ids) if scope.kecamatan_ids is not None else '*'}:{user.police_unit_id}:{int(now.timestamp()) // STRENGTH_CACHE_S}".encode()
        ).hexdigest()[:24]
    )
    cached = cache.get(key)
    if cached is None:
        unit = getattr(user, "police_unit", None)
        with_polres = scope.is_unrestricted or (unit is not None and unit.level == unit.Level.POLRES)
        cached = (_strength(scope, now=now, with_polres=with_polres), now)
        cache.set(key, cached, STRENGTH_CACHE_S * 2)
    return cached


def _strength(scope: Scope, *, now: dt.datetime, with_polres: bool) -> list[StrengthRow]:
    from siaga.core.duties import busy_periods
    from siaga.guard.models import CheckIn, on_duty_q
    from siaga.patrols.models import PatrolPlan, PatrolVisit, plan_day_of, slot_of
    from siaga.personnel.models import Personnel
    from siaga.territory.models import PoliceUnit

    levels = [PoliceUnit.Level.POLRES, PoliceUnit.Level.POLSEK] if with_polres else [PoliceUnit.Level.POLSEK]
    units = PoliceUnit.objects.filter(level__in=levels)
    if not scope.is_unrestricted:
        units = units.filter(jurisdiction__in=scope.kecamatan_ids).distinct()
    rows = {u.pk: StrengthRow(u.pk, u.name) for u in units.order_by("level", "name")}
    if not rows:
        return []
    # Polsubsektor officers count with their Polsek.
    parent = dict(
        PoliceUnit.objects.filter(level=PoliceUnit.Level.POLSUBSEKTOR).values_list("pk", "parent_id")
    )

    def row_of(unit_id: int | None) -> StrengthRow | None:
        if unit_id is None:
            return None
        return rows.get(unit_id) or rows.get(parent.get(unit_id, -1) or -1)

    busy = busy_periods(personnel_ids=None, start=now, end=now + dt.timedelta(seconds=1))
    present = set(CheckIn.objects.filter(on_duty_q(now)).values_list("personnel_id", flat=True))
    wanted = set(busy) | present
    home = (
        dict(Personnel.objects.filter(pk__in=wanted).values_list("pk", "unit__police_unit_id"))
        if wanted
        else {}
    )
    for personnel_id, periods in busy.items():
        row = row_of(home.get(personnel_id))
        if row is None:
            continue
        sources = {p.source.split(".", 1)[0] for p in periods}
        if "guard" in sources:
            row.posts_rostered += 1
        if "deployment" in sources:
            row.pam_tps += 1
        if sources & {"events", "logistics"}:
            row.events += 1
    for personnel_id in present:
        row = row_of(home.get(personnel_id))
        if row is not None:
            row.posts_present += 1
    vehicles = (
        PatrolVisit.objects.filter(
            day__plan__status=PatrolPlan.Status.ACTIVE,
            day__day_on=plan_day_of(now),
            slot=slot_of(now),
            is_cancelled=False,
            unit__isnull=False,
        )
        .values_list("unit__depot_id", "unit_id", "vehicle")
        .distinct()
    )
    for depot_id, _unit, _vehicle in vehicles:
        row = row_of(depot_id)
        if row is not None:
            row.patrol_vehicles += 1
    return list(rows.values())


# --- visitors, cameras and watch gaps ----------------------------------------------------------------------


def posts_for_visitors(user: Any) -> QuerySet[Any]:
    from siaga.guard.models import Post

    return scope_for(user).filter(
        Post.objects.filter(is_active=True).select_related("vital_object"), "vital_object__kecamatan_id"
    )


def access_visitor(user: Any, pk: int) -> Visitor:
    visitor = visitors_for(user).filter(pk=pk).first()
    if visitor is None:
        raise NotFound(_("Tamu tidak ditemukan"))
    return visitor


def access_camera(user: Any, pk: int) -> Camera:
    camera = cameras_for(user).filter(pk=pk).first()
    if camera is None:
        raise NotFound(_("Kamera tidak ditemukan"))
    return camera


def cctv_posts_for(user: Any) -> QuerySet[Any]:
    from siaga.guard.models import Post

    return posts_for_visitors(user).filter(kind=Post.Kind.CCTV)


# A gap shorter than this is a watcher stepping away, not a hole in the watch.
MIN_GAP = dt.timedelta(minutes=5)


def watch_gaps(
    post_ids: list[int], *, start: dt.datetime, end: dt.datetime
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Periods in [start, end) when nobody was checked in on each CCTV seat (one query for all seats)."""
    from siaga.guard.models import CheckIn

    spans: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {pk: [] for pk in post_ids}
    rows = (
        CheckIn.objects.filter(post_id__in=post_ids, checked_in_at__lt=end)
        .filter(Q(checked_out_at__isnull=True) | Q(checked_out_at__gt=start))
        .select_related("assignment")
        .order_by("checked_in_at")
    )
    for c in rows:
        stop = c.checked_out_at or min(c.duty_ends_at, end)
        spans[c.post_id].append((max(c.checked_in_at, start), min(stop, end)))
    gaps: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for pk, covered in spans.items():
        out, cursor = [], start
        for s, e in sorted(covered):
            if s - cursor >= MIN_GAP:
                out.append((cursor, s))
            cursor = max(cursor, e)
        if end - cursor >= MIN_GAP:
            out.append((cursor, end))
        gaps[pk] = out
    return gaps
