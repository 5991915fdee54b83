"""Inputs and outputs of the PAM TPS deployment planner (voting-day TPS security plotting).

Everything is a frozen dataclass of plain values so a Django layer can build instances from querysets and
store plans as JSON, and so subproblems can be pickled to worker processes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: Ids are whatever the caller uses (Django primary keys or codes); they are only compared and hashed.
Key = int | str

DEFAULT_TEAMS_PER_PADAL = 10


@dataclass(frozen=True, slots=True)
class Tps:
    """A polling station (Tempat Pemungutan Suara). `polsek_id` is the Polsek whose jurisdiction holds it."""

    id: Key
    lat: float
    lng: float
    category: str
    polsek_id: Key


@dataclass(frozen=True, slots=True)
class Pattern:
    """The securing pattern (pola pengamanan) of one TPS category.

    One team of `police_per_team` officers secures up to `tps_per_team` TPS. `criticality` orders categories
    when officers are short: the least critical TPS are left uncovered first. Linmas and TNI counts are not
    planned here; they are passed through to the Sprin.
    """

    category: str
    criticality: int
    police_per_team: int
    tps_per_team: int
    linmas_per_tps: int = 0
    tni_per_team: int = 0


@dataclass(frozen=True, slots=True)
class Officer:
    """`rank_order` is an integer, higher is more senior; `is_perwira` makes the officer eligible as Padal."""

    id: Key
    polsek_id: Key
    rank_order: int
    is_perwira: bool = False
    is_available: bool = True


@dataclass(frozen=True, slots=True)
class Polsek:
    """A Polsek (or Polsubsektor) station; teams start and end their route here."""

    id: Key
    name: str
    lat: float
    lng: float
    kecamatan_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeploymentInstance:
    polsek: tuple[Polsek, ...]
    tps: tuple[Tps, ...]
    officers: tuple[Officer, ...]
    patterns: tuple[Pattern, ...]
    #: A Padal (perwira pengendali) controls at most this many teams of one Polsek.
    teams_per_padal: int = DEFAULT_TEAMS_PER_PADAL
    #: Officers may be lent to a short Polsek by the nearest Polsek with officers to spare.
    allow_officer_lending: bool = False
    #: TPS may be secured from the nearest station even when it lies in another Polsek's jurisdiction.
    allow_cross_jurisdiction: bool = False
    circuity: float = 1.35
    #: Optional road distances (km) over nodes ordered as `polsek` then `tps`; replaces the default
    #: great-circle distance x circuity.
    distance_km: NDArray[np.float64] | None = field(default=None, compare=False, repr=False)

    def pattern_for(self, category: str) -> Pattern:
        for pattern in self.patterns:
            if pattern.category == category:
                return pattern
        raise KeyError(f"no pattern for TPS category {category!r}")


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    polsek_id: Key
    category: str
    officer_ids: tuple[Key, ...]
    tps_ids: tuple[Key, ...]  # visiting order from the station
    route_km: float  # station -> TPS in order -> station


@dataclass(frozen=True, slots=True)
class PadalAssignment:
    """A perwira pengendali controlling a cluster of teams of one Polsek; never a team member as well."""

    officer_id: Key
    polsek_id: Key
    team_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Shortfall:
    """Something the plan could not do, and why. `kind` is "uncovered_tps" or "no_padal".

    `reason` is an English sentence for logs and benchmarks; `why` names the same reason as a code with its
    figures (this package knows no language), which the app words in the user's language."""

    kind: str
    polsek_id: Key
    reason: str
    tps_id: Key | None = None
    category: str | None = None
    team_id: str | None = None
    why: Why | None = None


@dataclass(frozen=True, slots=True)
class Why:
    """A shortfall reason as a code ("short_of_officers", "farthest_dropped", "unreachable", "no_perwira")
    plus its figures, e.g. {"polsek": "Tempurejo", "per_team": 2, "available": 1}."""

    code: str
    figures: tuple[tuple[str, Any], ...] = ()

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.figures)


@dataclass(frozen=True)
class DeploymentPlan:
    teams: tuple[Team, ...]
    padal: tuple[PadalAssignment, ...]
    shortfall: tuple[Shortfall, ...]


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    message: str


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    phase: str  # "first_valid" | "improve" | "replan"
    done: int
    total: int
    elapsed_s: float


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass(frozen=True)
class Result:
    status: str  # "feasible" when validate() found no violation, else "infeasible"
    plan: DeploymentPlan
    objective: float  # total route km; coverage is reported separately in the shortfall
    first_valid_s: float
    final_s: float
    violations: tuple[Violation, ...] = ()
    #: Replan only: officers (still available) whose assignment differs from the previous plan.
    changed_officer_ids: tuple[Key, ...] = ()
    seed: int = 0

    @property
    def teams(self) -> tuple[Team, ...]:
        return self.plan.teams

    @property
    def padal(self) -> tuple[PadalAssignment, ...]:
        return self.plan.padal

    @property
    def shortfall(self) -> tuple[Shortfall, ...]:
        return self.plan.shortfall

    @property
    def total_route_km(self) -> float:
        return sum(t.route_km for t in self.plan.teams)

    @property
    def max_route_km(self) -> float:
        return max((t.route_km for t in self.plan.teams), default=0.0)

    @property
    def covered_tps_ids(self) -> frozenset[Key]:
        return frozenset(tps_id for t in self.plan.teams for tps_id in t.tps_ids)

    @property
    def officers_used(self) -> int:
        return sum(len(t.officer_ids) for t in self.plan.teams) + len(self.plan.padal)

    @property
    def changed_assignments(self) -> int:
        return len(self.changed_officer_ids)

    def is_feasible(self) -> bool:
        return self.status == "feasible"

    def is_complete(self) -> bool:
        """Every TPS covered and every team under a Padal."""
        return self.is_feasible() and not self.plan.shortfall
