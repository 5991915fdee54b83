"""Strength at a glance: available vs required per Polsek and for the Polres, for Polri, TNI and Linmas.

Polri available is the one definition of available strength (`siaga.personnel.selectors.strength_basis`: the
election's locked apel plus incoming BKO, else the active personnel); required comes from the TPS categories and
security patterns (`siaga.operations.selectors.required_strength`); TNI and Linmas available are the partner forces
imported with `siaga import-partner-forces`. The reserve (cadangan, SSK) is listed apart and never counted as
deployed. The siaga level's share (Siaga I = 2/3, domain.md 3.3) is checked against the Polres strength.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from siaga.core.jurisdiction import Scope
from siaga.operations.models import Election, Operation, SiagaLevel
from siaga.operations.selectors import current_siaga, required_strength, unit_for_kecamatan
from siaga.personnel.models import BkoAttachment, PartnerForce, Personnel
from siaga.personnel.selectors import strength_basis
from siaga.territory.models import Kecamatan, PoliceUnit


class PolresViewer:
    """A read-only stand-in for "the Polres as a whole", for work with no user (the scheduled Lapsit): the
    selectors see exactly the Polres's kecamatan through the same Scope a Polres account gets."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    role = "commander"
    police_unit_id = None

    def __init__(self, kecamatan_ids: frozenset[int]):
        self._siaga_scope = Scope(kecamatan_ids=kecamatan_ids)


@dataclass
class Row:
    unit_id: int
    code: str
    name: str
    polri_required: int = 0
    polri_available: int = 0
    pam_tps_deployed: int = 0
    linmas_required: int = 0
    linmas_available: int = 0
    tni_required: int = 0
    tni_available: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "unit_id"}


@dataclass
class Glance:
    polres: PoliceUnit
    election: Election | None
    operation: Operation | None
    rows: list[Row]
    total: Row
    basis_source: str
    basis_description: str
    siaga_level: str
    siaga_fraction: Fraction
    polri_strength: int
    reserve: list[dict[str, Any]] = field(default_factory=list)

    @property
    def siaga_needed(self) -> int:
        return math.ceil(self.siaga_fraction * self.polri_strength)

    @property
    def siaga_ok(self) -> bool:
        return self.total.polri_available >= self.siaga_needed

    @property
    def siaga_share_pct(self) -> float:
        return (
            round(100 * self.total.polri_available / self.polri_strength, 1) if self.polri_strength else 0.0
        )

    @property
    def reserve_total(self) -> int:
        return sum(r["count"] for r in self.reserve)

    def as_dict(self) -> dict[str, Any]:
        frac = self.siaga_fraction
        return {
            "rows": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict(),
            "basis": {"source": self.basis_source, "description": self.basis_description},
            "siaga_check": {
                "level": self.siaga_level,
                "fraction": f"{frac.numerator}/{frac.denominator}",
                "polri_strength": self.polri_strength,
                "polri_siaga": self.total.polri_available,
                "needed": self.siaga_needed,
                "share_pct": self.siaga_share_pct,
                "ok": self.siaga_ok,
            },
            "reserve": {"total": self.reserve_total, "items": self.reserve},
        }


def polres_kecamatan(polres: PoliceUnit) -> frozenset[int]:
    return frozenset(Kecamatan.objects.filter(kabupaten_id=polres.kabupaten_pk).values_list("id", flat=True))


def operation_for(polres: PoliceUnit, day: dt.date) -> Operation | None:
    """The Polres's operation running on the day, else its latest one."""
    ops = Operation.objects.filter(polres=polres).select_related("election")
    return (
        ops.filter(starts_on__lte=day, ends_on__gte=day).order_by("-starts_on").first()
        or ops.order_by("-starts_on").first()
    )


def siaga_at(operation: Operation | None, at: dt.datetime) -> tuple[str, Fraction]:
    change = current_siaga(operation, at) if operation is not None else None
    if change is None:
        return SiagaLevel.NORMAL, Fraction(0, 1)
    return change.level, change.fraction


def strength_glance(
    *,
    polres: PoliceUnit,
    day: dt.date,
    at: dt.datetime | None = None,
    kecamatan_ids: frozenset[int] | None = None,
) -> Glance:
    """The strength picture of a Polres on a day; `kecamatan_ids` limits the rows (a Polsek sees its own)."""
    from siaga.deployment.models import DeploymentPlan, TeamMember
    from siaga.lapsit.models import Reserve

    at = at or timezone.now()
    whole = polres_kecamatan(polres)
    operation = operation_for(polres, day)
    election = operation.election if operation else None
    unit_of = {k: u for k, u in unit_for_kecamatan().items() if k in whole}
    unit_ids = set(unit_of.values()) | {polres.pk}
    units = {u.pk: u for u in PoliceUnit.objects.filter(pk__in=unit_ids)}
    rows: dict[int, Row] = {
        pk: Row(unit_id=pk, code=u.code, name=u.name)
        for pk, u in sorted(units.items(), key=lambda kv: kv[1].name)
    }
    basis_source, basis_description = "none", ""
    if election is not None:
        report = required_strength(PolresViewer(whole), election=election)
        for unit_id, need in report.result.by_unit.items():
            row = rows.get(unit_id)
            if row is not None:
                row.polri_required, row.linmas_required, row.tni_required = need.police, need.linmas, need.tni
        basis = strength_basis(polres=polres, election=election)
        basis_source, basis_description = basis.source, basis.description
        for unit_id, v in basis.by_police_unit.items():
            if unit_id in rows:
                rows[unit_id].polri_available = v["available"]
        plan = (
            DeploymentPlan.objects.filter(
                polres=polres, election=election, status=DeploymentPlan.Status.PUBLISHED
            )
            .order_by("-version")
            .first()
        )
        if plan is not None:
            for unit_id, n in (
                TeamMember.objects.filter(team__plan=plan)
                .order_by()
                .values_list("team__polsek_id")
                .annotate(n=Count("id"))
            ):
                if unit_id in rows:
                    rows[unit_id].pam_tps_deployed = int(n)
    slugs = ["", operation.slug] if operation else [""]
    forces = (
        PartnerForce.objects.filter(kecamatan_id__in=whole, operation_slug__in=slugs)
        .order_by()
        .values_list("kind", "kecamatan_id")
        .annotate(n=Sum("count"))
    )
    for kind, kecamatan_id, n in forces:
        row = rows[unit_of.get(kecamatan_id, polres.pk)]
        if kind == PartnerForce.Kind.LINMAS:
            row.linmas_available += int(n)
        elif kind == PartnerForce.Kind.TNI:
            row.tni_available += int(n)
    total = Row(unit_id=polres.pk, code=polres.code, name=polres.name)
    for row in rows.values():
        for name in (
            "polri_required",
            "polri_available",
            "pam_tps_deployed",
            "linmas_required",
            "linmas_available",
            "tni_required",
            "tni_available",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    visible = list(rows.values())
    if kecamatan_ids is not None:
        mine = {unit_of[k] for k in kecamatan_ids if k in unit_of}
        visible = [r for r in visible if r.unit_id in mine]
    level, fraction = siaga_at(operation, at)
    bko_in = (
        BkoAttachment.objects.filter(polres=polres, direction=BkoAttachment.Direction.IN, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .aggregate(n=Sum("count"))["n"]
        or 0
    )
    strength = Personnel.objects.filter(unit__polres=polres, status=Personnel.Status.ACTIVE).count() + int(
        bko_in
    )
    reserve = [
        {
            "name": r.name,
            "origin": r.origin,
            "origin_label": str(r.get_origin_display()),
            "count": r.count,
            "stationed_at": r.stationed_at,
        }
        for r in Reserve.objects.filter(polres=polres, starts_on__lte=day).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )
    ]
    return Glance(
        polres=polres,
        election=election,
        operation=operation,
        rows=visible,
        total=total,
        basis_source=basis_source,
        basis_description=str(basis_description),
        siaga_level=level,
        siaga_fraction=fraction,
        polri_strength=strength,
        reserve=reserve,
    )
