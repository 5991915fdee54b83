"""Required strength from TPS categories and security patterns. Pure Python: no database access.

The rule (docs/operations.md): TPS are grouped per Polsek jurisdiction (the Polsek or Polsubsektor that
covers the TPS's kecamatan) and per sub-pattern (the category's default sub-pattern unless the TPS is pinned
to another). For n TPS under a sub-pattern of P police per T TPS:

    groups = ceil(n / T); police = groups * P

because police move in pairs (body system) and a partial group still needs its full pair. Linmas and TNI
stand at each TPS, so they scale with the TPS count: linmas = ceil(n * L / T), tni = ceil(n * N / T).
Desa and kecamatan figures split each Polsek row's groups, Linmas and TNI over its desa in proportion to their
TPS (largest remainder), so desa sum to kecamatan and kecamatan to Polsek exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from siaga.sites.services import largest_remainder


@dataclass(frozen=True)
class PatternSpec:
    key: int
    category_key: int
    label: str
    police: int
    tps: int
    linmas: int = 0
    tni: int = 0


@dataclass(frozen=True)
class TpsItem:
    tps_id: int
    desa_id: int
    kecamatan_id: int
    unit_id: int  # Polsek / Polsubsektor (or the Polres where no Polsek covers the kecamatan)
    category_key: int | None  # None: no category decided yet
    pattern_key: int | None  # resolved sub-pattern; None: the category has no pattern


@dataclass
class Need:
    tps: int = 0
    groups: int = 0
    police: int = 0
    linmas: int = 0
    tni: int = 0

    def add(self, other: Need) -> None:
        self.tps += other.tps
        self.groups += other.groups
        self.police += other.police
        self.linmas += other.linmas
        self.tni += other.tni


@dataclass(frozen=True)
class GroupRow:
    unit_id: int
    pattern: PatternSpec
    need: Need


@dataclass
class StrengthResult:
    total: Need = field(default_factory=Need)
    rows: list[GroupRow] = field(default_factory=list)
    by_unit: dict[int, Need] = field(default_factory=lambda: defaultdict(Need))
    by_kecamatan: dict[int, Need] = field(default_factory=lambda: defaultdict(Need))
    by_desa: dict[int, Need] = field(default_factory=lambda: defaultdict(Need))
    # category key -> TPS count (None: not yet categorised)
    tps_by_category: dict[int | None, int] = field(default_factory=lambda: defaultdict(int))
    tps_by_unit_category: dict[tuple[int, int | None], int] = field(default_factory=lambda: defaultdict(int))
    tps_without_pattern: int = 0
    tps_uncategorised: int = 0


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def need_for(n_tps: int, pattern: PatternSpec) -> Need:
    groups = ceil_div(n_tps, pattern.tps)
    return Need(
        tps=n_tps,
        groups=groups,
        police=groups * pattern.police,
        linmas=ceil_div(n_tps * pattern.linmas, pattern.tps),
        tni=ceil_div(n_tps * pattern.tni, pattern.tps),
    )


def compute(items: Iterable[TpsItem], patterns: dict[int, PatternSpec]) -> StrengthResult:
    result = StrengthResult()
    # (unit, pattern) -> desa -> (kecamatan, TPS count)
    cells: dict[tuple[int, int], dict[int, list[int]]] = defaultdict(dict)
    for item in items:
        result.tps_by_category[item.category_key] += 1
        result.tps_by_unit_category[(item.unit_id, item.category_key)] += 1
        if item.category_key is None:
            result.tps_uncategorised += 1
        if item.pattern_key is None:
            result.tps_without_pattern += 1
            continue
        cell = cells[(item.unit_id, item.pattern_key)].setdefault(item.desa_id, [item.kecamatan_id, 0])
        cell[1] += 1
    for (unit_id, pattern_key), desa_counts in sorted(cells.items()):
        pattern = patterns[pattern_key]
        n = sum(count for _, count in desa_counts.values())
        need = need_for(n, pattern)
        result.rows.append(GroupRow(unit_id=unit_id, pattern=pattern, need=need))
        result.by_unit[unit_id].add(need)
        result.total.add(need)
        desa_ids = sorted(desa_counts)
        weights = [desa_counts[d][1] for d in desa_ids]
        groups = largest_remainder(weights, need.groups)
        linmas = largest_remainder(weights, need.linmas)
        tni = largest_remainder(weights, need.tni)
        for i, desa_id in enumerate(desa_ids):
            kecamatan_id, count = desa_counts[desa_id]
            share = Need(
                tps=count, groups=groups[i], police=groups[i] * pattern.police, linmas=linmas[i], tni=tni[i]
            )
            result.by_desa[desa_id].add(share)
            result.by_kecamatan[kecamatan_id].add(share)
    return result
