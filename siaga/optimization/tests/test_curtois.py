"""The Curtois & Qu benchmark adapter: reader, the min-consecutive boundary rule, and Instance1 = 607."""

from __future__ import annotations

from pathlib import Path

from siaga.optimization.roster.curtois import (
    evaluate_curtois,
    read_curtois,
    run_curtois,
    short_runs,
    solve_curtois,
)

# The benchmark instance ships with the repository (bench/data/PROVENANCE.md): tests read nothing outside it.
INSTANCE1 = Path(__file__).resolve().parents[3] / "bench" / "data" / "roster" / "Instance1.txt"

# One nurse, three days, must work runs of at least 2 and rest runs of at least 2 (except at the ends).
TINY = """\
SECTION_HORIZON
3
SECTION_SHIFTS
# ID, minutes, cannot follow
E,480,L
L,480,
SECTION_STAFF
N,E=3|L=3,1440,0,3,2,2,1
SECTION_DAYS_OFF
SECTION_SHIFT_ON_REQUESTS
N,1,E,5
SECTION_SHIFT_OFF_REQUESTS
SECTION_COVER
0,E,0,100,1
1,E,0,100,1
2,E,0,100,1
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Tiny.txt"
    path.write_text(text)
    return path


def test_reader_reads_every_section_of_instance1() -> None:
    inst = read_curtois(INSTANCE1)
    assert (inst.name, inst.horizon) == ("Instance1", 14)
    assert [(s.id, s.minutes, s.cannot_follow) for s in inst.shifts] == [("D", 480, frozenset())]
    assert len(inst.staff) == 8
    a = inst.staff[0]
    assert (a.max_shifts, a.max_total_minutes, a.min_total_minutes) == ({"D": 14}, 4320, 3360)
    runs = (a.max_consecutive_shifts, a.min_consecutive_shifts, a.min_consecutive_days_off, a.max_weekends)
    assert runs == (5, 2, 2, 1)
    assert inst.days_off["A"] == frozenset({0})
    assert len(inst.on_requests) == 21 and len(inst.off_requests) == 5
    assert (inst.cover[1].day, inst.cover[1].requirement, inst.cover[1].under_weight) == (1, 7, 100)
    assert inst.weekends() == [(5, 6), (12, 13)]


def test_short_runs_skip_runs_touching_either_end_of_the_horizon() -> None:
    # Horizon of 5 days, minimum 3: runs of 1 or 2 strictly inside days 1..3.
    assert sorted(short_runs(5, 3)) == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]


def test_an_inner_one_day_run_is_forbidden_but_one_at_the_edge_is_not(tmp_path: Path) -> None:
    inst = read_curtois(write(tmp_path, TINY))
    # Day 1 alone is an inner run of 1 < 2: the on-request (weight 5) must be given up or extended.
    penalty, errors = evaluate_curtois(inst, {("N", 1): "E"})
    assert penalty == 1 and errors == ["N: work run of 1 from day 1"]
    penalty, errors = evaluate_curtois(inst, {("N", 0): "E"})  # a run touching day 0 is exempt
    assert penalty == 1 + 5 and errors == []
    result = solve_curtois(inst, time_limit=5)
    assert result.status == "OPTIMAL"
    assert result.objective == evaluate_curtois(inst, result.roster)[0]
    assert evaluate_curtois(inst, result.roster)[1] == []
    # Best: L on day 0 (no cover row for L, so free), E on day 1 (the request, one over-cover unit): 1.
    assert result.objective == 1


def test_forbidden_succession_and_minutes_are_scored(tmp_path: Path) -> None:
    inst = read_curtois(write(tmp_path, TINY))
    _, errors = evaluate_curtois(inst, {("N", 0): "L", ("N", 1): "E", ("N", 2): "E"})
    assert "N: E may not follow L (day 0)" not in errors  # E after L is allowed
    _, errors = evaluate_curtois(inst, {("N", 0): "E", ("N", 1): "L", ("N", 2): "E"})
    assert errors == ["N: L may not follow E (day 0)"]
    _, errors = evaluate_curtois(inst, {("N", d): "L" for d in range(3)})
    assert errors == []  # 1440 minutes is the maximum, not above it


def test_instance1_solves_to_the_published_optimum_607() -> None:
    inst = read_curtois(INSTANCE1)
    result = solve_curtois(inst, time_limit=30, seed=0)
    assert result.status == "OPTIMAL"
    assert result.objective == 607
    penalty, errors = evaluate_curtois(inst, result.roster)
    assert (penalty, errors) == (607, [])


def test_run_curtois_reports_the_fields_the_management_command_prints() -> None:
    row = run_curtois(INSTANCE1, 30)
    assert {"instance", "objective", "status", "seconds"} <= set(row)
    assert (row["instance"], row["objective"], row["status"]) == ("Instance1", 607, "OPTIMAL")
