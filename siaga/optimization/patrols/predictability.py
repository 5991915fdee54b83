"""Warnings when the patrols actually driven have become predictable.

ARMOR's lesson from LAX (Pita et al., AI Magazine 2009): officers need to override the schedule, and the
system must say when overrides erode the randomisation. This module looks at the visits recorded (planned
and overridden alike) and raises:

* FREQUENCY_DRIFT  a point's visits per day are off its planned rate by more than `max_rate_deviation`
                    (absolute, visits/day) and by more than `z_threshold` binomial standard errors, so
                    small samples do not cry wolf;
* COVERAGE_DRIFT   the whole visit distribution fails a chi-square goodness-of-fit test against the plan
                    (p below `alpha`); point_id is None;
* FIXED_HOUR       a point's visits fall in so few hours that the normalised entropy of its visit hours
                    is below `min_hour_entropy` (1 = spread as widely as the number of visits allows,
                    0 = always the same hour); needs at least `min_visits_for_hours` visits;
* OVERRIDE_HEAVY   more than `max_override_share` of a point's visits were staff overrides.

Codes are stable identifiers; the Django layer translates them (Indonesian first) using `params`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

WarningCode = Literal["FREQUENCY_DRIFT", "COVERAGE_DRIFT", "FIXED_HOUR", "OVERRIDE_HEAVY"]


@dataclass(frozen=True)
class RecordedVisit:
    """A visit that happened: which point, on which day, at which hour (0-23), and whether staff chose it."""

    point_id: str
    day_on: dt.date
    hour: int
    is_override: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.hour <= 23:
            raise ValueError("hour must lie in 0..23")


@dataclass(frozen=True)
class PredictabilityThresholds:
    """Tunable limits; the defaults suit a two-week window of a Polres with tens to hundreds of points."""

    max_rate_deviation: float = 0.25  # visits per day
    z_threshold: float = 3.0
    alpha: float = 0.001
    min_hour_entropy: float = 0.5
    min_visits_for_hours: int = 6
    hours_per_day: int = 24
    max_override_share: float = 0.3
    min_visits_for_overrides: int = 5


@dataclass(frozen=True)
class PredictabilityWarning:
    """One warning: a stable code, the point (None for plan-wide warnings), an English message and params."""

    code: WarningCode
    point_id: str | None
    message: str
    params: Mapping[str, float] = field(default_factory=dict)


def hour_entropy(hours: Iterable[int], *, hours_per_day: int = 24) -> float:
    """Shannon entropy of the visit hours, divided by its maximum for this many visits (1 = as spread as
    possible, 0 = a single hour)."""
    counts = np.array(list(Counter(hours).values()), dtype=np.float64)
    total = counts.sum()
    if total <= 1:
        return 1.0
    p = counts / total
    entropy = float(-(p * np.log(p)).sum())
    best = math.log(min(total, hours_per_day))
    return entropy / best if best > 0 else 1.0


def check_predictability(
    visits: Iterable[RecordedVisit],
    *,
    planned_rate: Mapping[str, float],
    days: int,
    thresholds: PredictabilityThresholds | None = None,
) -> list[PredictabilityWarning]:
    from scipy.stats import chisquare  # loaded on use, not at web server start (issue 15)

    """Compare `days` days of recorded visits with each point's planned visits per day (the sampler's
    expected_visits). Points in the history but not in the plan count as planned at rate 0."""
    limits = thresholds or PredictabilityThresholds()
    if days < 1:
        raise ValueError("days must be at least 1")
    by_point: dict[str, list[RecordedVisit]] = defaultdict(list)
    for visit in visits:
        by_point[visit.point_id].append(visit)
    warnings: list[PredictabilityWarning] = []
    point_ids = sorted(set(planned_rate) | set(by_point))
    observed = np.array([len(by_point.get(p, [])) for p in point_ids], dtype=np.float64)
    expected = np.array([planned_rate.get(p, 0.0) * days for p in point_ids], dtype=np.float64)

    for point_id, seen, owed in zip(point_ids, observed, expected, strict=True):
        rate, planned = seen / days, owed / days
        # A day's visit count is at most ceil(rate) and its variance at most that of a Bernoulli per
        # visit slot; p(1-p) with p the fractional rate, floored so a 0/1 plan still has some slack.
        frac = planned - math.floor(planned)
        stderr = math.sqrt(max(frac * (1 - frac), 0.25 / days) / days)
        if (
            abs(rate - planned) > limits.max_rate_deviation
            and abs(rate - planned) > limits.z_threshold * stderr
        ):
            warnings.append(
                PredictabilityWarning(
                    "FREQUENCY_DRIFT",
                    point_id,
                    f"point {point_id} is visited {rate:.2f} times a day, the plan says {planned:.2f}",
                    {"observed_rate": rate, "planned_rate": planned},
                )
            )

    informative = expected > 0
    if informative.sum() >= 2 and observed[informative].sum() > 0:
        # Chi-square on the *shares* of visits: drift in where patrols go, whatever their total.
        obs = observed[informative]
        exp = expected[informative] / expected[informative].sum() * obs.sum()
        statistic, p_value = chisquare(obs, exp)
        unplanned = float(observed[~informative].sum())
        if p_value < limits.alpha or unplanned > limits.max_override_share * max(observed.sum(), 1.0):
            warnings.append(
                PredictabilityWarning(
                    "COVERAGE_DRIFT",
                    None,
                    f"visits no longer follow the plan (chi-square p = {p_value:.2g}, "
                    f"{unplanned:.0f} visits to unplanned points)",
                    {
                        "chi_square": float(statistic),
                        "p_value": float(p_value),
                        "unplanned_visits": unplanned,
                    },
                )
            )

    for point_id in point_ids:
        history = by_point.get(point_id, [])
        if len(history) >= limits.min_visits_for_hours:
            entropy = hour_entropy((v.hour for v in history), hours_per_day=limits.hours_per_day)
            if entropy < limits.min_hour_entropy:
                common_hour, times = Counter(v.hour for v in history).most_common(1)[0]
                warnings.append(
                    PredictabilityWarning(
                        "FIXED_HOUR",
                        point_id,
                        f"point {point_id} is visited at {common_hour:02d}:00 "
                        f"in {times} of {len(history)} visits",
                        {"entropy": entropy, "hour": float(common_hour), "share": times / len(history)},
                    )
                )
        if len(history) >= limits.min_visits_for_overrides:
            share = sum(v.is_override for v in history) / len(history)
            if share > limits.max_override_share:
                warnings.append(
                    PredictabilityWarning(
                        "OVERRIDE_HEAVY",
                        point_id,
                        f"{share:.0%} of the visits to point {point_id} were chosen by staff, not the plan",
                        {"override_share": share},
                    )
                )
    return warnings
