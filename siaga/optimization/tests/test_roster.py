"""The guard-post roster on instances small enough to check by hand.

3 Feb 2024 is a Saturday; the default shifts are P 06-14, S 14-22, M 22-06.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from siaga.optimization.roster import (
    Assignment,
    BusyPeriod,
    Officer,
    Post,
    RequirementPeriod,
    RosterInstance,
    Rule,
    Rules,
    ShiftRequest,
    ShiftType,
    Status,
    Unavailability,
    Weights,
    check_reassign,
    check_swap,
    make_unavailable,
    solve,
    three_eight_hour_shifts,
    two_twelve_hour_shifts,
    validate,
)
from siaga.optimization.roster.model import rest_cliques

FEB = date(2024, 2, 1)
CCTV = frozenset({"cctv"})


def days(n: int, start: date = FEB) -> tuple[date, ...]:
    return tuple(start + timedelta(days=i) for i in range(n))


def officers(n: int, *, cctv: int = 0) -> tuple[Officer, ...]:
    return tuple(Officer(f"O{i}", qualifications=CCTV if i < cctv else frozenset()) for i in range(n))


def rules_of(instance: RosterInstance, rows: list[Assignment]) -> set[Rule]:
    return {v.rule for v in validate(instance, rows)}


# Shifts where the brief's example clash happens: 16:00-24:00 then 06:00-14:00 the next morning.
EVENING_MORNING = (ShiftType("P", 6, 8), ShiftType("E", 16, 8))


def edge_instance(**kwargs: object) -> RosterInstance:
    base: dict[str, object] = dict(
        horizon=days(2, date(2024, 2, 3)),
        shifts=EVENING_MORNING,
        posts=(Post("KPU", 1),),
        officers=officers(2),
    )
    base.update(kwargs)
    return RosterInstance(**base)  # type: ignore[arg-type]


# --- inputs -------------------------------------------------------------------------------------------


def test_shift_labels_use_24_00_for_midnight_and_mark_night_shifts() -> None:
    evening = ShiftType("E", 16, 8)
    assert evening.label(date(2024, 2, 3)) == "16:00-24:00 on 3 Feb"
    p, s, m = three_eight_hour_shifts()
    assert m.label(date(2024, 2, 3)) == "22:00-06:00 on 3 Feb"
    assert m.ends_at(date(2024, 2, 3)) == datetime(2024, 2, 4, 6)
    assert (p.is_night, s.is_night, m.is_night, evening.is_night) == (False, False, True, False)
    day, night = two_twelve_hour_shifts()
    assert (day.is_night, night.is_night, night.duration_minutes) == (False, True, 720)


def test_requirement_rises_from_h_minus_5_and_later_periods_win() -> None:
    voting_day = date(2024, 2, 14)
    post = Post(
        "KPU",
        2,
        periods=(
            RequirementPeriod(voting_day - timedelta(days=5), 4),
            RequirementPeriod(voting_day, 6, ends_on=voting_day, shift_codes=frozenset({"M"})),
        ),
    )
    assert post.required_on(date(2024, 2, 8), "P") == 2
    assert post.required_on(date(2024, 2, 9), "P") == 4
    assert post.required_on(voting_day, "P") == 4
    assert post.required_on(voting_day, "M") == 6
    assert post.required_on(voting_day + timedelta(days=1), "M") == 4


def test_rolling_weeks_slide_by_one_day_and_calendar_weeks_start_on_monday() -> None:
    inst = RosterInstance(horizon=days(9), shifts=three_eight_hour_shifts(), posts=(), officers=())
    assert [w[0] for w in inst.weeks()] == [FEB, FEB + timedelta(1), FEB + timedelta(2)]
    assert all(len(w) == 7 for w in inst.weeks())
    cal = RosterInstance(horizon=days(9), shifts=(), posts=(), officers=(), rules=Rules(week="calendar"))
    # 1 Feb 2024 is a Thursday: Thu-Sun, then Mon 5 Feb - Fri 9 Feb.
    assert [len(w) for w in cal.weeks()] == [4, 5]


def test_rest_cliques_forbid_back_to_back_shifts_but_allow_night_then_next_afternoon() -> None:
    inst = RosterInstance(horizon=days(2), shifts=three_eight_hour_shifts(), posts=(), officers=())
    pairs = {frozenset(p) for c in rest_cliques(inst) for p in _pairs(c)}
    d0, d1 = days(2)
    assert frozenset({(d0, "P"), (d0, "S")}) in pairs  # 0 h rest
    assert frozenset({(d0, "M"), (d1, "P")}) in pairs  # 06:00 end, 06:00 start
    assert frozenset({(d0, "M"), (d1, "S")}) not in pairs  # exactly 8 h: allowed
    assert frozenset({(d0, "P"), (d0, "M")}) not in pairs  # 14:00 to 22:00 is 8 h


def _pairs(items: list[tuple[date, str]]) -> list[tuple[tuple[date, str], tuple[date, str]]]:
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1 :]]


# --- validate(): one test per violation type ----------------------------------------------------------


def test_validate_accepts_a_legal_hand_roster() -> None:
    inst = edge_instance()
    d0, d1 = inst.horizon
    rows = [
        Assignment("O0", d0, "P", "KPU"),
        Assignment("O1", d0, "E", "KPU"),
        Assignment("O0", d1, "P", "KPU"),
        Assignment("O1", d1, "E", "KPU"),
    ]
    assert validate(inst, rows) == []


def test_validate_reports_rest_across_midnight_in_plain_words() -> None:
    inst = edge_instance()
    d0, d1 = inst.horizon
    rows = [
        Assignment("O0", d0, "P", "KPU"),
        Assignment("O1", d0, "E", "KPU"),
        Assignment("O1", d1, "P", "KPU"),
        Assignment("O0", d1, "E", "KPU"),
    ]
    [violation] = validate(inst, rows)
    assert violation.rule == Rule.REST
    assert violation.officer_id == "O1"
    assert (
        violation.message == "less than 8 h rest between 16:00-24:00 on 3 Feb and 06:00-14:00 on 4 Feb (6 h)"
    )


def test_validate_reports_coverage_gaps_and_overstaffed_exact_posts() -> None:
    inst = edge_instance(
        posts=(Post("KPU", 2), Post("CCTV", 1, exact=True)),
        officers=officers(4),
        horizon=days(1),
        shifts=(ShiftType("P", 6, 8),),
    )
    rows = [
        Assignment("O0", FEB, "P", "KPU"),
        Assignment("O1", FEB, "P", "CCTV"),
        Assignment("O2", FEB, "P", "CCTV"),
    ]
    found = {(v.rule, v.post_id) for v in validate(inst, rows)}
    assert found == {(Rule.COVERAGE, "KPU"), (Rule.OVERSTAFFED, "CCTV")}
    # An at-least post takes extra officers without complaint.
    rows = [Assignment(f"O{i}", FEB, "P", "KPU") for i in range(3)] + [Assignment("O3", FEB, "P", "CCTV")]
    assert validate(inst, rows) == []


def test_validate_reports_two_shifts_on_one_day() -> None:
    inst = edge_instance(horizon=days(1), rules=Rules(min_rest_hours=0))
    rows = [Assignment("O0", FEB, "P", "KPU"), Assignment("O0", FEB, "E", "KPU")]
    assert rules_of(inst, rows) == {Rule.ONE_SHIFT_PER_DAY}
    relaxed = edge_instance(horizon=days(1), rules=Rules(min_rest_hours=0, one_shift_per_day=False))
    assert validate(relaxed, rows) == []


def test_validate_reports_weekly_hours_over_the_rolling_week() -> None:
    inst = RosterInstance(
        horizon=days(8),
        shifts=(ShiftType("D", 8, 8),),
        posts=(Post("KPU", 1),),
        officers=(Officer("A", max_hours_per_week=40), Officer("B")),
    )
    rows = [Assignment("A", d, "D", "KPU") for d in days(6)] + [
        Assignment("B", d, "D", "KPU") for d in days(8)[6:]
    ]
    [violation] = validate(inst, rows)
    assert violation.rule == Rule.WEEKLY_HOURS
    assert violation.message == "A works 48 h from 1 Feb to 7 Feb (max 40 h)"
    # 1-5 Feb and 8 Feb: 40 h in 1-7 Feb and 40 h in 2-8 Feb, 48 h over the horizon. The cap is per 7 days.
    legal = [
        *rows[:5],
        Assignment("B", FEB + timedelta(5), "D", "KPU"),
        *rows[6:7],
        Assignment("A", days(8)[7], "D", "KPU"),
    ]
    assert validate(inst, legal) == []


def test_validate_reports_leave_busy_and_qualification() -> None:
    voting = BusyPeriod(datetime(2024, 2, 3, 5), datetime(2024, 2, 3, 15), reason="PAM TPS")
    crew = (
        Officer("A", unavailable=(Unavailability(FEB, reason="cuti"),)),
        Officer("B", busy=(voting,)),
        Officer("C"),
    )
    inst = RosterInstance(
        horizon=days(3),
        shifts=three_eight_hour_shifts(),
        posts=(Post("CCTV", 1, exact=True, qualification="cctv"),),
        officers=crew,
    )
    d0, _d1, d2 = inst.horizon
    by_rule = {v.rule: v for v in validate(inst, [Assignment("A", d0, "S", "CCTV")], check_coverage=False)}
    assert set(by_rule) == {Rule.UNAVAILABLE, Rule.QUALIFICATION}
    assert "cuti" in by_rule[Rule.UNAVAILABLE].message
    assert rules_of(inst, [Assignment("B", d2, "P", "CCTV")]) >= {Rule.BUSY}
    # 15:00 end of PAM TPS, 22:00 start of M: 7 h, less than the 8 h rest.
    rest = [
        v
        for v in validate(inst, [Assignment("B", d2, "M", "CCTV")], check_coverage=False)
        if v.rule == Rule.REST
    ]
    assert rest[0].message.startswith(
        "less than 8 h rest between PAM TPS 05:00-15:00 on 3 Feb and 22:00-06:00"
    )


def test_validate_reports_missing_locked_duplicate_and_unknown_rows() -> None:
    lock = Assignment("O0", FEB, "P", "KPU")
    inst = edge_instance(horizon=days(1), locked=(lock,))
    rows = [
        Assignment("O1", FEB, "P", "KPU"),
        Assignment("O1", FEB, "P", "KPU"),
        Assignment("ghost", FEB, "P", "KPU"),
    ]
    assert {Rule.LOCKED, Rule.DUPLICATE, Rule.UNKNOWN} <= rules_of(inst, rows)


# --- solve(): each hard rule holds in the solver's roster -----------------------------------------------


def small_polres(n_officers: int = 14, n_days: int = 7, *, cctv: int = 5, **kwargs: object) -> RosterInstance:
    base: dict[str, object] = dict(
        horizon=days(n_days),
        shifts=three_eight_hour_shifts(),
        posts=(Post("KPU", 2), Post("CCTV", 1, exact=True, qualification="cctv")),
        officers=officers(n_officers, cctv=cctv),
    )
    base.update(kwargs)
    return RosterInstance(**base)  # type: ignore[arg-type]


def test_solve_covers_every_post_shift_and_passes_validate() -> None:
    inst = small_polres()
    result = solve(inst, time_limit=10, seed=1)
    assert result.is_feasible()
    assert validate(inst, result.assignment) == []
    counts = Counter((a.post_id, a.on, a.shift_code) for a in result.assignment)
    assert all(counts[("CCTV", d, s.code)] == 1 for d in inst.horizon for s in inst.shifts)
    assert all(counts[("KPU", d, s.code)] >= 2 for d in inst.horizon for s in inst.shifts)
    assert result.num_variables > 0 and result.num_constraints > 0


def test_cctv_seat_gets_exactly_one_watcher_even_when_surplus_is_free() -> None:
    inst = small_polres(n_days=2, weights=Weights(surplus=0, night_spread=0, weekend_spread=0))
    result = solve(inst, time_limit=10, seed=0)
    cctv = Counter((a.on, a.shift_code) for a in result.assignment if a.post_id == "CCTV")
    assert set(cctv.values()) == {1} and len(cctv) == 6


def test_solve_keeps_locked_assignments_and_respects_leave_and_busy() -> None:
    lock = Assignment("O9", FEB, "M", "KPU")
    crew = list(officers(14, cctv=5))
    crew[3] = Officer("O3", qualifications=CCTV, unavailable=(Unavailability(FEB + timedelta(1)),))
    crew[4] = Officer(
        "O4",
        qualifications=CCTV,
        busy=(BusyPeriod(datetime(2024, 2, 3, 6), datetime(2024, 2, 3, 18), "escort"),),
    )
    inst = small_polres(officers=tuple(crew), locked=(lock,))
    result = solve(inst, time_limit=10, seed=0)
    assert result.is_feasible()
    assert lock in result.assignment
    assert not any(a.officer_id == "O3" and a.on == FEB + timedelta(1) for a in result.assignment)
    o4_on_3_feb = {
        a.shift_code for a in result.assignment if a.officer_id == "O4" and a.on == FEB + timedelta(2)
    }
    assert o4_on_3_feb <= set()  # every shift of 3 Feb is within 8 h of the 06:00-18:00 escort
    assert validate(inst, result.assignment) == []


def test_night_shifts_are_spread_evenly() -> None:
    inst = RosterInstance(
        horizon=days(4), shifts=three_eight_hour_shifts(), posts=(Post("KPU", 1),), officers=officers(4)
    )
    result = solve(inst, time_limit=10, seed=0)
    nights = Counter(a.officer_id for a in result.assignment if a.shift_code == "M")
    assert result.status == Status.OPTIMAL
    assert sorted(nights[o.id] for o in inst.officers) == [1, 1, 1, 1]
    assert result.objective_parts["night_spread"] == 0


def test_requests_are_honoured_when_the_rules_allow() -> None:
    wish = (ShiftRequest(FEB, wants_to_work=False, weight=5), ShiftRequest(FEB + timedelta(1), True, 5, "M"))
    crew = (Officer("A", requests=wish), *officers(4)[1:])
    inst = RosterInstance(
        horizon=days(2), shifts=three_eight_hour_shifts(), posts=(Post("KPU", 1),), officers=crew
    )
    result = solve(inst, time_limit=10, seed=0)
    a_rows = {(a.on, a.shift_code) for a in result.assignment if a.officer_id == "A"}
    assert not any(on == FEB for on, _ in a_rows)
    assert (FEB + timedelta(1), "M") in a_rows
    assert result.objective_parts["requests"] == 0


def test_two_twelve_hour_shifts_and_weekly_cap_per_officer() -> None:
    crew = (Officer("A", max_hours_per_week=24), *officers(4)[1:])
    inst = RosterInstance(
        horizon=days(7), shifts=two_twelve_hour_shifts(), posts=(Post("GUDANG", 1),), officers=crew
    )
    result = solve(inst, time_limit=10, seed=0)
    assert result.is_feasible()
    assert sum(a.officer_id == "A" for a in result.assignment) <= 2
    assert validate(inst, result.assignment) == []


def test_resolve_with_two_officers_sick_keeps_every_post_covered_and_most_rows() -> None:
    inst = small_polres()
    first = solve(inst, time_limit=10, seed=0)
    sick_days = days(3, FEB + timedelta(2))
    sick = make_unavailable(inst, officer_ids=["O6", "O7"], dates=sick_days)
    second = solve(sick, time_limit=10, seed=0, previous=first.assignment)
    assert second.is_feasible()
    assert validate(sick, second.assignment) == []
    assert not any(a.officer_id in {"O6", "O7"} and a.on in sick_days for a in second.assignment)
    kept = set(first.assignment) & set(second.assignment)
    lost = [a for a in first.assignment if a.officer_id in {"O6", "O7"} and a.on in sick_days]
    # The sick officers' rows must move; the roster keeps most of the rest (rest and weekly hours ripple).
    assert len(kept) >= len(first.assignment) - 3 * len(lost)


# --- diagnose(): the right post-shift and the right rule ------------------------------------------------


def test_diagnosis_names_missing_qualification() -> None:
    inst = small_polres(n_days=1, cctv=0)
    result = solve(inst, time_limit=10, seed=0)
    assert result.status == Status.INFEASIBLE and result.diagnosis is not None
    gaps = {(u.post_id, u.shift_code): u for u in result.diagnosis.uncovered}
    assert set(gaps) == {("CCTV", "P"), ("CCTV", "S"), ("CCTV", "M")}
    assert all(u.rules == (Rule.QUALIFICATION,) for u in gaps.values())
    assert "not enough qualified officers: 0 hold 'cctv', 1 needed" in gaps[("CCTV", "P")].reason


def test_diagnosis_names_the_officer_on_leave() -> None:
    crew = (Officer("A"), Officer("B", unavailable=(Unavailability(FEB + timedelta(1), "P", reason="cuti"),)))
    inst = RosterInstance(
        horizon=days(2), shifts=(ShiftType("P", 6, 8),), posts=(Post("KPU", 2),), officers=crew
    )
    result = solve(inst, time_limit=10, seed=0)
    assert result.diagnosis is not None
    [gap] = result.diagnosis.uncovered
    assert (gap.post_id, gap.on, gap.shift_code, gap.missing) == ("KPU", FEB + timedelta(1), "P", 1)
    assert gap.rules == (Rule.UNAVAILABLE,)
    assert "B (leave)" in gap.reason


def test_diagnosis_names_the_rest_rule_with_the_clash() -> None:
    day, night = ShiftType("D", 8, 12), ShiftType("N", 20, 12)
    d0, d1 = days(2)
    locks = (Assignment("A", d0, "D", "KPU"), Assignment("B", d0, "N", "KPU"))
    inst = RosterInstance(
        horizon=(d0, d1),
        shifts=(day, night),
        posts=(Post("KPU", 1),),
        officers=(Officer("A"), Officer("B")),
        locked=locks,
        rules=Rules(min_rest_hours=13),
    )
    result = solve(inst, time_limit=10, seed=0)
    assert result.diagnosis is not None
    [gap] = result.diagnosis.uncovered
    assert (gap.on, gap.shift_code) == (d1, "D")
    assert gap.rules == (Rule.REST,)
    assert "less than 13 h rest between" in gap.reason and "08:00-20:00 on 2 Feb" in gap.reason


def test_diagnosis_names_one_shift_per_day_when_two_watchers_must_cover_three_shifts() -> None:
    inst = RosterInstance(
        horizon=days(1),
        shifts=three_eight_hour_shifts(),
        posts=(Post("CCTV", 1, exact=True, qualification="cctv"),),
        officers=officers(5, cctv=2),
    )
    result = solve(inst, time_limit=10, seed=0)
    assert result.diagnosis is not None
    [gap] = result.diagnosis.uncovered
    assert gap.post_id == "CCTV" and gap.missing == 1
    assert Rule.ONE_SHIFT_PER_DAY in gap.rules and Rule.QUALIFICATION in gap.rules
    assert Rule.REST not in gap.rules
    # The partial roster keeps every rule and fills the other two shifts.
    assert len(result.diagnosis.partial_assignment) == 2


def test_diagnosis_names_weekly_hours() -> None:
    inst = RosterInstance(
        horizon=days(7),
        shifts=(ShiftType("D", 8, 8),),
        posts=(Post("GUDANG", 1),),
        officers=(Officer("A", max_hours_per_week=40),),
    )
    result = solve(inst, time_limit=10, seed=0)
    assert result.diagnosis is not None
    assert len(result.diagnosis.uncovered) == 2
    assert all(u.rules == (Rule.WEEKLY_HOURS,) for u in result.diagnosis.uncovered)
    assert "max 40 h" in result.diagnosis.uncovered[0].reason


def test_diagnosis_reports_locked_assignments_that_break_a_rule() -> None:
    crew = (Officer("A", unavailable=(Unavailability(FEB),)), Officer("B"))
    inst = RosterInstance(
        horizon=days(1),
        shifts=(ShiftType("P", 6, 8),),
        posts=(Post("KPU", 1),),
        officers=crew,
        locked=(Assignment("A", FEB, "P", "KPU"),),
    )
    result = solve(inst, time_limit=10, seed=0)
    assert result.status == Status.INFEASIBLE and result.diagnosis is not None
    assert [v.rule for v in result.diagnosis.locked_conflicts] == [Rule.UNAVAILABLE]


def test_two_sick_cctv_watchers_leave_named_gaps() -> None:
    inst = small_polres(n_days=1, cctv=3)
    assert solve(inst, time_limit=10, seed=0).is_feasible()
    result = solve(make_unavailable(inst, officer_ids=["O0", "O1"]), time_limit=10, seed=0)
    assert result.status == Status.INFEASIBLE and result.diagnosis is not None
    # One watcher left for three shifts: one shift a day leaves two CCTV shifts empty.
    gaps = result.diagnosis.uncovered
    assert [(g.post_id, g.missing) for g in gaps] == [("CCTV", 1), ("CCTV", 1)]
    # Dropping one-shift-a-day fills only one gap (P and M are 8 h apart, S is not): it is named there only.
    assert sum(Rule.ONE_SHIFT_PER_DAY in g.rules for g in gaps) == 1
    for gap in gaps:
        assert {Rule.UNAVAILABLE, Rule.QUALIFICATION} <= set(gap.rules)
        assert "O0 is unavailable (sick)" in gap.reason or "O1 is unavailable (sick)" in gap.reason
    assert "CCTV" in result.diagnosis.summary()


# --- check_swap() / check_reassign(): edits on the board ------------------------------------------------


def test_reassign_refused_for_less_than_8_hours_rest_with_the_reason() -> None:
    inst = edge_instance()
    d0, d1 = inst.horizon
    rows = [
        Assignment("O0", d0, "P", "KPU"),
        Assignment("O1", d0, "E", "KPU"),
        Assignment("O0", d1, "P", "KPU"),
        Assignment("O1", d1, "E", "KPU"),
    ]
    check = check_reassign(inst, rows, row=rows[2], to_officer_id="O1")
    assert not check.allowed
    assert "less than 8 h rest between 16:00-24:00 on 3 Feb and 06:00-14:00 on 4 Feb (6 h)" in check.reason


def test_swap_allowed_when_rules_hold_and_refused_for_qualification() -> None:
    inst = RosterInstance(
        horizon=days(1),
        shifts=(ShiftType("P", 6, 8),),
        posts=(Post("KPU", 1), Post("CCTV", 1, exact=True, qualification="cctv")),
        officers=(Officer("A", qualifications=CCTV), Officer("B"), Officer("C", qualifications=CCTV)),
    )
    rows = [Assignment("A", FEB, "P", "CCTV"), Assignment("B", FEB, "P", "KPU")]
    refused = check_swap(inst, rows, first=rows[0], second=rows[1])
    assert not refused.allowed and [v.rule for v in refused.violations] == [Rule.QUALIFICATION]
    allowed = check_reassign(inst, rows, row=rows[0], to_officer_id="C")
    assert allowed.allowed and Assignment("C", FEB, "P", "CCTV") in allowed.assignment
    with pytest.raises(ValueError):
        check_reassign(inst, rows, row=Assignment("C", FEB, "P", "KPU"), to_officer_id="A")
