"""Reads for logistics escort, filtered by the user's jurisdiction (the leg's kecamatan)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.logistics.models import Escort, Hop, Leg
from siaga.logistics.services import LATE_GRACE

DONE = [Leg.Status.ARRIVED, Leg.Status.HANDED_OVER]


def legs_for(
    user: Any,
    *,
    election_id: int | None = None,
    hop: str = "",
    kecamatan_id: int | None = None,
    status: str = "",
    late_at: dt.datetime | None = None,
    search: str = "",
) -> QuerySet[Leg]:
    qs = scope_for(user).filter(Leg.objects.select_related("kecamatan", "election"), "kecamatan_id")
    if election_id:
        qs = qs.filter(election_id=election_id)
    if hop:
        qs = qs.filter(hop=hop)
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    if status:
        qs = qs.filter(status=status)
    if late_at is not None:
        qs = qs.filter(
            planned_arrive__lt=late_at - LATE_GRACE, status__in=[Leg.Status.PLANNED, Leg.Status.DEPARTED]
        )
    if search:
        qs = qs.filter(Q(origin__icontains=search) | Q(destination__icontains=search))
    return qs


def access_leg(user: Any, pk: int) -> Leg:
    obj = legs_for(user).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Ruas tidak ditemukan"))
    return obj


def escorts_of(leg: Leg) -> QuerySet[Escort]:
    return leg.escorts.select_related("personnel", "personnel__rank").order_by("-is_leader", "pk")


@dataclass
class KecamatanRow:
    kecamatan_id: int
    name: str
    total: int
    done: int
    late: int
    by_hop: dict[str, tuple[int, int]]  # hop -> (done, total)

    @property
    def cells(self) -> list[tuple[int, int] | None]:
        """(done, total) per hop in chain order, for the table."""
        return [self.by_hop.get(h) for h in Hop.values]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def per_kecamatan(user: Any, *, election_id: int, now: dt.datetime | None = None) -> list[KecamatanRow]:
    """What has arrived, per kecamatan and hop: one aggregate query."""
    now = now or timezone.now()
    late_q = Q(planned_arrive__lt=now - LATE_GRACE, status__in=[Leg.Status.PLANNED, Leg.Status.DEPARTED])
    rows = (
        legs_for(user, election_id=election_id)
        .values("kecamatan_id", "kecamatan__name", "hop")
        .annotate(
            total=Count("pk"), done=Count("pk", filter=Q(status__in=DONE)), late=Count("pk", filter=late_q)
        )
        .order_by("kecamatan__name")
    )
    out: dict[int, KecamatanRow] = {}
    for r in rows:
        row = out.setdefault(
            r["kecamatan_id"], KecamatanRow(r["kecamatan_id"], r["kecamatan__name"], 0, 0, 0, {})
        )
        row.total += r["total"]
        row.done += r["done"]
        row.late += r["late"]
        row.by_hop[r["hop"]] = (r["done"], r["total"])
    return list(out.values())


def tps_complete(user: Any, *, election_id: int) -> tuple[int, int]:
    """(TPS whose outbound logistics have arrived, TPS with an outbound leg) in the user's view."""
    qs = legs_for(user, election_id=election_id, hop=Hop.PPS_TPS)
    agg = qs.aggregate(total=Count("pk"), done=Count("pk", filter=Q(status__in=DONE)))
    return agg["done"] or 0, agg["total"] or 0


def my_legs(user: Any, *, now: dt.datetime | None = None) -> QuerySet[Leg]:
    """The legs the signed-in officer escorts that are not yet handed over (the phone page)."""
    from siaga.deployment.selectors import personnel_of

    personnel = personnel_of(user)
    if personnel is None:
        return Leg.objects.none()
    return (
        Leg.objects.filter(escorts__personnel=personnel)
        .exclude(status=Leg.Status.HANDED_OVER)
        .select_related("kecamatan")
        .order_by("planned_depart", "trip_order")
    )


def trips_without_escort(user: Any, *, election_id: int) -> int:
    """Trips (in the user's view) with no escort officer: the Bag Ops' gap to close by hand or with BKO."""
    return (
        legs_for(user, election_id=election_id)
        .filter(escorts__isnull=True)
        .exclude(status=Leg.Status.HANDED_OVER)
        .values("trip")
        .distinct()
        .count()
    )
