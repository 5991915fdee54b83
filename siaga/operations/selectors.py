"""Reads for operations, filtered by the caller's jurisdiction; TPS categories are confidential."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core.errors import NotFound, PermissionDenied
from siaga.operations import calendar, strength
from siaga.operations.models import (
    CategoryGrant,
    Election,
    ElectionStage,
    Operation,
    Satgas,
    SecurityPattern,
    SiagaLevelChange,
    TpsAssessment,
    TpsCategory,
    TpsCategoryChange,
    VulnerabilityCategory,
)
from siaga.sites.models import Tps
from siaga.territory.models import Desa, Kecamatan, PoliceUnit

# --- elections, stages, operations -------------------------------------------------------------------------


def elections() -> QuerySet[Election]:
    return Election.objects.all()


def election_or_default(slug: str | None) -> Election | None:
    """The election named in the request, else the one whose voting day is nearest to today."""
    if slug:
        election = Election.objects.filter(slug=slug).first()
        if election is None:
            raise NotFound(_("Pemilihan tidak ditemukan / Election not found"))
        return election
    today = timezone.localdate()
    all_elections = list(Election.objects.all())
    if not all_elections:
        return None
    return min(all_elections, key=lambda e: (abs((e.voting_on - today).days), e.pk))


def stages_of(election: Election) -> list[ElectionStage]:
    return list(election.stages.all())


def access_stage(user: Any, pk: int) -> ElectionStage:
    stage = ElectionStage.objects.select_related("election").filter(pk=pk).first()
    if stage is None or not can(user, "view_operations"):
        raise NotFound(_("Tahapan tidak ditemukan / Stage not found"))
    return stage


def operations_for(user: Any, *, election: Election | None = None) -> QuerySet[Operation]:
    scope = scope_for(user)
    qs = Operation.objects.select_related("election", "polres")
    if not scope.is_unrestricted:
        kabupaten_ids = Kecamatan.objects.filter(id__in=scope.kecamatan_ids).values("kabupaten_id")
        qs = qs.filter(polres__kabupaten_id__in=kabupaten_ids)
    if election is not None:
        qs = qs.filter(election=election)
    return qs


def access_operation(user: Any, slug: str) -> Operation:
    operation = operations_for(user).filter(slug=slug).first()
    if operation is None:
        raise NotFound(_("Operasi tidak ditemukan / Operation not found"))
    return operation


def satgas_tree(operation: Operation) -> list[tuple[Satgas, list[Satgas]]]:
    """Top-level satgas with their sub-satgas, in two queries' worth of data (one query)."""
    items = list(operation.satgas.all())
    children: dict[int, list[Satgas]] = defaultdict(list)
    for s in items:
        if s.parent_id:
            children[s.parent_id].append(s)
    return [(s, children.get(s.pk, [])) for s in items if s.parent_id is None]


def siaga_history(operation: Operation) -> list[SiagaLevelChange]:
    return list(operation.siaga_changes.select_related("decided_by"))


def current_siaga(operation: Operation, at: dt.datetime | None = None) -> SiagaLevelChange | None:
    at = at or timezone.now()
    return operation.siaga_changes.filter(effective_at__lte=at).order_by("-effective_at", "-id").first()


@dataclass
class TodayStatus:
    """What the command map header shows: today's stage, H-n and the siaga level."""

    election: Election
    day: dt.date
    h_offset: int
    h_label: str
    stage: ElectionStage | None
    next_stage: ElectionStage | None
    operation: Operation | None
    siaga: SiagaLevelChange | None
    phase: Any = None


def today_status(user: Any, election: Election, day: dt.date | None = None) -> TodayStatus:
    day = day or timezone.localdate()
    stages = stages_of(election)
    operation = operations_for(user, election=election).first()
    siaga = None
    phase = None
    if operation is not None:
        end_of_day = timezone.make_aware(dt.datetime.combine(day, dt.time.max))
        siaga = current_siaga(operation, end_of_day)
        phase = next((p for p in operation.phases.all() if p.starts_on <= day <= p.ends_on), None)
    offset = calendar.h_day(day, election.voting_on)
    return TodayStatus(
        election=election,
        day=day,
        h_offset=offset,
        h_label=calendar.h_label(offset),
        stage=calendar.current_stage(stages, day),
        next_stage=calendar.next_stage(stages, day),
        operation=operation,
        siaga=siaga,
        phase=phase,
    )


# --- patterns ----------------------------------------------------------------------------------------------


def polres_for(user: Any) -> QuerySet[PoliceUnit]:
    """The Polres whose territory the user may see."""
    scope = scope_for(user)
    qs = PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES).select_related("kabupaten")
    if not scope.is_unrestricted:
        qs = qs.filter(kabupaten__kecamatan__id__in=scope.kecamatan_ids).distinct()
    return qs


def patterns_for(user: Any, *, election: Election) -> QuerySet[SecurityPattern]:
    return (
        SecurityPattern.objects.filter(election=election, polres__in=polres_for(user))
        .select_related("category", "polres", "election")
        .order_by("polres__name", "category__severity", "-is_default", "name")
    )


def access_pattern(user: Any, pk: int) -> SecurityPattern:
    pattern = (
        SecurityPattern.objects.filter(pk=pk, polres__in=polres_for(user))
        .select_related("category", "polres", "election")
        .first()
    )
    if pattern is None:
        raise NotFound(_("Pola tidak ditemukan / Pattern not found"))
    return pattern


def categories() -> list[VulnerabilityCategory]:
    return list(VulnerabilityCategory.objects.all())


# --- TPS categories (confidential) -------------------------------------------------------------------------


def can_see_categories(user: Any, election: Election) -> bool:
    """Operations staff see TPS categories; partners only aggregate counts unless granted (CategoryGrant)."""
    if can(user, "view_confidential_categories"):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    today = timezone.localdate()
    return (
        CategoryGrant.objects.filter(user=user, election=election)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .exists()
    )


def require_categories(user: Any, election: Election) -> None:
    if not can_see_categories(user, election):
        raise PermissionDenied(_("Kategori TPS bersifat rahasia / TPS categories are confidential"))


def tps_with_categories(
    user: Any,
    *,
    election: Election,
    kecamatan_id: int | None = None,
    desa_id: int | None = None,
    category_id: int | None = None,
    uncategorised: bool = False,
    search: str = "",
) -> QuerySet[Tps]:
    """TPS of an election in the user's jurisdiction with their current category (confidential)."""
    require_categories(user, election)
    qs = (
        scope_for(user)
        .filter(Tps.objects.filter(election=election), "kecamatan_id")
        .select_related("desa", "kecamatan", "vulnerability__category", "vulnerability__pattern")
        .defer("desa__boundary", "kecamatan__boundary")
    )
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    if desa_id:
        qs = qs.filter(desa_id=desa_id)
    if category_id:
        qs = qs.filter(vulnerability__category_id=category_id)
    if uncategorised:
        qs = qs.filter(vulnerability__isnull=True)
    if search:
        term = search.strip()
        qs = qs.filter(code__startswith=term) if term.isdigit() else qs.filter(desa__name__icontains=term)
    return qs.order_by("desa__code", "number")


def access_tps(user: Any, pk: int) -> Tps:
    tps = (
        scope_for(user)
        .filter(Tps.objects.select_related("desa", "kecamatan", "election"), "kecamatan_id")
        .filter(pk=pk)
        .first()
    )
    if tps is None:
        raise NotFound(_("TPS tidak ditemukan / TPS not found"))
    require_categories(user, tps.election)
    return tps


def category_of(tps: Tps) -> TpsCategory | None:
    return (
        TpsCategory.objects.select_related("category", "pattern", "decided_by", "assessment")
        .filter(tps=tps)
        .first()
    )


def category_history(tps: Tps) -> list[TpsCategoryChange]:
    return list(
        TpsCategoryChange.objects.filter(tps=tps).select_related("from_category", "to_category", "assessment")
    )


def assessments_of(tps: Tps) -> list[TpsAssessment]:
    return list(TpsAssessment.objects.filter(tps=tps).select_related("indicator_set", "proposed_category"))


def category_counts(user: Any, *, election: Election) -> list[dict[str, Any]]:
    """Aggregate TPS counts per category in the user's jurisdiction: what partner viewers may see."""
    scope = scope_for(user)
    base = scope.filter(Tps.objects.filter(election=election), "kecamatan_id")
    # Keyed by category id; None counts the TPS without a decision.
    counts: dict[int | None, int] = dict(
        base.values_list("vulnerability__category_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("vulnerability__category_id", "n")
    )
    rows = [
        {"code": c.code, "label": c.label, "color": c.color, "count": counts.get(c.pk, 0)}
        for c in categories()
    ]
    if counts.get(None):
        rows.append({"code": "", "label": _("belum ditetapkan"), "color": "#9e9e9e", "count": counts[None]})
    return rows


# --- required strength -------------------------------------------------------------------------------------

AvailablePoliceProvider = Callable[..., "int | None"]
_available_police_providers: list[AvailablePoliceProvider] = []


def register_available_police_provider(provider: AvailablePoliceProvider) -> AvailablePoliceProvider:
    """Let another app (readiness: the latest locked apel) supply available police. Call it from that app's
    AppConfig.ready(); `provider(*, polres, election)` returns an int, or None to fall through. Dotted paths in
    the SIAGA_AVAILABLE_POLICE_PROVIDERS setting are consulted too. Usable as a decorator."""
    if provider not in _available_police_providers:
        _available_police_providers.append(provider)
    return provider


def _providers() -> list[AvailablePoliceProvider]:
    dotted = [import_string(p) for p in getattr(settings, "SIAGA_AVAILABLE_POLICE_PROVIDERS", ())]
    return [*_available_police_providers, *dotted]


def available_police_with_source(*, polres: PoliceUnit, election: Election) -> tuple[int | None, str]:
    for provider in _providers():
        value = provider(polres=polres, election=election)
        if value is not None:
            return int(value), getattr(provider, "source_label", getattr(provider, "__name__", "provider"))
    operation = Operation.objects.filter(polres=polres, election=election).order_by("-starts_on").first()
    if operation is not None and operation.police_available is not None:
        return operation.police_available, "config"
    return None, "none"


def available_police(*, polres: PoliceUnit, election: Election) -> int | None:
    """Police available to a Polres for an election: a registered provider first, else the configured figure."""
    return available_police_with_source(polres=polres, election=election)[0]


@dataclass
class StrengthReport:
    """Required strength for one election in a user's jurisdiction, with names for display."""

    election: Election
    result: strength.StrengthResult
    units: dict[int, PoliceUnit]
    kecamatan: dict[int, Kecamatan]
    desa: dict[int, Desa]
    categories: dict[int, VulnerabilityCategory]
    polres: list[PoliceUnit]
    police_available: int | None
    available_source: str
    covers_whole_polres: bool
    missing_patterns: list[VulnerabilityCategory] = field(default_factory=list)
    # personnel.selectors.StrengthBasis per Polres when the figure comes from Siaga's own personnel data
    bases: list[Any] = field(default_factory=list)

    @property
    def available_basis(self) -> str:
        """What the available figure counts, in words (which apel, or the roster; else the source code)."""
        return "; ".join(b.description for b in self.bases) or self.available_source

    @property
    def available_source_label(self) -> str:
        """Where the available figure comes from, in words (the API keeps the code)."""
        labels = {
            "config": _("angka yang diisi pada operasi"),
            "apel": _("apel terkunci terakhir"),
            "none": _("belum ada angka"),
        }
        return str(labels.get(self.available_source, self.available_source))

    @property
    def shortfall(self) -> int | None:
        if self.police_available is None or not self.covers_whole_polres:
            return None
        return max(0, self.result.total.police - self.police_available)

    @property
    def surplus(self) -> int | None:
        if self.police_available is None or not self.covers_whole_polres:
            return None
        return max(0, self.police_available - self.result.total.police)

    def unit_rows(self) -> list[dict[str, Any]]:
        rows = []
        for unit_id, need in sorted(self.result.by_unit.items(), key=lambda kv: self.units[kv[0]].name):
            counts = {
                c.code: self.result.tps_by_unit_category.get((unit_id, c.pk), 0)
                for c in self.categories.values()
            }
            available = (
                sum(b.for_unit(unit_id) for b in self.bases) if self.bases else None
            )  # per Polsek, by the same definition as the Polres total
            rows.append(
                {
                    "unit": self.units[unit_id],
                    "need": need,
                    "counts": counts,
                    "available": available,
                    "short": max(0, need.police - available) if available is not None else None,
                }
            )
        return rows

    def kecamatan_rows(self) -> list[tuple[Kecamatan, strength.Need]]:
        return sorted(
            ((self.kecamatan[k], n) for k, n in self.result.by_kecamatan.items()), key=lambda r: r[0].code
        )

    def desa_rows(self) -> list[tuple[Desa, strength.Need]]:
        return sorted(((self.desa[k], n) for k, n in self.result.by_desa.items()), key=lambda r: r[0].code)

    def group_rows(self) -> list[tuple[PoliceUnit, VulnerabilityCategory, strength.GroupRow]]:
        return sorted(
            ((self.units[r.unit_id], self.categories[r.pattern.category_key], r) for r in self.result.rows),
            key=lambda t: (t[0].name, t[1].severity, t[2].pattern.label),
        )


def unit_for_kecamatan() -> dict[int, int]:
    """kecamatan id -> the Polsek/Polsubsektor covering it (the lowest level), else its Polres."""
    rank: dict[str, int] = {
        PoliceUnit.Level.POLSUBSEKTOR: 0,
        PoliceUnit.Level.POLSEK: 1,
        PoliceUnit.Level.POLRES: 2,
    }
    best: dict[int, tuple[int, int]] = {}
    through = PoliceUnit.jurisdiction.through.objects.values_list(
        "kecamatan_id", "policeunit_id", "policeunit__level"
    )
    for kecamatan_id, unit_id, level in through:
        key = (rank.get(level, 9), unit_id)
        if kecamatan_id not in best or key < best[kecamatan_id]:
            best[kecamatan_id] = key
    # A Polsubsektor sits under a Polsek but plans its own TPS groups, so it counts as its own unit.
    return {k: unit_id for k, (_rank, unit_id) in best.items()}


def required_strength(user: Any, *, election: Election) -> StrengthReport:
    """Required police, Linmas and TNI for the TPS in the user's jurisdiction (docs/operations.md has the rule)."""
    scope = scope_for(user)
    tps_rows = list(
        scope.filter(Tps.objects.filter(election=election), "kecamatan_id").values_list(
            "id",
            "desa_id",
            "kecamatan_id",
            "kecamatan__kabupaten_id",
            "vulnerability__category_id",
            "vulnerability__pattern_id",
        )
    )
    polres_units = list(PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES).select_related("kabupaten"))
    polres_by_kabupaten = {p.kabupaten_id: p for p in polres_units}
    all_categories = {c.pk: c for c in categories()}
    default_category = min(all_categories.values(), key=lambda c: c.severity) if all_categories else None
    patterns = list(SecurityPattern.objects.filter(election=election).select_related("category"))
    specs = {
        p.pk: strength.PatternSpec(
            key=p.pk,
            category_key=p.category_id,
            label=p.name,
            police=p.police,
            tps=p.tps,
            linmas=p.linmas,
            tni=p.tni,
        )
        for p in patterns
    }
    defaults: dict[tuple[int | None, int | None], int] = {
        (p.polres_id, p.category_id): p.pk for p in patterns if p.is_default
    }
    unit_of = unit_for_kecamatan()
    items = []
    missing: set[int] = set()
    for tps_id, desa_id, kecamatan_id, kabupaten_id, category_id, pinned in tps_rows:
        polres = polres_by_kabupaten.get(kabupaten_id)
        # TPS without a decision are planned as the least vulnerable category (and flagged on the page).
        effective = category_id or (default_category.pk if default_category else None)
        pattern_key = pinned if pinned in specs else defaults.get((polres.pk if polres else None, effective))
        if pattern_key is None and effective is not None:
            missing.add(effective)
        unit_id = unit_of.get(kecamatan_id) or (polres.pk if polres else 0)
        items.append(strength.TpsItem(tps_id, desa_id, kecamatan_id, unit_id, category_id, pattern_key))
    result = strength.compute(items, specs)
    kecamatan_ids = {i.kecamatan_id for i in items}
    kabupaten_ids = {r[3] for r in tps_rows}
    scope_polres = [polres_by_kabupaten[k] for k in sorted(kabupaten_ids) if k in polres_by_kabupaten]
    from siaga.personnel.selectors import strength_basis

    available: int | None = None
    source = "none"
    bases = []
    for p in scope_polres:
        value, source = available_police_with_source(polres=p, election=election)
        if value is not None:
            available = (available or 0) + value
        if source == "personnel":  # the personnel app's figure: say which apel (or roster) and per Polsek
            basis = strength_basis(polres=p, election=election)
            bases.append(basis)
    whole = scope.is_unrestricted or all(
        set(Kecamatan.objects.filter(kabupaten_id=p.kabupaten_pk).values_list("id", flat=True))
        <= set(scope.kecamatan_ids or ())
        for p in scope_polres
    )
    units = {u.pk: u for u in PoliceUnit.objects.filter(pk__in=set(result.by_unit))}
    return StrengthReport(
        election=election,
        result=result,
        units=units,
        kecamatan={k.pk: k for k in Kecamatan.objects.filter(pk__in=kecamatan_ids).defer("boundary")},
        desa={d.pk: d for d in Desa.objects.filter(pk__in=set(result.by_desa)).defer("boundary")},
        categories=all_categories,
        polres=scope_polres,
        police_available=available,
        available_source=source,
        bases=bases,
        covers_whole_polres=whole,
        missing_patterns=[all_categories[c] for c in sorted(missing)],
    )
