"""Stackelberg security-game coverage for patrol points: ORIGAMI with per-point minimum coverage.

The model is the one behind ARMOR and IRIS (Kiekintveld, Jain, Tsai, Pita, Ordóñez, Tambe, "Computing
Optimal Randomized Resource Allocation Strategies with Massive Security Games", AAMAS 2009): each patrol
point is a target; the defender (the Polres) commits to a coverage vector c (the probability that a point
is covered), the attacker observes c and hits the target that is best for him, breaking ties in the
defender's favour (strong Stackelberg equilibrium). There are no scheduling constraints at this level
(routes come later, `routes.py`), so the compact form applies: c_i in [l_i, 1], sum c_i <= m.

With attacker payoffs U_a^u (uncovered) > U_a^c (covered) and Delta_i = U_a^u_i - U_a^c_i, the attacker's
payoff at i is U_a^u_i - c_i Delta_i. ORIGAMI lowers the attacker's best payoff x as far as the resources
allow, keeping every target whose payoff would exceed x exactly at x (the "attack set").

Minimum coverage (a point that must be visited at least k times a day) changes two things, and this
module handles both exactly:

* a point's coverage cannot fall below l_i, so its highest possible attacker payoff is the *effective*
  uncovered payoff u~_i = U_a^u_i - l_i Delta_i, and
* l_i is spent before the search starts: only R = m - sum l_i is left for the attack-set expansion.

Then c_i(x) = clip((U_a^u_i - x) / Delta_i, l_i, 1), and the minimum attacker payoff is
x* = max(x_R, max_i U_a^c_i), where x_R solves sum_i max(0, (u~_i - x) / Delta_i) = R. Above
max_i U_a^c_i no target is pushed past coverage 1, so the sum is piecewise linear in x and is solved
exactly after one sort (O(n log n), vectorised).

Why this is optimal (the argument of Kiekintveld et al., carried over to the floors): any feasible c gives
the attacker some payoff x' >= x*, because x* is the least payoff any feasible c can hold him to. Say he
attacks t; then U_a^u_t - c_t Delta_t = x' and u~_t >= x' >= x*, so t is also in ORIGAMI's attack set, where
its coverage (U_a^u_t - x*) / Delta_t is at least c_t. Since the defender gains from coverage
(U_d^c >= U_d^u), her payoff at t under ORIGAMI is at least as high. ORIGAMI's attacker then picks the best
target of the attack set for the defender, which is at least as good again. `solve_milp` (the ERASER MILP)
checks this numerically; the property test compares the two on random games.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

# Payoff ties are decided with this relative tolerance: payoffs are values a commander types in, so
# anything closer than this is the same number.
_TIE_RTOL = 1e-9


def _as_vector(values: ArrayLike, name: str, n: int | None = None) -> FloatArray:
    vector = np.asarray(values, dtype=np.float64)
    if vector.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional array")
    if n is not None and vector.shape[0] != n:
        raise ValueError(f"{name} has {vector.shape[0]} entries, expected {n}")
    if not np.all(np.isfinite(vector)):
        raise ValueError(f"{name} must be finite")
    return vector


@dataclass(frozen=True, eq=False)
class SecurityGame:
    """A security game over n targets: payoffs of both players, m resources and per-target minimum coverage.

    Arrays are copied and made read-only so that a game cannot change under a solver.
    """

    defender_covered: FloatArray
    defender_uncovered: FloatArray
    attacker_covered: FloatArray
    attacker_uncovered: FloatArray
    resources: float
    min_coverage: FloatArray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        n = np.asarray(self.defender_covered).shape[0] if np.ndim(self.defender_covered) == 1 else -1
        vectors = {
            "defender_covered": _as_vector(self.defender_covered, "defender_covered"),
            "defender_uncovered": _as_vector(self.defender_uncovered, "defender_uncovered", n),
            "attacker_covered": _as_vector(self.attacker_covered, "attacker_covered", n),
            "attacker_uncovered": _as_vector(self.attacker_uncovered, "attacker_uncovered", n),
        }
        lower = np.asarray(self.min_coverage, dtype=np.float64)
        vectors["min_coverage"] = np.zeros(n) if lower.size == 0 else _as_vector(lower, "min_coverage", n)
        for name, vector in vectors.items():
            vector = vector.copy()
            vector.flags.writeable = False
            object.__setattr__(self, name, vector)
        if n == 0:
            raise ValueError("a game needs at least one target")
        if not np.all(self.attacker_uncovered > self.attacker_covered):
            # With Delta = 0 coverage would not deter, and the attack-set algebra divides by Delta.
            raise ValueError("the attacker must prefer every target uncovered (attacker_uncovered > covered)")
        if not np.all(self.defender_covered >= self.defender_uncovered):
            # The optimality argument needs the defender to gain from coverage; a game where she loses
            # from it is a modelling error, not a patrol plan.
            raise ValueError("the defender must prefer every target covered (defender_covered >= uncovered)")
        if not (np.isfinite(self.resources) and self.resources >= 0):
            raise ValueError("resources must be a finite non-negative number")
        if np.any(self.min_coverage < 0) or np.any(self.min_coverage > 1):
            raise ValueError("min_coverage must lie in [0, 1]")
        if self.min_coverage.sum() > self.resources * (1 + 1e-12) + 1e-12:
            raise ValueError(
                f"minimum coverage needs {self.min_coverage.sum():.4g} resources, "
                f"only {self.resources:.4g} exist"
            )

    @property
    def num_targets(self) -> int:
        return int(self.defender_covered.shape[0])

    @classmethod
    def from_values(
        cls,
        values: ArrayLike,
        *,
        resources: float,
        capture_penalty: float = 0.5,
        min_coverage: ArrayLike | None = None,
    ) -> SecurityGame:
        """The usual patrol game: losing point i costs the Polres values[i], and an attacker who is caught
        there loses capture_penalty * values[i] (ARMOR's payoff structure, zero for a covered defender)."""
        v = _as_vector(values, "values")
        if np.any(v <= 0):
            raise ValueError("point values must be positive")
        if capture_penalty < 0:
            raise ValueError("capture_penalty must be non-negative")
        return cls(
            defender_covered=np.zeros_like(v),
            defender_uncovered=-v,
            attacker_covered=-capture_penalty * v,
            attacker_uncovered=v,
            resources=resources,
            min_coverage=np.zeros(0) if min_coverage is None else np.asarray(min_coverage, dtype=np.float64),
        )

    def attacker_payoffs(self, coverage: FloatArray) -> FloatArray:
        return self.attacker_uncovered - coverage * (self.attacker_uncovered - self.attacker_covered)

    def defender_payoffs(self, coverage: FloatArray) -> FloatArray:
        return self.defender_uncovered + coverage * (self.defender_covered - self.defender_uncovered)


@dataclass(frozen=True, eq=False)
class CoverageResult:
    """A defender strategy and the attacker's best response to it (strong Stackelberg tie-breaking)."""

    status: Literal["optimal", "time_limit", "infeasible"]
    coverage: FloatArray
    defender_utility: float
    attacker_utility: float
    attack_set: BoolArray  # targets where the attacker is indifferent at his best payoff
    attacked_target: int  # the attack-set target the attacker picks (the defender's best)
    seconds: float
    method: str

    def is_feasible(self, game: SecurityGame | None = None, *, tol: float = 1e-7) -> bool:
        if self.status == "infeasible":
            return False
        c = self.coverage
        ok = bool(np.all(c >= -tol) and np.all(c <= 1 + tol))
        if game is not None:
            ok = ok and bool(np.all(c >= game.min_coverage - tol)) and bool(c.sum() <= game.resources + tol)
        return ok


def best_response(game: SecurityGame, coverage: FloatArray) -> tuple[BoolArray, int, float, float]:
    """Attack set, attacked target, defender and attacker utilities for a given coverage vector."""
    attacker = game.attacker_payoffs(coverage)
    best = float(attacker.max())
    attack_set = attacker >= best - _TIE_RTOL * max(1.0, abs(best))
    defender = game.defender_payoffs(coverage)
    # Strong Stackelberg: among the attacker's best responses he picks the one best for the defender.
    target = int(np.flatnonzero(attack_set)[np.argmax(defender[attack_set])])
    return attack_set, target, float(defender[target]), best


def _minimum_attacker_payoff(game: SecurityGame) -> float:
    """x*: the least best payoff any feasible coverage can hold the attacker to (see module docstring)."""
    delta = game.attacker_uncovered - game.attacker_covered
    effective = game.attacker_uncovered - game.min_coverage * delta  # u~_i
    remaining = max(0.0, game.resources - float(game.min_coverage.sum()))
    floor = float(game.attacker_covered.max())  # below this some target would need coverage above 1
    order = np.argsort(-effective, kind="stable")
    u = effective[order]
    inv = 1.0 / delta[order]
    a = np.cumsum(u * inv)  # A_k = sum_{j<=k} u_j / Delta_j
    b = np.cumsum(inv)  # B_k = sum_{j<=k} 1 / Delta_j
    if remaining <= 0.0:
        x_budget = float(u[0])
    else:
        # On [u_{k+1}, u_k] the extra coverage is A_k - x B_k; its largest value there is at x = u_{k+1}.
        # The first k whose segment reaches R holds the root.
        next_u = np.append(u[1:], -np.inf)
        reach = a - next_u * b
        k = int(np.searchsorted(reach, remaining, side="left"))  # reach is non-decreasing in k
        k = min(k, u.shape[0] - 1)
        x_budget = float((a[k] - remaining) / b[k])
    return max(x_budget, floor)


def _spend_surplus(
    game: SecurityGame, coverage: FloatArray, *, attack_set: BoolArray, target: int
) -> FloatArray:
    """Resources are left over only when some target is fully covered and still as attractive as the rest
    (x* = max U_a^c). The equilibrium value no longer depends on them, but the strategy's robustness does:
    the strong-Stackelberg assumption lets the attacker break ties for the defender, a real one need not.
    So the surplus first lifts the other attack-set targets, worst for the defender first, which takes
    them out of the tie; then the remaining targets, most valuable first. The attacked target is left alone
    (lifting it would push the attacker onto a worse tie), so the defender's equilibrium utility is
    unchanged."""
    surplus = game.resources - float(coverage.sum())
    if surplus <= _TIE_RTOL * max(1.0, game.resources):
        return coverage
    defender_payoff = game.defender_payoffs(coverage)
    # Sort key: attack-set targets first, lower defender payoff first; then by the loss if uncovered.
    key = np.where(attack_set, defender_payoff, game.defender_uncovered)
    candidates = np.flatnonzero(np.arange(game.num_targets) != target)
    order = candidates[np.lexsort((key[candidates], ~attack_set[candidates]))]
    room = 1.0 - coverage[order]
    before = np.cumsum(room) - room
    lifted = coverage.copy()
    lifted[order] += np.clip(surplus - before, 0.0, room)
    return lifted


def solve(game: SecurityGame, *, time_limit: float | None = None, seed: int | None = None) -> CoverageResult:
    """ORIGAMI with minimum coverage. Exact, deterministic and O(n log n); time_limit and seed are accepted
    for the common solver signature and ignored (nothing here is random or iterative)."""
    del time_limit, seed
    started = time.perf_counter()
    x_star = _minimum_attacker_payoff(game)
    delta = game.attacker_uncovered - game.attacker_covered
    coverage = np.clip((game.attacker_uncovered - x_star) / delta, game.min_coverage, 1.0)
    attack_set, target, defender_utility, attacker_utility = best_response(game, coverage)
    coverage = _spend_surplus(game, coverage, attack_set=attack_set, target=target)
    attack_set, target, defender_utility, attacker_utility = best_response(game, coverage)
    return CoverageResult(
        status="optimal",
        coverage=coverage,
        defender_utility=defender_utility,
        attacker_utility=attacker_utility,
        attack_set=attack_set,
        attacked_target=target,
        seconds=time.perf_counter() - started,
        method="origami",
    )


def solve_milp(game: SecurityGame, *, time_limit: float = 60.0) -> CoverageResult:
    """The ERASER MILP (Kiekintveld et al. 2009; DOBSS with one attacker type), for verification.

    Variables: coverage c (n), attack indicator a (n, binary, one of them 1), defender value d, attacker
    value k.  d <= U_d(c_t, t) + (1 - a_t) Z_t and 0 <= k - U_a(c_t, t) <= (1 - a_t) Z'_t. The big-M values
    Z, Z' are the tightest per-target bounds, which keeps HiGHS numerically honest.
    """
    # SciPy loads here, not when the web server starts (issue 15: restart to healthy <= 5 s).
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array, diags_array, hstack, vstack

    started = time.perf_counter()
    n = game.num_targets
    dd = game.defender_covered - game.defender_uncovered
    da = game.attacker_uncovered - game.attacker_covered
    z_def = float(game.defender_covered.max()) - game.defender_uncovered
    z_att = float(game.attacker_uncovered.max()) - game.attacker_covered
    ones = csr_array(np.ones((n, 1)))
    zeros_col = csr_array((n, 1))
    # Column order: c (n), a (n), d, k.
    rows = [
        # d - dd_t c_t + Z_t a_t <= U_d^u_t + Z_t
        hstack([diags_array(-dd), diags_array(z_def), ones, zeros_col]),
        # k + da_t c_t >= U_a^u_t  (k is at least the payoff of every target)
        hstack([diags_array(da), csr_array((n, n)), zeros_col, ones]),
        # k + da_t c_t + Z'_t a_t <= U_a^u_t + Z'_t
        hstack([diags_array(da), diags_array(z_att), zeros_col, ones]),
        csr_array(np.concatenate([np.ones(n), np.zeros(n + 2)])[None, :]),
        csr_array(np.concatenate([np.zeros(n), np.ones(n), np.zeros(2)])[None, :]),
    ]
    matrix = vstack(rows, format="csr")
    lower = np.concatenate(
        [np.full(n, -np.inf), game.attacker_uncovered, np.full(n, -np.inf), [-np.inf], [1.0]]
    )
    upper = np.concatenate(
        [
            game.defender_uncovered + z_def,
            np.full(n, np.inf),
            game.attacker_uncovered + z_att,
            [game.resources],
            [1.0],
        ]
    )
    objective = np.zeros(2 * n + 2)
    objective[2 * n] = -1.0  # maximise d
    integrality = np.concatenate([np.zeros(n), np.ones(n), np.zeros(2)])
    bounds = Bounds(
        np.concatenate([game.min_coverage, np.zeros(n), [-np.inf, -np.inf]]),
        np.concatenate([np.ones(n), np.ones(n), [np.inf, np.inf]]),
    )
    constraints = LinearConstraint(matrix, lower, upper)
    outcome = milp(
        objective,
        constraints=constraints,
        integrality=integrality,
        bounds=bounds,
        options={"time_limit": time_limit, "mip_rel_gap": 1e-10, "presolve": True},
    )
    if outcome.x is not None:
        # HiGHS accepts a_t = 1 - 1e-6 as integral, which lets d exceed the true value by about
        # 1e-6 * Z. Fixing the rounded attack vector and re-solving the remaining LP removes that slack.
        fixed = np.round(outcome.x[n : 2 * n])
        bounds.lb[n : 2 * n] = fixed
        bounds.ub[n : 2 * n] = fixed
        polished = milp(objective, constraints=constraints, bounds=bounds, options={"presolve": True})
        if polished.x is not None:
            polished.status = outcome.status
            outcome = polished
    seconds = time.perf_counter() - started
    if outcome.x is None:
        empty = np.zeros(n)
        return CoverageResult("infeasible", empty, -np.inf, np.inf, empty.astype(bool), -1, seconds, "milp")
    coverage = np.clip(outcome.x[:n], game.min_coverage, 1.0)
    attacked = int(np.argmax(outcome.x[n : 2 * n]))
    attack_set, _, _, attacker_utility = best_response(game, coverage)
    return CoverageResult(
        status="optimal" if outcome.status == 0 else "time_limit",
        coverage=coverage,
        defender_utility=float(outcome.x[2 * n]),
        attacker_utility=attacker_utility,
        attack_set=attack_set,
        attacked_target=attacked,
        seconds=seconds,
        method="milp",
    )


def min_coverage_for_visits(min_visits_per_day: ArrayLike, *, open_slots: ArrayLike) -> FloatArray:
    """Minimum visits a day -> minimum coverage. Coverage is the probability of a visit in one of the slots
    a point is open in, so k visits over s open slots is coverage k / s; the sampler (`sampling.py`) then
    gives at least k visits every day, not only on average."""
    visits = np.asarray(min_visits_per_day, dtype=np.float64)
    slots = np.broadcast_to(np.asarray(open_slots, dtype=np.float64), visits.shape)
    if np.any(slots < 1):
        raise ValueError("every point must be open in at least one slot")
    if np.any(visits < 0) or np.any(visits > slots):
        raise ValueError("minimum visits per day must lie in [0, open slots]")
    return visits / slots
