"""Reads of incidents and response units, filtered by the user's jurisdiction (kecamatan)."""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.incidents import commitments
from siaga.incidents.models import OPEN_STATUSES, Category, Incident, ResponseUnit, Status, TimelineEntry
from siaga.incidents.ranking import DEFAULT_SPEED_KMH, Ranked, rank_nearest
from siaga.incidents.rules import DUPLICATE_RADIUS_KM, DUPLICATE_WINDOW, distance_km, duplicate_score, words
from siaga.territory.models import PoliceUnit


def incidents_for(
    user: Any,
    *,
    status: str = "",
    category: str = "",
    priority: int | None = None,
    kecamatan_id: int | None = None,
    search: str = "",
    open_only: bool = False,
    since: dt.datetime | None = None,
) -> QuerySet[Incident]:
    if not can(user, "view_incidents"):
        return Incident.objects.none()
    qs = scope_for(user).filter(
        Incident.objects.select_related(
            "kecamatan", "desa", "handler", "assigned_user", "assigned_police_unit"
        ),
        "kecamatan_id",
    )
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if category:
        qs = qs.filter(category=category)
    if priority:
        qs = qs.filter(priority=priority)
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    if since:
        qs = qs.filter(reported_at__gte=since)
    if search:
        term = search.strip()
        qs = qs.filter(Q(receipt__iexact=term) | Q(description__icontains=term) | Q(place__icontains=term))
    return qs.order_by("priority", "-reported_at", "-id")


def access_incident(user: Any, pk: int) -> Incident:
    incident = incidents_for(user).filter(pk=pk).first()
    if incident is None:
        raise NotFound(_("Kejadian tidak ditemukan"))
    return incident


def timeline_for(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.order_by("at", "id")


@dataclass(frozen=True)
class DuplicateCandidate:
    incident: Incident
    score: float
    distance_km: float | None


def duplicate_candidates(
    user: Any, incident: Incident, *, limit: int = 5, min_score: float = 0.35
) -> list[DuplicateCandidate]:
    """Earlier or concurrent reports close in space, time and text: the likely duplicates, best first."""
    window = DUPLICATE_WINDOW
    qs = (
        incidents_for(user)
        .filter(
            reported_at__gte=incident.reported_at - window, reported_at__lte=incident.reported_at + window
        )
        .exclude(pk=incident.pk)
        .exclude(status=Status.DUPLICATE)
    )
    if incident.kecamatan_id:
        qs = qs.filter(kecamatan_id=incident.kecamatan_id)
    mine = words(incident.description)
    out: list[DuplicateCandidate] = []
    for other in qs[:200]:
        km = None
        if (
            incident.lat is not None
            and other.lat is not None
            and incident.lng is not None
            and other.lng is not None
        ):
            km = distance_km(incident.lat, incident.lng, other.lat, other.lng)
            if km > DUPLICATE_RADIUS_KM * 3:
                continue
        hours = abs((incident.occurred_at - other.occurred_at).total_seconds()) / 3600
        score = duplicate_score(
            same_category=other.category == incident.category,
            km=km,
            hours_apart=hours,
            text_a=mine,
            text_b=words(other.description),
            same_desa=bool(incident.desa_id and incident.desa_id == other.desa_id),
        )
        if score >= min_score:
            out.append(DuplicateCandidate(other, score, None if km is None else round(km, 2)))
    out.sort(key=lambda c: -c.score)
    return out[:limit]


def units_for(user: Any, *, status: str = "", search: str = "") -> QuerySet[ResponseUnit]:
    if not (can(user, "dispatch_units") or can(user, "update_unit_status")):
        return ResponseUnit.objects.none()
    qs = scope_for(user).filter(
        ResponseUnit.objects.select_related("police_unit", "kecamatan", "current_incident"), "kecamatan_id"
    )
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(call_sign__icontains=search) | Q(name__icontains=search))
    return qs.order_by("call_sign")


def access_unit(user: Any, pk: int) -> ResponseUnit:
    unit = units_for(user).filter(pk=pk).first()
    if unit is None:
        raise NotFound("Unit tidak ditemukan")
    return unit


@dataclass(frozen=True)
class Recommendation:
    unit: ResponseUnit
    distance_km: float
    eta_minutes: float


@dataclass(frozen=True)
class Recommendations:
    units: list[Recommendation]
    # Available units left out because moving them would break a post or TPS team minimum: {call sign: reason}.
    held_back: dict[str, str]


def recommend_units(user: Any, incident: Incident, *, k: int = 5) -> Recommendations:
    """The nearest available units by travel time, never one that a commitment provider holds back."""
    if incident.lat is None or incident.lng is None:
        target = (
            (incident.desa or incident.kecamatan) if (incident.desa_id or incident.kecamatan_id) else None
        )
        if target is None:
            return Recommendations([], {})
        lat, lng = target.lat, target.lng
    else:
        lat, lng = incident.lat, incident.lng
    units = list(
        units_for(user, status=ResponseUnit.UnitStatus.AVAILABLE)
        .filter(lat__isnull=False, lng__isnull=False)
        .prefetch_related(Prefetch("members", to_attr="member_list"))
    )
    members = {u.pk: [m.pk for m in u.member_list] for u in units}  # type: ignore[attr-defined]
    blocked = commitments.blocked_units(members, at=timezone.now())
    eligible = np.array([u.pk not in blocked for u in units], dtype=bool)
    ranked: list[Ranked] = rank_nearest(
        np.array([u.lat for u in units], dtype=float),
        np.array([u.lng for u in units], dtype=float),
        lat=lat,
        lng=lng,
        eligible=eligible,
        k=k,
        circuity=getattr(settings, "SIAGA_CIRCUITY_FACTOR", 1.35),
        speed_kmh=getattr(settings, "SIAGA_INCIDENT_UNIT_SPEED_KMH", DEFAULT_SPEED_KMH),
    )
    return Recommendations(
        units=[
            Recommendation(units[r.index], round(r.distance_km, 2), round(r.eta_minutes, 1)) for r in ranked
        ],
        held_back={u.call_sign: blocked[u.pk] for u in units if u.pk in blocked},
    )


@dataclass(frozen=True)
class ResponseTimeRow:
    polsek: str
    category: str
    category_label: str
    count: int
    to_dispatch_min: float | None
    to_scene_min: float | None
    to_resolve_min: float | None


def _median_minutes(values: list[float]) -> float | None:
    return round(statistics.median(values) / 60, 1) if values else None


def polsek_by_kecamatan() -> dict[int, str]:
    mapping: dict[int, str] = {}
    rows = PoliceUnit.objects.filter(level=PoliceUnit.Level.POLSEK).values_list("jurisdiction__id", "name")
    for kec_id, name in rows:
        if kec_id is not None:
            mapping.setdefault(kec_id, name)
    return mapping


def response_times(
    user: Any, *, since: dt.datetime | None = None, include_synthetic: bool = True
) -> list[ResponseTimeRow]:
    """Median minutes from report to dispatch, to on scene and to resolved, per Polsek and category.

    Times are measured from `reported_at` (when the report reached us), never back-filled.
    """
    qs = incidents_for(user, since=since).exclude(status__in=[Status.REJECTED, Status.DUPLICATE])
    if not include_synthetic:
        qs = qs.filter(is_synthetic=False)
    rows = qs.order_by().values_list(
        "kecamatan_id", "category", "reported_at", "dispatched_at", "on_scene_at", "resolved_at"
    )
    polsek = polsek_by_kecamatan()
    groups: dict[tuple[str, str], list[list[float]]] = defaultdict(lambda: [[], [], [], []])
    for kec_id, category, reported, dispatched, on_scene, resolved in rows:
        bucket = groups[(polsek.get(kec_id, "-"), category)]
        bucket[0].append(1)
        for i, stamp in enumerate((dispatched, on_scene, resolved), start=1):
            if stamp is not None:
                bucket[i].append((stamp - reported).total_seconds())
    labels = dict(Category.choices)
    return [
        ResponseTimeRow(
            polsek=p,
            category=c,
            category_label=str(labels.get(c, c)),
            count=len(b[0]),
            to_dispatch_min=_median_minutes(b[1]),
            to_scene_min=_median_minutes(b[2]),
            to_resolve_min=_median_minutes(b[3]),
        )
        for (p, c), b in sorted(groups.items())
    ]


def map_incidents(user: Any, *, days: int = 14) -> list[tuple[Any, ...]]:
    """(id, lat, lng, receipt, category, status, priority, synthetic) of recent incidents with a position."""
    since = timezone.now() - dt.timedelta(days=days)
    qs = (
        incidents_for(user, since=since)
        .filter(lat__isnull=False)
        .exclude(status__in=[Status.REJECTED, Status.DUPLICATE])
    )
    return list(
        qs.values_list("id", "lat", "lng", "receipt", "category", "status", "priority", "is_synthetic")
    )


def change_stamp() -> str:
    """A short marker that changes whenever an incident is added or changes (every change writes a timeline
    entry), so live views can ask "anything new?" cheaply. Hashed: it does not reveal counts."""
    last_incident = Incident.objects.aggregate(m=Max("pk"))["m"] or 0
    last_entry = TimelineEntry.objects.aggregate(m=Max("pk"))["m"] or 0
    return hashlib.sha256(f"{last_incident}:{last_entry}".encode()).hexdigest()[:12]
