"""Reads about personnel, equipment and apel sessions, filtered by the user's jurisdiction.

Jurisdiction for personnel: a unit is visible when its police unit's whole jurisdiction lies inside the user's
scope. A Polres account sees every unit of its Polres; a Polsek account sees its own Polsek's officers but not
the Polres functions (whose jurisdiction is the whole kabupaten).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound
from siaga.operations.models import Satgas
from siaga.personnel.models import (
    ApelEntry,
    ApelEquipmentCheck,
    ApelSession,
    BkoAttachment,
    Equipment,
    KitItem,
    PartnerForce,
    Personnel,
    Rank,
    SatgasAssignment,
    Unit,
)
from siaga.territory.models import Kecamatan, PoliceUnit

# --- jurisdiction ------------------------------------------------------------------------------------------


def visible_police_units(user: Any) -> QuerySet[PoliceUnit] | None:
    """Police units whose personnel the user may see; None means all of them."""
    scope = scope_for(user)
    if scope.kecamatan_ids is None:
        return None
    ids = scope.kecamatan_ids
    outside = Kecamatan.objects.exclude(id__in=ids).values("id")
    return PoliceUnit.objects.filter(jurisdiction__in=ids).exclude(jurisdiction__in=outside).values("id")  # type: ignore[return-value]


def _scoped(user: Any, qs: QuerySet[Any], unit_path: str = "unit") -> QuerySet[Any]:
    visible = visible_police_units(user)
    if visible is None:
        return qs
    lookup = f"{unit_path}__police_unit_id__in" if unit_path else "police_unit_id__in"
    return qs.filter(**{lookup: visible})


def user_polres(user: Any) -> PoliceUnit | None:
    """The Polres a user belongs to (their own unit or its parent); administrators get the first Polres."""
    unit = getattr(user, "police_unit", None)
    if unit is None:
        if scope_for(user).is_unrestricted:
            return PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES).order_by("id").first()
        return None
    if unit.level == PoliceUnit.Level.POLRES:
        return unit
    return PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES, kabupaten_id=unit.kabupaten_id).first()


def polres_by_code(code: str) -> PoliceUnit | None:
    return PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES, code=code).first()


# --- operations (issue 3) -----------------------------------------------------------------------------------


def operation_choices() -> list[tuple[str, str]]:
    """Operations an apel can belong to. The one place that knows how operations are stored (by slug)."""
    from siaga.operations.models import Operation

    # Only operations that exist (or that an apel already names): a new Polres sees none of the demo's.
    known = dict(Operation.objects.order_by().values_list("slug", "name"))
    used = ApelSession.objects.order_by().values_list("operation_slug", flat=True).distinct()
    for slug in used:
        known.setdefault(slug, slug)
    return sorted(known.items())


def operation_label(slug: str) -> str:
    return dict(operation_choices()).get(slug, slug)


# --- reference data ----------------------------------------------------------------------------------------


def ranks() -> QuerySet[Rank]:
    return Rank.objects.all()


def kit_items() -> QuerySet[KitItem]:
    return KitItem.objects.filter(is_active=True)


def units_for(user: Any, *, polres: PoliceUnit | None = None) -> QuerySet[Unit]:
    qs = _scoped(user, Unit.objects.select_related("police_unit", "polres"), unit_path="")
    if polres is not None:
        qs = qs.filter(polres=polres)
    return qs


# --- personnel ---------------------------------------------------------------------------------------------


def personnel_for(
    user: Any, *, unit_id: int | None = None, rank_id: int | None = None, status: str = "", search: str = ""
) -> QuerySet[Personnel]:
    qs = _scoped(user, Personnel.objects.select_related("rank", "unit", "unit__police_unit", "desa"))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if rank_id:
        qs = qs.filter(rank_id=rank_id)
    if status:
        qs = qs.filter(status=status)
    if search:
        term = search.strip()
        qs = (
            qs.filter(nrp__startswith=term)
            if term.isdigit()
            else qs.filter(Q(name__icontains=term) | Q(position__icontains=term))
        )
    return qs


def access_personnel(user: Any, pk: int) -> Personnel:
    obj = personnel_for(user).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Personel tidak ditemukan"))
    return obj


def equipment_for(
    user: Any, *, kind: str = "", category: str = "", unit_id: int | None = None, search: str = ""
) -> QuerySet[Equipment]:
    qs = _scoped(user, Equipment.objects.select_related("unit", "holder", "holder__rank"))
    if kind:
        qs = qs.filter(kind=kind)
    if category:
        qs = qs.filter(kind__in=Equipment.kinds_in(category))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if search:
        qs = qs.filter(
            Q(identifier__icontains=search)
            | Q(description__icontains=search)
            | Q(holder__name__icontains=search)
        )
    return qs


def bko_for(user: Any, *, direction: str = "", on_date: dt.date | None = None) -> QuerySet[BkoAttachment]:
    qs = _scoped(user, BkoAttachment.objects.select_related("unit", "personnel", "personnel__rank"))
    if direction:
        qs = qs.filter(direction=direction)
    if on_date is not None:
        qs = qs.filter(starts_on__lte=on_date).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on_date))
    return qs


def partner_forces_for(
    user: Any, *, kind: str = "", kecamatan_id: int | None = None
) -> QuerySet[PartnerForce]:
    qs = scope_for(user).filter(PartnerForce.objects.select_related("kecamatan", "desa"), "kecamatan_id")
    if kind:
        qs = qs.filter(kind=kind)
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    return qs


def partner_totals(user: Any) -> list[dict[str, Any]]:
    """Partner strength per kind and kecamatan (named people count one each)."""
    rows = (
        partner_forces_for(user)
        .values("kind", "kecamatan__name")
        .annotate(total=Sum("count"), groups=Count("id"))
        .order_by("kind", "kecamatan__name")
    )
    labels = dict(PartnerForce.Kind.choices)
    return [{**r, "kind_label": labels.get(r["kind"], r["kind"])} for r in rows]


# --- apel sessions -----------------------------------------------------------------------------------------


def apel_sessions_for(user: Any, *, operation_slug: str = "") -> QuerySet[ApelSession]:
    scope = scope_for(user)
    qs = ApelSession.objects.select_related("polres", "locked_by", "created_by")
    if scope.kecamatan_ids is not None:
        qs = qs.filter(
            polres__in=PoliceUnit.objects.filter(jurisdiction__in=scope.kecamatan_ids).values("id")
        )
    if operation_slug:
        qs = qs.filter(operation_slug=operation_slug)
    return qs.annotate(
        n_roster=Count("entries"),
        n_present=Count("entries", filter=Q(entries__status=ApelEntry.Status.PRESENT)),
    )


def access_apel(user: Any, pk: int) -> ApelSession:
    obj = apel_sessions_for(user).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Apel tidak ditemukan"))
    return obj


def roster_for(
    user: Any, session: ApelSession, *, unit_id: int | None = None, search: str = ""
) -> QuerySet[ApelEntry]:
    """The entries of an apel the user may see and mark, with officer, rank, unit and missing kit."""
    qs = _scoped(
        user,
        ApelEntry.objects.filter(session=session)
        .select_related("personnel", "personnel__rank", "unit", "unit__police_unit")
        .prefetch_related("kit_missing"),
    )
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if search:
        term = search.strip()
        qs = (
            qs.filter(personnel__nrp__startswith=term)
            if term.isdigit()
            else qs.filter(personnel__name__icontains=term)
        )
    return qs


def access_entry(user: Any, session: ApelSession, pk: int) -> ApelEntry:
    obj = roster_for(user, session).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Peserta apel tidak ditemukan"))
    return obj


def equipment_checks_for(
    user: Any, session: ApelSession, *, category: str = ""
) -> QuerySet[ApelEquipmentCheck]:
    qs = _scoped(
        user,
        ApelEquipmentCheck.objects.filter(session=session).select_related(
            "equipment", "equipment__unit", "equipment__holder"
        ),
        unit_path="equipment__unit",
    )
    if category:
        qs = qs.filter(equipment__kind__in=Equipment.kinds_in(category))
    return qs


def access_equipment_check(user: Any, session: ApelSession, pk: int) -> ApelEquipmentCheck:
    obj = equipment_checks_for(user, session).filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("Peralatan tidak ditemukan"))
    return obj


# --- summaries and readiness -------------------------------------------------------------------------------

STATUS_KEYS = [s.value for s in ApelEntry.Status]


def _status_counts(qs: QuerySet[ApelEntry]) -> dict[str, int]:
    agg = qs.order_by().aggregate(
        roster=Count("id"), **{s: Count("id", filter=Q(status=s)) for s in STATUS_KEYS}
    )
    return {k: int(v or 0) for k, v in agg.items()}


def apel_summary(user: Any, session: ApelSession) -> dict[str, Any]:
    """The live counts of the roll-call screen (one query), for the entries the user may see."""
    counts: dict[str, Any] = dict(_status_counts(roster_for(user, session)))
    counts["marked"] = counts["roster"] - counts["unmarked"]
    counts["percent_present"] = (
        round(100 * counts["present"] / counts["roster"], 1) if counts["roster"] else 0.0
    )
    return counts


def unit_counts(user: Any, session: ApelSession) -> list[dict[str, Any]]:
    """The roll-call's unit list (one query): each unit the user may mark with its roster, present and
    unmarked counts, in the units' order."""
    rows = (
        roster_for(user, session)
        .order_by()
        .values("unit_id", "unit__name", "unit__order")
        .annotate(
            roster=Count("id"),
            present=Count("id", filter=Q(status=ApelEntry.Status.PRESENT)),
            unmarked=Count("id", filter=Q(status=ApelEntry.Status.UNMARKED)),
        )
        .order_by("unit__order", "unit__name")
    )
    return [
        {"id": r["unit_id"], "name": r["unit__name"], **{k: r[k] for k in ("roster", "present", "unmarked")}}
        for r in rows
    ]


@dataclass
class StrengthRow:
    """Real strength against the roster for one unit (or a Polsek, or the whole apel)."""

    label: str
    key: str
    roster: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    bko_in: int = 0

    @property
    def present(self) -> int:
        return self.counts.get(ApelEntry.Status.PRESENT, 0)

    @property
    def not_present(self) -> int:
        return self.roster - self.present

    @property
    def other_counts(self) -> list[tuple[str, int]]:
        """Counts of every status but present, in the order of `ApelEntry.Status` (table columns)."""
        return [(s, self.counts.get(s, 0)) for s in STATUS_KEYS if s != ApelEntry.Status.PRESENT]

    @property
    def real_strength(self) -> int:
        """Kekuatan riil: officers present at the apel plus forces attached to the unit (BKO masuk)."""
        return self.present + self.bko_in

    @property
    def percent(self) -> float:
        return round(100 * self.present / self.roster, 1) if self.roster else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "roster": self.roster,
            "present": self.present,
            "bko_in": self.bko_in,
            "real_strength": self.real_strength,
            "percent_present": self.percent,
            **{s: self.counts.get(s, 0) for s in STATUS_KEYS if s != ApelEntry.Status.PRESENT},
        }


def _add(row: StrengthRow, status: str, n: int) -> None:
    row.roster += n
    row.counts[status] = row.counts.get(status, 0) + n


@dataclass
class Readiness:
    session: ApelSession
    by_unit: list[StrengthRow]
    by_police_unit: list[StrengthRow]
    by_satgas: list[StrengthRow]
    total: StrengthRow
    equipment: list[dict[str, Any]]
    kit: dict[str, Any]
    health: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "apel_id": self.session.pk,
            "operation": self.session.operation_slug,
            "held_on": self.session.held_on.isoformat(),
            "kind": self.session.kind,
            "locked": self.session.is_locked,
            "roster": self.total.roster,
            "present": self.total.present,
            "real_strength": self.total.real_strength,
            "bko_in": self.total.bko_in,
            "by_unit": [r.as_dict() for r in self.by_unit],
            "by_police_unit": [r.as_dict() for r in self.by_police_unit],
            "by_satgas": [r.as_dict() for r in self.by_satgas],
            "equipment": self.equipment,
            "kit": self.kit,
            "health": self.health,
        }


def satgas_strength(entries: QuerySet[ApelEntry], session: ApelSession) -> list[StrengthRow]:
    """Present vs roster per satgas of the apel's operation: the officers of `entries` (already scoped) who
    are assigned to the satgas on the apel day. An officer in two satgas counts in both (two queries)."""
    satgas = Satgas.objects.filter(operation__slug=session.operation_slug).order_by("order", "id")
    rows = {pk: StrengthRow(label=name, key=f"satgas-{pk}") for pk, name in satgas.values_list("id", "name")}
    if not rows:
        return []
    held_on = session.held_on
    # One filter() call, so the status in values() comes from the same joined entry the filter matched.
    grouped = (
        SatgasAssignment.objects.filter(
            Q(to_on__isnull=True) | Q(to_on__gte=held_on),
            satgas_id__in=list(rows),
            from_on__lte=held_on,
            personnel__apel_entries__in=entries.values("pk"),
        )
        .order_by()
        .values("satgas_id", "personnel__apel_entries__status")
        .annotate(n=Count("id"))
    )
    for r in grouped:
        _add(rows[r["satgas_id"]], r["personnel__apel_entries__status"], r["n"])
    return list(rows.values())


def readiness(user: Any, session: ApelSession) -> Readiness:
    """The apel roll-up: strength per unit and per Polsek, equipment, kit and health (a handful of queries)."""
    entries = roster_for(user, session).order_by()
    grouped = entries.values(
        "unit_id", "unit__name", "unit__order", "unit__police_unit_id", "unit__police_unit__name", "status"
    ).annotate(n=Count("id"))
    bko = (
        bko_for(user, direction=BkoAttachment.Direction.IN, on_date=session.held_on)
        .filter(polres=session.polres)
        .order_by()
        .values("unit_id", "unit__name", "unit__order", "unit__police_unit_id", "unit__police_unit__name")
        .annotate(n=Sum("count"))
    )
    units: dict[int, StrengthRow] = {}
    police: dict[int, StrengthRow] = {}
    total = StrengthRow(label=_("Jumlah"), key="total")
    order: dict[int, int] = {}
    for r in grouped:
        unit = units.setdefault(r["unit_id"], StrengthRow(label=r["unit__name"], key=f"unit-{r['unit_id']}"))
        pu = police.setdefault(
            r["unit__police_unit_id"],
            StrengthRow(label=r["unit__police_unit__name"], key=f"police-unit-{r['unit__police_unit_id']}"),
        )
        order[r["unit_id"]] = r["unit__order"]
        for row in (unit, pu, total):
            _add(row, r["status"], r["n"])
    for r in bko:
        unit = units.setdefault(r["unit_id"], StrengthRow(label=r["unit__name"], key=f"unit-{r['unit_id']}"))
        pu = police.setdefault(
            r["unit__police_unit_id"],
            StrengthRow(label=r["unit__police_unit__name"], key=f"police-unit-{r['unit__police_unit_id']}"),
        )
        order.setdefault(r["unit_id"], r["unit__order"])
        for row in (unit, pu, total):
            row.bko_in += int(r["n"] or 0)
    by_unit = [units[k] for k in sorted(units, key=lambda k: (order[k], units[k].label))]
    by_police_unit = sorted(
        police.values(), key=lambda r: (r.key != f"police-unit-{session.polres_id}", r.label)
    )
    return Readiness(
        session=session,
        by_unit=by_unit,
        by_police_unit=by_police_unit,
        by_satgas=satgas_strength(entries, session),
        total=total,
        equipment=equipment_readiness(user, session),
        kit=kit_readiness(user, session),
        health=_health_counts(entries),
    )


def _health_counts(entries: QuerySet[ApelEntry]) -> dict[str, int]:
    agg = entries.aggregate(
        fit=Count("id", filter=Q(health=ApelEntry.Health.FIT)),
        unfit=Count("id", filter=Q(health=ApelEntry.Health.UNFIT)),
        unchecked=Count("id", filter=Q(health=ApelEntry.Health.UNCHECKED, status=ApelEntry.Status.PRESENT)),
    )
    return {k: int(v or 0) for k, v in agg.items()}


def equipment_readiness(user: Any, session: ApelSession) -> list[dict[str, Any]]:
    """Per equipment kind: items (batch quantities counted), ready, unserviceable, missing, unchecked."""
    checks = equipment_checks_for(user, session).order_by()
    result = ApelEquipmentCheck.Result
    counted = Q(result__in=[result.READY, result.UNSERVICEABLE])
    batch = Q(equipment__quantity__gt=1)

    def total_of(*whens: When) -> Sum:
        return Sum(Case(*whens, default=Value(0), output_field=IntegerField()))

    # A single item is ready, unserviceable, missing or unchecked; a batch records how many of it are ready.
    rows = checks.values("equipment__kind").annotate(
        total=Sum("equipment__quantity"),
        ready=total_of(
            When(Q(result=result.READY) & ~batch, then=Value(1)),
            When(batch & counted, then=F("ready_quantity")),
        ),
        unserviceable=total_of(
            When(Q(result=result.UNSERVICEABLE) & ~batch, then=Value(1)),
            When(batch & counted, then=F("equipment__quantity") - F("ready_quantity")),
        ),
        missing=total_of(When(result=result.MISSING, then=F("equipment__quantity"))),
        unchecked=total_of(When(result=result.UNCHECKED, then=F("equipment__quantity"))),
    )
    labels = dict(Equipment.Kind.choices)
    by_kind = {r["equipment__kind"]: r for r in rows}
    out = []
    for kind in Equipment.Kind.values:
        r = by_kind.get(kind)
        if r is None:
            continue
        total = int(r["total"] or 0)
        ready = int(r["ready"] or 0)
        missing = int(r["missing"] or 0)
        out.append(
            {
                "kind": kind,
                "label": str(labels[kind]),
                "category": Equipment.CATEGORY_OF.get(kind, Equipment.Category.ALMATSUS),  # type: ignore[call-overload]
                "total": total,
                "ready": ready,
                "unserviceable": int(r["unserviceable"] or 0),
                "missing": missing,
                "unchecked": int(r["unchecked"] or 0),
                "percent_ready": round(100 * ready / total, 1) if total else 0.0,
            }
        )
    return out


def kit_readiness(user: Any, session: ApelSession) -> dict[str, Any]:
    """Personal kit: officers checked, complete, and the count missing each item."""
    entries = roster_for(user, session).order_by()
    checked = entries.filter(kit_checked=True)
    n_checked = checked.count()
    n_incomplete = checked.filter(kit_missing__isnull=False).values("id").distinct().count()
    missing = Counter(
        ApelEntry.kit_missing.through.objects.filter(apelentry__in=checked.values("id")).values_list(
            "kititem_id", flat=True
        )
    )
    items = [{"code": k.code, "name": k.name, "missing": int(missing.get(k.pk, 0))} for k in kit_items()]
    return {
        "checked": n_checked,
        "complete": n_checked - n_incomplete,
        "incomplete": n_incomplete,
        "items": items,
    }


def trend(user: Any, session: ApelSession) -> list[dict[str, Any]]:
    """Present against roster across the apel sessions of the same Polres and operation, oldest first."""
    qs = apel_sessions_for(user, operation_slug=session.operation_slug).filter(polres=session.polres)
    visible = visible_police_units(user)
    if visible is not None:
        # Count only the entries the user may see, as on every other figure of the page.
        entry_q = Q(entries__unit__police_unit_id__in=visible)
        qs = ApelSession.objects.filter(pk__in=qs.values("pk")).annotate(
            n_roster=Count("entries", filter=entry_q),
            n_present=Count("entries", filter=entry_q & Q(entries__status=ApelEntry.Status.PRESENT)),
        )
    out = []
    for s in qs.order_by("held_on", "pk"):
        out.append(
            {
                "id": s.pk,
                "held_on": s.held_on,
                "kind": s.get_kind_display(),
                "locked": s.is_locked,
                "roster": s.n_roster,  # type: ignore[attr-defined]
                "present": s.n_present,  # type: ignore[attr-defined]
                "percent": round(100 * s.n_present / s.n_roster, 1) if s.n_roster else 0.0,  # type: ignore[attr-defined]
            }
        )
    return out


# --- available strength for planners ----------------------------------------------------------------------


def latest_locked_apel(
    *, polres: PoliceUnit, operation_slug: str = "", on_date: dt.date | None = None
) -> ApelSession | None:
    """The most recent locked apel of a Polres (optionally of one operation, held on or before a date)."""
    qs = ApelSession.objects.filter(polres=polres, locked_at__isnull=False)
    if operation_slug:
        qs = qs.filter(operation_slug=operation_slug)
    if on_date is not None:
        qs = qs.filter(held_on__lte=on_date)
    return qs.order_by("-held_on", "-locked_at", "-pk").first()


def available_officers(
    *, polres: PoliceUnit, on_date: dt.date | None = None, operation_slug: str = ""
) -> QuerySet[Personnel]:
    """Officers present at the latest locked apel, with unit/Polsek, rank order and `is_perwira`.

    Empty when no apel has been locked yet: planners must not plan on an unchecked roster.
    """
    session = latest_locked_apel(polres=polres, operation_slug=operation_slug, on_date=on_date)
    if session is None:
        return Personnel.objects.none()
    return (
        Personnel.objects.filter(apel_entries__session=session, apel_entries__status=ApelEntry.Status.PRESENT)
        .select_related("rank", "unit", "unit__police_unit")
        .annotate(
            rank_order=F("rank__order"),
            is_perwira=Case(
                When(rank__group__in=Rank.PERWIRA_GROUPS, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            apel_unit_id=F("apel_entries__unit_id"),
            police_unit_id=F("apel_entries__unit__police_unit_id"),
        )
        .order_by("unit__order", "-rank__order", "name")
    )


def available_strength(
    *, polres: PoliceUnit, operation_slug: str = "", on_date: dt.date | None = None
) -> dict[str, Any] | None:
    """Available police strength per police unit (Polres HQ functions together, each Polsek) from the latest
    locked apel, plus incoming BKO active on the apel day. None when no apel has been locked."""
    session = latest_locked_apel(polres=polres, operation_slug=operation_slug, on_date=on_date)
    if session is None:
        return None
    present = (
        ApelEntry.objects.filter(session=session, status=ApelEntry.Status.PRESENT)
        .order_by()
        .values("unit__police_unit_id")
        .annotate(
            n=Count("id"), perwira=Count("id", filter=Q(personnel__rank__group__in=Rank.PERWIRA_GROUPS))
        )
    )
    bko = (
        BkoAttachment.objects.filter(
            polres=polres, direction=BkoAttachment.Direction.IN, starts_on__lte=session.held_on
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=session.held_on))
        .order_by()
        .values("unit__police_unit_id")
        .annotate(n=Sum("count"))
    )
    by_unit: dict[int, dict[str, int]] = {}
    for r in present:
        by_unit.setdefault(r["unit__police_unit_id"], {"present": 0, "perwira": 0, "bko_in": 0}).update(
            present=r["n"], perwira=r["perwira"]
        )
    for r in bko:
        by_unit.setdefault(r["unit__police_unit_id"], {"present": 0, "perwira": 0, "bko_in": 0})["bko_in"] = (
            int(r["n"] or 0)
        )
    for v in by_unit.values():
        v["available"] = v["present"] + v["bko_in"]
    return {
        "apel_id": session.pk,
        "held_on": session.held_on,
        "operation": session.operation_slug,
        "total": sum(v["available"] for v in by_unit.values()),
        "by_police_unit": by_unit,
    }


def available_police_from_apel(*, polres: PoliceUnit, election: Any) -> int | None:
    """The operations app's available-police hook: `strength_basis` (the apel of the election's operation, else
    the active personnel), plus incoming BKO; None (fall through to the configured figure) when the Polres has
    no personnel in Siaga at all."""
    basis = strength_basis(polres=polres, election=election)
    return basis.total if basis.by_police_unit else None


available_police_from_apel.source_label = "personnel"  # type: ignore[attr-defined]


# --- the one definition of available strength ----------------------------------------------------------------


@dataclass(frozen=True)
class StrengthBasis:
    """Available police strength of a Polres for an election, the one definition every page and the planner use.

    Source "apel": officers present at the latest locked apel of one of the election's operations (never another
    operation's apel), plus incoming BKO active on the apel day. Source "roster": no such apel is locked yet, so
    the active personnel of the Polres (not checked at an apel) plus incoming BKO active on voting day.
    `by_police_unit` maps the Polsek (or the Polres for its HQ functions) to present / bko_in / available."""

    source: str
    session: ApelSession | None
    operation_slug: str
    on_date: dt.date
    by_police_unit: dict[int, dict[str, int]]

    @property
    def total(self) -> int:
        return sum(v["available"] for v in self.by_police_unit.values())

    @property
    def present(self) -> int:
        return sum(v["present"] for v in self.by_police_unit.values())

    @property
    def bko_in(self) -> int:
        return sum(v["bko_in"] for v in self.by_police_unit.values())

    def for_unit(self, police_unit_id: int) -> int:
        return self.by_police_unit.get(police_unit_id, {}).get("available", 0)

    @property
    def description(self) -> str:
        if self.session is not None:
            return _("hadir apel %(kind)s %(date)s operasi %(op)s: %(p)d + BKO masuk %(b)d = %(t)d") % {
                "kind": self.session.get_kind_display(),
                "date": self.session.held_on.strftime("%d-%m-%Y"),
                "op": self.operation_slug,
                "p": self.present,
                "b": self.bko_in,
                "t": self.total,
            }
        return _(
            "belum ada apel terkunci untuk operasi pemilihan ini: personel aktif %(p)d + BKO masuk %(b)d = %(t)d"
        ) % {"p": self.present, "b": self.bko_in, "t": self.total}


def election_apel(*, polres: PoliceUnit, election: Any) -> ApelSession | None:
    """The latest locked apel of one of the election's operations in this Polres (None if none is locked)."""
    from siaga.operations.models import Operation

    slugs = list(Operation.objects.filter(polres=polres, election=election).values_list("slug", flat=True))
    if not slugs:
        return None
    return (
        ApelSession.objects.filter(polres=polres, operation_slug__in=slugs, locked_at__isnull=False)
        .order_by("-held_on", "-locked_at", "-pk")
        .first()
    )


def strength_basis(*, polres: PoliceUnit, election: Any) -> StrengthBasis:
    """Available strength of a Polres for an election (see `StrengthBasis` for the rule)."""
    session = election_apel(polres=polres, election=election)
    by_unit: dict[int, dict[str, int]] = {}

    def row(unit_id: int) -> dict[str, int]:
        return by_unit.setdefault(unit_id, {"present": 0, "bko_in": 0, "available": 0})

    present: Any
    if session is not None:
        on_date = session.held_on
        present = (
            ApelEntry.objects.filter(session=session, status=ApelEntry.Status.PRESENT)
            .order_by()
            .values_list("unit__police_unit_id")
            .annotate(n=Count("id"))
        )
    else:
        on_date = election.voting_on
        present = (
            Personnel.objects.filter(unit__polres=polres, status=Personnel.Status.ACTIVE)
            .order_by()
            .values_list("unit__police_unit_id")
            .annotate(n=Count("id"))
        )
    for unit_id, n in present:
        row(unit_id or polres.pk)["present"] = n
    bko = (
        BkoAttachment.objects.filter(
            polres=polres, direction=BkoAttachment.Direction.IN, starts_on__lte=on_date
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on_date))
        .order_by()
        .values_list("unit__police_unit_id")
        .annotate(n=Sum("count"))
    )
    for unit_id, n in bko:
        row(unit_id or polres.pk)["bko_in"] = int(n or 0)
    for v in by_unit.values():
        v["available"] = v["present"] + v["bko_in"]
    return StrengthBasis(
        source="apel" if session is not None else "roster",
        session=session,
        operation_slug=session.operation_slug if session is not None else "",
        on_date=on_date,
        by_police_unit=by_unit,
    )
