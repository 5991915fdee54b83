import datetime as dt

import numpy as np
import pytest

from siaga.optimization.patrols.predictability import (
    PredictabilityThresholds,
    RecordedVisit,
    check_predictability,
    hour_entropy,
)

FEB = dt.date(2024, 2, 1)


def history(
    rates: dict[str, float], *, days: int, seed: int, hours: dict[str, int] | None = None
) -> list[RecordedVisit]:
    """Visits drawn at the given daily rates (at most one a day), at random hours unless fixed."""
    rng = np.random.default_rng(seed)
    visits = []
    for day in range(days):
        for point, rate in rates.items():
            if rng.random() < rate:
                hour = (hours or {}).get(point, int(rng.integers(0, 24)))
                visits.append(RecordedVisit(point, FEB + dt.timedelta(days=day), hour))
    return visits


def codes(warnings: list) -> set[tuple[str, str | None]]:  # type: ignore[type-arg]
    return {(w.code, w.point_id) for w in warnings}


def test_a_history_that_follows_the_plan_raises_nothing() -> None:
    plan = {f"p{i}": r for i, r in enumerate([0.2, 0.4, 0.6, 0.8, 0.5])}
    assert check_predictability(history(plan, days=60, seed=1), planned_rate=plan, days=60) == []


def test_a_neglected_point_is_reported_as_drifting() -> None:
    plan = {"tps-1": 0.8, "tps-2": 0.5, "tps-3": 0.5}
    driven = {"tps-1": 0.1, "tps-2": 0.5, "tps-3": 0.5}
    found = codes(check_predictability(history(driven, days=60, seed=2), planned_rate=plan, days=60))
    assert ("FREQUENCY_DRIFT", "tps-1") in found
    assert ("COVERAGE_DRIFT", None) in found
    assert ("FREQUENCY_DRIFT", "tps-2") not in found


def test_a_small_sample_does_not_cry_wolf() -> None:
    # Three days at a 0.5 plan: 0 visits is unlucky, not drift.
    plan = {"tps-1": 0.5}
    assert check_predictability([], planned_rate=plan, days=3) == []


def test_always_the_same_hour_is_flagged_with_the_hour() -> None:
    plan = {"kpu": 1.0, "gudang": 1.0}
    visits = history(plan, days=14, seed=3, hours={"kpu": 21})
    warnings = check_predictability(visits, planned_rate=plan, days=14)
    fixed = [w for w in warnings if w.code == "FIXED_HOUR"]
    assert [w.point_id for w in fixed] == ["kpu"]
    assert fixed[0].params["hour"] == 21
    assert "21:00" in fixed[0].message


def test_overrides_that_dominate_a_point_are_flagged() -> None:
    plan = {"ppk": 1.0}
    visits = [
        RecordedVisit("ppk", FEB + dt.timedelta(days=d), (d * 5) % 24, is_override=d % 2 == 0)
        for d in range(10)
    ]
    found = codes(check_predictability(visits, planned_rate=plan, days=10))
    assert found == {("OVERRIDE_HEAVY", "ppk")}


def test_hour_entropy_is_zero_for_one_hour_and_one_for_all_distinct() -> None:
    assert hour_entropy([9, 9, 9, 9]) == pytest.approx(0.0)
    assert hour_entropy([1, 5, 9, 13]) == pytest.approx(1.0)
    assert 0 < hour_entropy([9, 9, 9, 13]) < 1


def test_thresholds_are_parameters() -> None:
    plan = {"kpu": 1.0}
    visits = history(plan, days=14, seed=3, hours={"kpu": 21})
    loose = PredictabilityThresholds(min_hour_entropy=0.0)
    assert check_predictability(visits, planned_rate=plan, days=14, thresholds=loose) == []
