"""Reads of the field app: the officer's duties today (through the one duty registry, siaga.core.duties),
the TPS of his Sprin with its Padal and Polsek contacts, and the TPS reports in a user's jurisdiction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.duties import Busy, busy_periods
from siaga.deployment.selectors import my_assignment, personnel_of
from siaga.field.models import TpsReport


@dataclass
class Today:
    """What the phone shows: the officer's duties of the day, each with what he can file for it."""

    day: dt.date
    person: Any
    duties: list[Busy]
    team: Any = None
    padal: Any = None
    stops: list[Any] = field(default_factory=list)
    guard_shifts: list[Any] = field(default_factory=list)
    patrol_visits: list[Any] = field(default_factory=list)
    patrol_units: list[Any] = field(default_factory=list)
    legs: list[Any] = field(default_factory=list)
    apels: list[Any] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.duties or self.stops or self.patrol_visits or self.legs or self.apels)


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def today_for(user: Any, *, now: dt.datetime | None = None) -> Today:
    """The signed-in officer's duties overlapping today (local time), and the objects his actions refer to."""
    from siaga.guard.models import Assignment as GuardAssignment
    from siaga.guard.selectors import duty_officers
    from siaga.logistics.selectors import my_legs
    from siaga.patrols import selectors as patrols
    from siaga.personnel.models import ApelEntry

    now = now or timezone.now()
    day = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE)).date()
    start, end = day_bounds(day)
    person = personnel_of(user)
    duties: list[Busy] = []
    if person is not None:
        duties = sorted(
            busy_periods(personnel_ids=[person.pk], start=start, end=end).get(person.pk, []),
            key=lambda b: (b.start, b.source),
        )
    out = Today(day=day, person=person, duties=duties)
    if person is not None and can(user, "deployment_duty"):
        _person, team, padal = my_assignment(user)
        if team is not None and any(b.source.startswith("deployment.") for b in duties):
            out.team = team
            out.stops = list(team.stops.all())
        out.padal = padal
    if person is not None and can(user, "guard_duty"):
        ids = [int(b.source.split(":")[1]) for b in duties if b.source.startswith("guard.assignment:")]
        out.guard_shifts = list(
            GuardAssignment.objects.filter(pk__in=ids).select_related("post").order_by("starts_at")
        )
        for shift in out.guard_shifts:
            # Who takes over at the end of this shift: the next shift's officers at this post first, then anyone
            # rostered around that moment (a swap may have changed who comes).
            nearby = [p for p in duty_officers(shift.post, now=shift.ends_at) if p.pk != person.pk]
            following = set(
                GuardAssignment.objects.filter(post=shift.post, starts_at=shift.ends_at).values_list(
                    "personnel_id", flat=True
                )
            )
            shift.handover_candidates = sorted(nearby, key=lambda p: (p.pk not in following, p.name))
    if can(user, "patrol_duty"):
        out.patrol_visits, _points = patrols.duty_today(user, now=now)
        out.patrol_units = list(patrols.units_for(user))
    if person is not None and can(user, "logistics_duty"):
        out.legs = [
            leg for leg in my_legs(user) if leg.planned_depart is None or start <= leg.planned_depart < end
        ]
    if person is not None:
        out.apels = list(
            ApelEntry.objects.filter(
                personnel=person,
                session__held_on=day,
                session__self_check_in=True,
                session__locked_at__isnull=True,
            ).select_related("session")
        )
    return out


def contacts_for(user: Any) -> dict[str, Any]:
    """The Padal of the officer's team and the Polsek (with their phones) for "TPS saya"."""
    _person, team, padal = my_assignment(user)
    return {
        "team": team,
        "padal": team.padal if team is not None else None,
        "polsek": team.polsek if team is not None else getattr(padal, "polsek", None),
    }


def tps_reports_for(user: Any) -> QuerySet[TpsReport]:
    return scope_for(user).filter(
        TpsReport.objects.select_related("tps", "tps__desa", "kecamatan", "user"), "kecamatan_id"
    )


def officer_of(user: Any) -> Any:
    return personnel_of(user)
