"""Reads for events, filtered by the user's jurisdiction (the event's kecamatan), and clash detection."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.events import rules
from siaga.events.models import Assignment, Event, Sector
from siaga.operations.models import ElectionStage


def events_for(
    user: Any,
    *,
    search: str = "",
    kind: str = "",
    kecamatan_id: int | None = None,
    election_id: int | None = None,
    day: dt.date | None = None,
) -> QuerySet[Event]:
    qs = scope_for(user).filter(
        Event.objects.select_related("kecamatan", "election", "stage").annotate(
            n_assigned=Count("assignments", distinct=True)
        ),
        "kecamatan_id",
    )
    if search:
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(candidate__icontains=search)
            | Q(party__icontains=search)
            | Q(place__icontains=search)
            | Q(sttp_number__icontains=search)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    if election_id:
        qs = qs.filter(election_id=election_id)
    qs = qs.order_by("starts_at", "pk")
    if day:
        tz = ZoneInfo(settings.TIME_ZONE)
        start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
        qs = qs.filter(starts_at__lt=start + dt.timedelta(days=1), ends_at__gt=start)
    return qs


def access_event(user: Any, pk: int) -> Event:
    obj = events_for(user).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Kegiatan tidak ditemukan"))
    return obj


def plan_of(event: Event) -> list[Sector]:
    """The sectors with their officers (one query each for sectors and assignments)."""
    assignments = Assignment.objects.select_related("personnel", "personnel__rank").order_by("role", "pk")
    return list(event.sectors.prefetch_related(Prefetch("assignments", queryset=assignments)))


def assignments_of(event: Event) -> QuerySet[Assignment]:
    return event.assignments.select_related("personnel", "personnel__rank", "sector").order_by(
        "sector__order", "role", "pk"
    )


def point_of(event: Event) -> rules.EventPoint:
    return rules.EventPoint(
        pk=event.pk,
        title=event.title,
        kind=event.kind,
        side=event.side,
        lat=event.lat,
        lng=event.lng,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )


def clashes(event: Event, *, user: Any = None) -> list[rules.Clash]:
    """Everything wrong with an event's place and time: a rival campaign close by, a campaign in the quiet
    period or outside the campaign stage, a venue near a vital object. Works on an unsaved event too.

    Rival events outside the user's jurisdiction are counted but not named (their details are not the user's).
    """
    from siaga.sites.models import VitalObject

    out: list[rules.Clash] = []
    tz = ZoneInfo(settings.TIME_ZONE)
    gap = dt.timedelta(minutes=float(rules.setting("SIAGA_EVENT_CLASH_GAP_MINUTES")))  # type: ignore[arg-type]
    nearby = (
        Event.objects.filter(election_id=event.election_id, kind=Event.Kind.CAMPAIGN)
        .exclude(status=Event.Status.CANCELLED)
        .filter(starts_at__lt=event.ends_at + gap, ends_at__gt=event.starts_at - gap)
    )
    if event.pk:
        nearby = nearby.exclude(pk=event.pk)
    visible = (
        set(scope_for(user).filter(nearby, "kecamatan_id").values_list("pk", flat=True)) if user else None
    )
    points = [point_of(e) for e in nearby]
    for other, metres, minutes in rules.rival_clashes(point_of(event), points):
        shown = visible is None or other.pk in visible
        out.append(
            rules.Clash(
                "rival",
                _("Kampanye pihak lain %(distance)d m dari sini, selisih waktu %(gap)d menit: %(title)s")
                % {
                    "distance": round(metres),
                    "gap": round(minutes),
                    "title": other.title if shown else _("(di luar wilayah Anda)"),
                },
                other_pk=other.pk if shown else None,
                distance_m=metres,
                gap_minutes=minutes,
            )
        )
    if event.kind == Event.Kind.CAMPAIGN:
        stages = {
            s.code: s
            for s in ElectionStage.objects.filter(
                election_id=event.election_id, code__in=["kampanye", "masa-tenang", "pemungutan-suara"]
            )
        }
        quiet = stages.get("masa-tenang")
        if quiet and rules.overlaps_days(event.starts_at, event.ends_at, quiet.starts_on, quiet.ends_on, tz):
            out.append(
                rules.Clash(
                    "quiet_period",
                    _("Kampanye pada masa tenang (%(first)s - %(last)s) dilarang")
                    % {
                        "first": quiet.starts_on.strftime("%d-%m-%Y"),
                        "last": quiet.ends_on.strftime("%d-%m-%Y"),
                    },
                )
            )
        campaign = stages.get("kampanye")
        voting = event.election.voting_on if event.election_id else None
        if campaign and not (
            event.starts_at.astimezone(tz).date() >= campaign.starts_on
            and event.ends_at.astimezone(tz).date() <= campaign.ends_on
        ):
            out.append(
                rules.Clash(
                    "outside_campaign",
                    _("Di luar masa kampanye (%(first)s - %(last)s)")
                    % {
                        "first": campaign.starts_on.strftime("%d-%m-%Y"),
                        "last": campaign.ends_on.strftime("%d-%m-%Y"),
                    },
                )
            )
        elif voting and rules.overlaps_days(event.starts_at, event.ends_at, voting, voting, tz):
            out.append(rules.Clash("quiet_period", _("Kampanye pada hari pemungutan suara dilarang")))
    max_m = float(rules.setting("SIAGA_EVENT_VITAL_OBJECT_DISTANCE_M"))  # type: ignore[arg-type]
    box = max_m / 111_000 * 1.5  # degrees; a coarse box first, the exact distance after
    for vo in VitalObject.objects.filter(
        lat__range=(event.lat - box, event.lat + box), lng__range=(event.lng - box, event.lng + box)
    ).only("name", "lat", "lng", "kind"):
        metres = rules.distance_m(event.lat, event.lng, vo.lat, vo.lng)
        if metres <= max_m:
            out.append(
                rules.Clash(
                    "vital_object",
                    _("%(distance)d m dari objek vital %(name)s")
                    % {"distance": round(metres), "name": vo.name},
                    distance_m=metres,
                )
            )
    return out


def kpu_stages(election_id: int) -> QuerySet[ElectionStage]:
    """The KPU stage calendar an activity can be taken from."""
    return ElectionStage.objects.filter(election_id=election_id).order_by("starts_on", "pk")


def incidents_near(user: Any, event: Event, *, radius_m: float = 1000) -> list[Any]:
    """Incidents linked to the event: in the user's view, within `radius_m` of the venue, during the event
    (from an hour before to an hour after)."""
    from siaga.incidents import selectors as incidents

    box = radius_m / 111_000 * 1.5
    margin = dt.timedelta(hours=1)
    qs = incidents.incidents_for(user).filter(
        occurred_at__gte=event.starts_at - margin,
        occurred_at__lte=event.ends_at + margin,
        lat__range=(event.lat - box, event.lat + box),
        lng__range=(event.lng - box, event.lng + box),
    )
    return [
        i
        for i in qs[:50]
        if i.lat is not None
        and i.lng is not None
        and rules.distance_m(event.lat, event.lng, i.lat, i.lng) <= radius_m
    ]
