"""Reads for patrols. Patrol schedules are sensitive: Bag Ops, commanders and administrators see every unit of
their Polres; Polsek and field officers see only the units based at their own Polsek/Polres; partner
viewers see nothing (they lack `view_patrol_plans`). Points follow the usual kecamatan scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, FloatField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.models import Role
from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.patrols.models import (
    SLOT_LABELS,
    SLOT_MINUTES,
    PatrolCheckIn,
    PatrolDay,
    PatrolPlan,
    PatrolPoint,
    PatrolUnit,
    PatrolVisit,
    PlanPoint,
    plan_day_of,
)
from siaga.territory.models import Kecamatan

ALL_UNITS_ROLES = (Role.ADMIN, Role.COMMANDER, Role.OPS_STAFF)


def sees_all_units(user: Any) -> bool:
    """Staff who plan and command see every unit's schedule in their jurisdiction; others only their own."""
    return can(user, "view_patrol_plans") and (user.is_superuser or user.role in ALL_UNITS_ROLES)


def _kabupaten_ids(user: Any) -> Any:
    scope = scope_for(user)
    return Kecamatan.objects.filter(id__in=scope.kecamatan_ids or ()).values("kabupaten_id")


def units_for(user: Any) -> QuerySet[PatrolUnit]:
    qs = PatrolUnit.objects.select_related("depot", "personnel_unit")
    if not can(user, "view_patrol_plans"):
        return qs.none()
    if sees_all_units(user):
        scope = scope_for(user)
        return qs if scope.is_unrestricted else qs.filter(depot__kabupaten_id__in=_kabupaten_ids(user))
    return qs.filter(depot_id=user.police_unit_id) if user.police_unit_id else qs.none()


def access_unit(user: Any, pk: int) -> PatrolUnit:
    unit = units_for(user).filter(pk=pk).first()
    if unit is None:
        raise NotFound(_("Unit patroli tidak ditemukan"))
    return unit


def points_for(
    user: Any, *, search: str = "", kind: str = "", kecamatan_id: int | None = None
) -> QuerySet[PatrolPoint]:
    if not can(user, "view_patrol_plans"):
        return PatrolPoint.objects.none()
    qs = scope_for(user).filter(
        PatrolPoint.objects.select_related("kecamatan").defer("kecamatan__boundary"), "kecamatan_id"
    )
    if can(user, "view_confidential_categories"):
        qs = qs.annotate(shown_kind=F("kind"), shown_value=F("value"))
    else:
        # The category is not theirs to know: a rawan TPS is shown (and filtered) as a plain TPS, its value
        # (which follows the category's severity) withheld.
        rawan = Q(kind=PatrolPoint.Kind.RAWAN_TPS)
        qs = qs.annotate(
            shown_kind=Case(When(rawan, then=Value(PatrolPoint.MASKED_KIND)), default=F("kind")),
            shown_value=Case(When(rawan, then=Value(None, output_field=FloatField())), default=F("value")),
        )
        if kind == PatrolPoint.Kind.RAWAN_TPS:
            kind = "-"  # not a filter they may use: it would tell rawan TPS apart
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    if kind:
        qs = qs.filter(shown_kind=kind)
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    return qs


def access_point(user: Any, pk: int) -> PatrolPoint:
    point = points_for(user).filter(pk=pk).first()
    if point is None:
        raise NotFound(_("Titik patroli tidak ditemukan"))
    return point


def plans_for(user: Any) -> QuerySet[PatrolPlan]:
    qs = PatrolPlan.objects.select_related("polres", "election").annotate(
        n_points=Count("plan_points", distinct=True), n_units=Count("units", distinct=True)
    )
    if not can(user, "view_patrol_plans"):
        return qs.none()
    scope = scope_for(user)
    if not scope.is_unrestricted:
        qs = qs.filter(polres__kabupaten_id__in=_kabupaten_ids(user))
    if not sees_all_units(user):
        qs = qs.filter(units__in=units_for(user)).distinct()
    return qs


def access_plan(user: Any, pk: int) -> PatrolPlan:
    plan = plans_for(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound(_("Rencana patroli tidak ditemukan"))
    return plan


def plan_points(plan: PatrolPlan) -> list[PlanPoint]:
    return list(
        plan.plan_points.select_related("point", "point__kecamatan")
        .defer("point__kecamatan__boundary")
        .order_by("-coverage", "point__name")
    )


def days_of(plan: PatrolPlan) -> QuerySet[PatrolDay]:
    return plan.days.annotate(
        n_visits=Count("visits", filter=Q(visits__is_cancelled=False), distinct=True),
        n_done=Count(
            "visits", filter=Q(visits__is_cancelled=False, visits__checkins__isnull=False), distinct=True
        ),
        n_overrides=Count(
            "visits",
            filter=Q(visits__overridden_by__isnull=False) | Q(visits__source="override"),
            distinct=True,
        ),
    ).order_by("day_on")


def access_day(user: Any, pk: int) -> PatrolDay:
    day = (
        PatrolDay.objects.select_related("plan", "plan__polres")
        .filter(pk=pk, plan__in=plans_for(user))
        .first()
    )
    if day is None:
        raise NotFound(_("Hari patroli tidak ditemukan"))
    return day


def visits_for(user: Any, day: PatrolDay) -> QuerySet[PatrolVisit]:
    qs = (
        day.visits.select_related("point", "unit", "overridden_by")
        .prefetch_related(Prefetch("checkins", queryset=PatrolCheckIn.objects.order_by("arrived_at")))
        .order_by("unit__name", "vehicle", "slot", "planned_at", "pk")
    )
    if not sees_all_units(user):
        qs = qs.filter(unit__in=units_for(user))
    return qs


@dataclass
class RouteRow:
    """One vehicle's route in one shift, for the day page and the PDF."""

    unit: PatrolUnit | None
    vehicle: int | None
    slot: int
    visits: list[PatrolVisit] = field(default_factory=list)

    @property
    def slot_label(self) -> str:
        return str(SLOT_LABELS[self.slot])


def routes_of(visits: list[PatrolVisit]) -> list[RouteRow]:
    rows: dict[tuple[Any, Any, int], RouteRow] = {}
    for v in visits:
        key = (v.unit_id, v.vehicle, v.slot)
        if key not in rows:
            rows[key] = RouteRow(unit=v.unit, vehicle=v.vehicle, slot=v.slot)
        rows[key].visits.append(v)
    return sorted(rows.values(), key=lambda r: (r.slot, r.unit.name if r.unit else "~", r.vehicle or 0))


@dataclass
class CoverageRow:
    """Planned against done at one point on one day."""

    point: PatrolPoint
    planned: int = 0
    done: int = 0
    extra: int = 0  # check-ins without a planned visit
    missed: int = 0  # planned visits whose slot is over without a check-in
    flagged: int = 0
    coverage: float | None = None

    @property
    def is_missed(self) -> bool:
        return self.missed > 0


def coverage_rows(user: Any, day: PatrolDay, *, now: dt.datetime | None = None) -> list[CoverageRow]:
    """Per point: visits planned, done (a check-in matched it), extra check-ins and missed visits."""
    now = now or timezone.now()
    visits = list(visits_for(user, day).filter(is_cancelled=False))
    rows: dict[int, CoverageRow] = {}
    for v in visits:
        row = rows.setdefault(
            v.point_id, CoverageRow(point=v.point, coverage=day.coverage.get(str(v.point_id)))
        )
        row.planned += 1
        checkins = list(v.checkins.all())
        if checkins:
            row.done += 1
            row.flagged += sum(1 for c in checkins if c.flags)
        elif day.starts_at + dt.timedelta(minutes=(v.slot + 1) * SLOT_MINUTES) <= now:
            row.missed += 1
    extras = PatrolCheckIn.objects.filter(
        day_on=day.day_on, visit__isnull=True, point__plans=day.plan
    ).select_related("point")
    if not sees_all_units(user):
        extras = extras.filter(unit__in=units_for(user))
    for c in extras:
        row = rows.setdefault(
            c.point_id, CoverageRow(point=c.point, coverage=day.coverage.get(str(c.point_id)))
        )
        row.extra += 1
        row.flagged += 1 if c.flags else 0
    return sorted(rows.values(), key=lambda r: (-r.missed, r.point.name))


def checkins_for(
    user: Any, *, day_on: dt.date | None = None, flagged_only: bool = False
) -> QuerySet[PatrolCheckIn]:
    qs = PatrolCheckIn.objects.select_related("point", "unit", "user", "visit").filter(
        point__in=points_for(user)
    )
    if not sees_all_units(user):
        qs = qs.filter(Q(unit__in=units_for(user)) | Q(user_id=user.pk))
    if day_on:
        qs = qs.filter(day_on=day_on)
    if flagged_only:
        qs = qs.exclude(flags=[])
    return qs


def access_checkin(user: Any, pk: int) -> PatrolCheckIn:
    checkin = checkins_for(user).filter(pk=pk).first()
    if checkin is None:
        raise NotFound(_("Absen tidak ditemukan"))
    return checkin


def duty_today(user: Any, *, now: dt.datetime | None = None) -> tuple[list[Any], list[PatrolPoint]]:
    """The phone page: today's visits of the user's units (in route order) and the points they may check in at."""
    now = now or timezone.now()
    day_on = plan_day_of(now)
    visits = list(
        PatrolVisit.objects.filter(day__day_on=day_on, is_cancelled=False, unit__in=units_for(user))
        .select_related("point", "unit")
        .annotate(n_checkins=Count("checkins"))
        .order_by("planned_at", "pk")
    )
    points = list(points_for(user).filter(is_active=True).order_by("name")[:300])
    return visits, points


def heat_by_kecamatan(user: Any, *, since: dt.date, until: dt.date) -> dict[int, tuple[int, int]]:
    """{kecamatan_id: (visits planned, visits done)} over a date range, for the coverage heat layer."""
    visits = PatrolVisit.objects.filter(
        day__day_on__range=(since, until),
        is_cancelled=False,
        point__in=points_for(user),
        day__plan__in=plans_for(user),
    )
    if not sees_all_units(user):
        visits = visits.filter(unit__in=units_for(user))
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for kecamatan_id, done in visits.annotate(n=Count("checkins")).values_list("point__kecamatan_id", "n"):
        out[kecamatan_id][0] += 1
        out[kecamatan_id][1] += 1 if done else 0
    return {k: (v[0], v[1]) for k, v in out.items()}


def latest_day_on(user: Any) -> dt.date | None:
    return PatrolDay.objects.filter(plan__in=plans_for(user), day_on__lte=timezone.localdate()).order_by(
        "-day_on"
    ).values_list("day_on", flat=True).first() or (
        PatrolDay.objects.filter(plan__in=plans_for(user))
        .order_by("-day_on")
        .values_list("day_on", flat=True)
        .first()
    )


def heat_by_point(user: Any, *, day_on: dt.date) -> dict[int, tuple[int, int]]:
    """{point_id: (visits planned, visits done)} on one day, for the points layer."""
    visits = PatrolVisit.objects.filter(day__day_on=day_on, is_cancelled=False, day__plan__in=plans_for(user))
    if not sees_all_units(user):
        visits = visits.filter(unit__in=units_for(user))
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for point_id, n in visits.annotate(n=Count("checkins")).values_list("point_id", "n"):
        out[point_id][0] += 1
        out[point_id][1] += 1 if n else 0
    return {k: (v[0], v[1]) for k, v in out.items()}
