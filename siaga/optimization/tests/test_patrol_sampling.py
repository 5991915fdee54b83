import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siaga.optimization.patrols.coverage import SecurityGame, min_coverage_for_visits, solve
from siaga.optimization.patrols.sampling import (
    SamplingInstance,
    comb_counts,
    day_seed,
    frequency_deviation,
    sample_day,
    sample_days,
)

FEB = dt.date(2024, 2, 1)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0.0, 3.0, allow_nan=False), min_size=1, max_size=40),
    st.integers(0, 2**32 - 1),
)
def test_comb_gives_round_down_or_up_counts_and_total(expected: list[float], seed: int) -> None:
    x = np.array(expected)
    counts = comb_counts(x, rng=np.random.default_rng(seed))
    assert np.all(counts >= np.floor(x + 1e-9))
    assert np.all(counts <= np.ceil(x - 1e-9))
    assert np.floor(x.sum() - 1e-6) <= counts.sum() <= np.ceil(x.sum() + 1e-6)


def test_comb_marginals_equal_the_expected_counts() -> None:
    x = np.array([0.1, 0.5, 0.9, 1.25, 2.0, 0.0, 0.75])
    rng = np.random.default_rng(11)
    days = 20_000
    mean = np.mean([comb_counts(x, rng=rng) for _ in range(days)], axis=0)
    # Per-point count is floor + Bernoulli(frac): standard error <= 0.5 / sqrt(days) = 0.0035.
    assert np.max(np.abs(mean - x)) < 0.015


def test_day_seeds_differ_by_day_and_plan_and_are_reproducible() -> None:
    seeds = {day_seed(42, FEB + dt.timedelta(days=d)) for d in range(365)}
    assert len(seeds) == 365
    assert day_seed(42, FEB) == day_seed(42, FEB)
    assert day_seed(42, FEB) != day_seed(43, FEB)


def test_same_seed_gives_the_same_day_and_other_seeds_do_not() -> None:
    instance = SamplingInstance(coverage=np.full(30, 0.4), slots_per_day=3)
    a, b = sample_day(instance, seed=5), sample_day(instance, seed=5)
    assert a.planned == b.planned
    assert any(sample_day(instance, seed=s).planned != a.planned for s in range(6, 10))


def test_minimum_visits_are_met_every_day_not_only_on_average() -> None:
    values = np.linspace(1, 10, 50)
    minimum = np.zeros(50)
    minimum[:5] = 2  # five points need two visits a day out of three shifts
    game = SecurityGame.from_values(
        values, resources=12.0, min_coverage=min_coverage_for_visits(minimum, open_slots=3)
    )
    instance = SamplingInstance(coverage=solve(game).coverage, slots_per_day=3)
    for day in sample_days(instance, plan_seed=9, first_day_on=FEB, days=300):
        assert np.all(day.visits >= minimum)
        # A point's visits fall in distinct shifts.
        for point in range(5):
            slots = [v.slot for v in day.planned if v.point == point]
            assert len(slots) == len(set(slots)) == day.visits[point]


def test_visits_respect_each_points_open_slots() -> None:
    allowed = tuple((0,) if i % 3 == 0 else (1, 2) if i % 3 == 1 else None for i in range(30))
    instance = SamplingInstance(coverage=np.full(30, 0.5), slots_per_day=3, allowed_slots=allowed)
    for day in sample_days(instance, plan_seed=1, first_day_on=FEB, days=200):
        for visit in day.planned:
            assert allowed[visit.point] is None or visit.slot in allowed[visit.point]  # type: ignore[operator]
        assert day.slot_loads.sum() == day.visits.sum() == len(day.planned)


def test_slot_capacity_steers_visits_to_the_busier_shifts() -> None:
    instance = SamplingInstance(
        coverage=np.full(60, 0.3), slots_per_day=2, slot_capacity=np.array([3.0, 1.0])
    )
    loads = np.sum(
        [d.slot_loads for d in sample_days(instance, plan_seed=3, first_day_on=FEB, days=300)], axis=0
    )
    assert loads[0] / loads.sum() == pytest.approx(0.75, abs=0.03)


def test_frequencies_over_a_thousand_days_match_the_coverage() -> None:
    game = SecurityGame.from_values(np.random.default_rng(2).uniform(1, 10, 100), resources=30.0)
    instance = SamplingInstance(coverage=solve(game).coverage, slots_per_day=1)
    days = sample_days(instance, plan_seed=77, first_day_on=FEB, days=1_000)
    assert frequency_deviation(instance, days) <= 0.05
    # Daily totals never overspend the resources by more than rounding.
    assert max(d.visits.sum() for d in days) <= np.ceil(instance.expected_visits().sum())


def test_invalid_sampling_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        SamplingInstance(coverage=np.array([1.5]))
    with pytest.raises(ValueError):
        SamplingInstance(coverage=np.array([0.5]), slots_per_day=2, allowed_slots=((2,),))
    with pytest.raises(ValueError):
        SamplingInstance(coverage=np.array([0.5]), slots_per_day=2, slot_capacity=np.array([1.0]))
