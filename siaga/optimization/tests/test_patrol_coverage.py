import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from siaga.optimization.patrols.coverage import (
    SecurityGame,
    best_response,
    min_coverage_for_visits,
    solve,
    solve_milp,
)


def test_two_targets_are_made_equally_attractive_by_hand_computation() -> None:
    # Attacker payoff v (1 - c) with v = (1, 2), one resource: 1 - c1 = 2 (1 - c2), c1 + c2 = 1.
    game = SecurityGame.from_values([1.0, 2.0], resources=1.0, capture_penalty=0.0)
    result = solve(game)
    assert np.allclose(result.coverage, [1 / 3, 2 / 3])
    assert result.attacker_utility == pytest.approx(2 / 3)
    assert result.defender_utility == pytest.approx(-2 / 3)
    assert result.attack_set.tolist() == [True, True]
    assert result.is_feasible(game)


def test_minimum_coverage_is_spent_first_and_the_rest_goes_to_the_attack_set() -> None:
    # Target 0 must get 0.5; its payoff is then at most 0.5. The other 0.5 goes to target 1: 2 (1 - 0.5) = 1.
    game = SecurityGame.from_values([1.0, 2.0], resources=1.0, capture_penalty=0.0, min_coverage=[0.5, 0.0])
    result = solve(game)
    assert np.allclose(result.coverage, [0.5, 0.5])
    assert result.attack_set.tolist() == [False, True]
    assert result.attacked_target == 1
    assert result.defender_utility == pytest.approx(-1.0)
    assert solve_milp(game).defender_utility == pytest.approx(-1.0, abs=1e-6)


def test_low_value_targets_stay_uncovered_when_resources_are_scarce() -> None:
    game = SecurityGame.from_values([10.0, 9.0, 1.0], resources=0.5, capture_penalty=0.0)
    result = solve(game)
    assert result.coverage[2] == 0.0
    assert result.attack_set.tolist() == [True, True, False]
    assert result.coverage.sum() == pytest.approx(0.5)


def test_surplus_resources_cover_everything_and_leave_the_rest_unused() -> None:
    game = SecurityGame.from_values([3.0, 1.0], resources=5.0)
    result = solve(game)
    assert np.allclose(result.coverage, 1.0)
    assert result.defender_utility == pytest.approx(0.0)


def test_ties_are_broken_in_the_defenders_favour() -> None:
    # Same attacker payoffs, but the defender loses less at target 1: the attacker is assumed to pick it.
    game = SecurityGame(
        defender_covered=[0.0, 0.0],
        defender_uncovered=[-5.0, -1.0],
        attacker_covered=[0.0, 0.0],
        attacker_uncovered=[1.0, 1.0],
        resources=1.0,
    )
    attack_set, target, defender, attacker = best_response(game, np.array([0.5, 0.5]))
    assert attack_set.tolist() == [True, True]
    assert target == 1
    assert defender == pytest.approx(-0.5)
    assert attacker == pytest.approx(0.5)


def test_invalid_games_are_refused() -> None:
    with pytest.raises(ValueError, match="resources"):
        SecurityGame.from_values([1.0, 1.0], resources=0.5, min_coverage=[0.4, 0.4])
    with pytest.raises(ValueError, match="attacker"):
        SecurityGame([0.0], [-1.0], [1.0], [1.0], 1.0)
    with pytest.raises(ValueError, match="defender"):
        SecurityGame([-2.0], [-1.0], [0.0], [1.0], 1.0)
    with pytest.raises(ValueError, match="positive"):
        SecurityGame.from_values([0.0], resources=1.0)


def test_minimum_visits_become_minimum_coverage_per_open_slot() -> None:
    lower = min_coverage_for_visits([2, 1, 0], open_slots=[3, 2, 3])
    assert np.allclose(lower, [2 / 3, 1 / 2, 0.0])
    with pytest.raises(ValueError):
        min_coverage_for_visits([3], open_slots=[2])


def test_large_game_is_feasible_and_spends_the_resources() -> None:
    rng = np.random.default_rng(7)
    values = rng.uniform(1, 100, 20_000)
    lower = np.where(rng.random(20_000) < 0.05, 1 / 3, 0.0)
    game = SecurityGame.from_values(values, resources=1_000.0, min_coverage=lower)
    result = solve(game)
    assert result.is_feasible(game)
    assert result.coverage.sum() == pytest.approx(1_000.0)
    # Every target is either in the attack set or strictly less attractive than it.
    payoffs = game.attacker_payoffs(result.coverage)
    assert np.all(payoffs <= result.attacker_utility + 1e-9)


@st.composite
def small_games(draw: st.DrawFn) -> SecurityGame:
    n = draw(st.integers(1, 6))
    ints = st.integers(-10, 10)
    dc = np.array(draw(st.lists(ints, min_size=n, max_size=n)), dtype=float)
    d_gain = np.array(draw(st.lists(st.integers(0, 10), min_size=n, max_size=n)), dtype=float)
    ac = np.array(draw(st.lists(ints, min_size=n, max_size=n)), dtype=float)
    a_gain = np.array(draw(st.lists(st.integers(1, 10), min_size=n, max_size=n)), dtype=float)
    resources = draw(st.integers(0, 2 * n)) / 2
    lower = np.array(draw(st.lists(st.integers(0, 10), min_size=n, max_size=n)), dtype=float) / 10
    lower *= draw(st.booleans())
    assume(lower.sum() <= resources)
    return SecurityGame(dc, dc - d_gain, ac, ac + a_gain, resources, lower)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(small_games())
def test_origami_matches_the_exact_milp(game: SecurityGame) -> None:
    fast = solve(game)
    exact = solve_milp(game)
    assert exact.status == "optimal"
    assert fast.is_feasible(game)
    assert fast.defender_utility == pytest.approx(exact.defender_utility, abs=1e-6)
    # ORIGAMI holds the attacker to the least payoff any feasible coverage can (its defining property).
    assert fast.attacker_utility <= exact.attacker_utility + 1e-6
