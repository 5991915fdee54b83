"""Reads for the Polda level (issue 20): which Polda a user may look at, and the Polda board that puts its
Polres side by side (strength, TPS coverage, plotting plans, incidents, alerts, Lapsit).

The board is a fixed number of grouped queries whatever the number of Polres (39 in Polda Jatim): one per
figure, each grouped by Polres or by kabupaten (a Polres covers one kabupaten), never a query per Polres.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.deployment.models import DeploymentPlan, PlanningRun
from siaga.incidents.models import OPEN_STATUSES, Incident, Priority
from siaga.operations.models import Election
from siaga.personnel.models import Personnel
from siaga.posko.models import Alert as PoskoAlert
from siaga.sites.models import Tps
from siaga.territory.hierarchy import polda_units, polres_of
from siaga.territory.models import PoliceUnit


def poldas_for(user: Any) -> QuerySet[PoliceUnit]:
    """The Polda whose board `user` may open: a Polda account its own, Mabes and an unrestricted administrator
    every Polda, anybody else none (a Polres sees no Polda board, not even its own Polda's)."""
    if not can(user, "view_polda_board"):
        return PoliceUnit.objects.none()
    if scope_for(user).is_unrestricted:
        return polda_units()
    unit = user.police_unit
    if unit is not None and unit.level == PoliceUnit.Level.POLDA:
        return polda_units().filter(pk=unit.pk)
    return PoliceUnit.objects.none()


def access_polda(user: Any, pk: int) -> PoliceUnit:
    """One Polda `user` may look at; NotFound (404) for another Polda, so its existence does not leak."""
    polda = poldas_for(user).filter(pk=pk).first()
    if polda is None:
        raise NotFound(_("Polda tidak ditemukan"))
    return polda


# --- hooks for figures other apps own ------------------------------------------------------------------------

#: `provider(polres_ids, election) -> {polres_id: LapsitCell}`: the latest daily Lapsit of each Polres. Empty
#: until the Lapsit app registers one (`register_lapsit_provider` in its AppConfig.ready()); the board then
#: shows the column.
LapsitProvider = Callable[[list[int], Election | None], dict[int, "LapsitCell"]]
_lapsit_providers: list[LapsitProvider] = []


@dataclass(frozen=True)
class LapsitCell:
    """What the board shows of a Polres' latest Lapsit: when, and where to read it."""

    label: str
    at: dt.datetime | None = None
    url: str = ""


def register_lapsit_provider(provider: LapsitProvider) -> LapsitProvider:
    if provider not in _lapsit_providers:
        _lapsit_providers.append(provider)
    return provider


def lapsit_available() -> bool:
    return bool(_lapsit_providers)


def open_alerts_by_kabupaten(kabupaten_ids: list[int]) -> dict[int, int]:
    """Alerts not yet closed per kabupaten, from the Posko alert stream (siaga.posko), which every app feeds:
    guard, patrols, incidents, events, logistics and neutrality. Alerts without a kecamatan (Polres-wide) are
    not attributed to a kabupaten here."""
    rows = (
        PoskoAlert.objects.exclude(status=PoskoAlert.Status.CLOSED)
        .filter(kecamatan__kabupaten_id__in=kabupaten_ids)
        .values("kecamatan__kabupaten_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["kecamatan__kabupaten_id"]: r["n"] for r in rows}


# --- the board -----------------------------------------------------------------------------------------------


@dataclass
class PolresRow:
    """One Polres on the board."""

    polres: PoliceUnit
    personnel: int = 0
    tps: int = 0
    plan: DeploymentPlan | None = None
    run: PlanningRun | None = None
    incidents_open: int = 0
    incidents_p1: int = 0
    incidents_24h: int = 0
    alerts_open: int = 0
    lapsit: LapsitCell | None = None

    @property
    def tps_covered(self) -> int:
        return self.plan.tps_covered if self.plan is not None else 0

    @property
    def coverage_percent(self) -> float | None:
        """TPS covered by the Polres' latest plan, in percent of the election's TPS in its kabupaten."""
        if not self.tps:
            return None
        return 100.0 * self.tps_covered / self.tps

    @property
    def needs_attention(self) -> bool:
        """No valid plan, TPS left uncovered, an open P1 incident or an open alert: shown first, in red."""
        return (
            self.plan is None
            or not self.plan.is_valid
            or self.tps_covered < self.tps
            or self.incidents_p1 > 0
            or self.alerts_open > 0
        )


@dataclass
class PoldaBoard:
    polda: PoliceUnit
    election: Election | None
    rows: list[PolresRow] = field(default_factory=list)
    lapsit_available: bool = False

    def total(self, name: str) -> int:
        return sum(int(getattr(r, name)) for r in self.rows)

    @property
    def totals(self) -> dict[str, Any]:
        names = ("personnel", "tps", "tps_covered", "incidents_open", "incidents_p1", "incidents_24h")
        out: dict[str, Any] = {n: self.total(n) for n in (*names, "alerts_open")}
        out["polres"] = len(self.rows)
        out["plans"] = sum(1 for r in self.rows if r.plan is not None)
        out["plans_published"] = sum(
            1 for r in self.rows if r.plan is not None and r.plan.status == DeploymentPlan.Status.PUBLISHED
        )
        out["plans_valid"] = sum(1 for r in self.rows if r.plan is not None and r.plan.is_valid)
        out["coverage_percent"] = 100.0 * out["tps_covered"] / out["tps"] if out["tps"] else None
        out["attention"] = sum(1 for r in self.rows if r.needs_attention)
        return out


def _grouped(qs: QuerySet[Any], key: str) -> dict[int, int]:
    return {r[key]: r["n"] for r in qs.values(key).annotate(n=Count("id")).order_by()}


def polda_board(
    user: Any, polda: PoliceUnit, *, election: Election | None, now: dt.datetime | None = None
) -> PoldaBoard:
    """The board of one Polda the user may see (`access_polda` first): a row per Polres, its figures from one
    grouped query each."""
    now = now or timezone.now()
    polres = list(
        polres_of(polda).only("id", "name", "code", "kabupaten_id", "kabupaten__name", "kabupaten__code")
    )
    ids = [p.pk for p in polres]
    kab = {p.kabupaten_pk: p.pk for p in polres}
    kab_ids = list(kab)
    rows = {p.pk: PolresRow(polres=p) for p in polres}

    personnel = _grouped(
        Personnel.objects.filter(unit__polres_id__in=ids, status=Personnel.Status.ACTIVE),
        "unit__polres_id",
    )
    incidents = (
        Incident.objects.filter(kecamatan__kabupaten_id__in=kab_ids)
        .filter(Q(status__in=OPEN_STATUSES) | Q(reported_at__gte=now - dt.timedelta(hours=24)))
        .values("kecamatan__kabupaten_id")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            p1=Count("id", filter=Q(status__in=OPEN_STATUSES, priority=Priority.P1)),
            day=Count("id", filter=Q(reported_at__gte=now - dt.timedelta(hours=24))),
        )
        .order_by()
    )
    alerts = open_alerts_by_kabupaten(kab_ids)
    for pk, n in personnel.items():
        rows[pk].personnel = n
    for r in incidents:
        row = rows[kab[r["kecamatan__kabupaten_id"]]]
        row.incidents_open, row.incidents_p1, row.incidents_24h = r["open"], r["p1"], r["day"]
    for kabupaten_id, n in alerts.items():
        rows[kab[kabupaten_id]].alerts_open = n

    if election is not None:
        for kabupaten_id, n in _grouped(
            Tps.objects.filter(election=election, kecamatan__kabupaten_id__in=kab_ids),
            "kecamatan__kabupaten_id",
        ).items():
            rows[kab[kabupaten_id]].tps = n
        # The latest version of each Polres' plan and its latest planning run, one query each.
        latest_version = (
            DeploymentPlan.objects.filter(election=election, polres=OuterRef("polres"))
            .order_by("-version")
            .values("version")[:1]
        )
        plans = DeploymentPlan.objects.filter(
            election=election, polres_id__in=ids, version=Subquery(latest_version)
        ).defer("violations", "parameters")
        for plan in plans:
            rows[plan.polres_id].plan = plan
        latest_run = (
            PlanningRun.objects.filter(election=election, polres=OuterRef("polres"))
            .order_by("-created_at", "-pk")
            .values("pk")[:1]
        )
        runs = PlanningRun.objects.filter(
            election=election, polres_id__in=ids, pk=Subquery(latest_run)
        ).defer("violations", "parameters")
        for run in runs:
            rows[run.polres_id].run = run

    for provider in _lapsit_providers:
        for pk, cell in provider(ids, election).items():
            if pk in rows:
                rows[pk].lapsit = cell

    ordered = sorted(rows.values(), key=lambda r: (not r.needs_attention, r.polres.name))
    return PoldaBoard(polda=polda, election=election, rows=ordered, lapsit_available=lapsit_available())
