"""Coverage benchmark, importable so that `bench/coverage.py` and a Django management command share it.

A random patrol game (point values uniform in [1, 10], ARMOR payoffs, 2 % of the points with a minimum of
one visit a day) is solved with ORIGAMI, checked against the MILP when small, and sampled for 1,000 days.
Figures, not assertions: the unit tests check correctness, this measures speed and sampling accuracy.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Any

import numpy as np

from siaga.optimization.patrols.coverage import SecurityGame, solve, solve_milp
from siaga.optimization.patrols.sampling import SamplingInstance, frequency_deviation, sample_days

MILP_MAX_POINTS = 200
SAMPLED_DAYS = 1_000


def random_game(points: int, resources: float, seed: int) -> SecurityGame:
    """The benchmark's game: reproducible from (points, resources, seed)."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(1.0, 10.0, points)
    minimum = np.zeros(points)
    minimum[rng.permutation(points)[: max(1, points // 50)]] = 1.0
    if minimum.sum() > resources:
        minimum[:] = 0.0
    return SecurityGame.from_values(values, resources=resources, min_coverage=minimum)


def _best_of(repeats: int, game: SecurityGame) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        solve(game)
        times.append(time.perf_counter() - started)
    return min(times)


def run_coverage_bench(points: int, resources: float | None = None, seed: int = 0) -> dict[str, Any]:
    """Solve, verify and sample one random game. Returns JSON-ready figures."""
    m = float(resources if resources is not None else max(1.0, points / 5))
    game = random_game(points, m, seed)
    seconds = _best_of(3, game)
    result = solve(game)
    figures: dict[str, Any] = {
        "points": points,
        "resources": m,
        "seed": seed,
        "seconds": round(seconds, 6),
        "defender_utility": result.defender_utility,
        "attacker_utility": result.attacker_utility,
        "attack_set_size": int(result.attack_set.sum()),
        "is_feasible": result.is_feasible(game),
    }
    if points <= MILP_MAX_POINTS:
        exact = solve_milp(game)
        figures["milp_defender_utility"] = exact.defender_utility
        figures["milp_seconds"] = round(exact.seconds, 3)
        figures["milp_gap"] = abs(exact.defender_utility - result.defender_utility)
    instance = SamplingInstance(coverage=result.coverage, slots_per_day=1)
    started = time.perf_counter()
    days = sample_days(instance, plan_seed=seed, first_day_on=dt.date(2024, 2, 14), days=SAMPLED_DAYS)
    figures["sampling_seconds_per_day"] = round((time.perf_counter() - started) / SAMPLED_DAYS, 6)
    figures["sampled_days"] = SAMPLED_DAYS
    figures["max_sampling_deviation"] = frequency_deviation(instance, days)
    # Independent days cannot beat binomial noise: sd of a frequency over D days is sqrt(c (1 - c) / D).
    c = result.coverage
    stderr = np.sqrt(c * (1 - c) / SAMPLED_DAYS)
    figures["max_sampling_standard_error"] = float(stderr.max())
    # Largest deviation in standard errors: about sqrt(2 ln n) for n independent points if the sampler's
    # marginals are right (3 for 100 points, 4.8 for 100,000); much more would mean a biased sampler.
    observed = np.mean([d.visits for d in days], axis=0)
    fractional = stderr > 0
    figures["max_sampling_z"] = float(
        np.max(np.abs(observed - c)[fractional] / stderr[fractional], initial=0.0)
    )
    figures["min_visits_met_every_day"] = bool(
        all(np.all(d.visits >= np.floor(game.min_coverage + 1e-9)) for d in days)
    )
    return figures


def run_coverage_sweep(
    sizes: tuple[int, ...] = (1_000, 10_000, 100_000, 1_000_000), seed: int = 0
) -> dict[str, Any]:
    """ORIGAMI time (best of 3) by number of points, resources = points / 5."""
    rows = []
    for n in sizes:
        game = random_game(n, n / 5, seed)
        rows.append({"points": n, "seconds": round(_best_of(3, game), 6)})
    return {"sweep": rows, "log10_points": [round(math.log10(r["points"]), 1) for r in rows]}
