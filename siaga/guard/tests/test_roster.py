"""Rosters: staffing rules, re-solve after sickness, infeasibility named by post-shift and rule, swaps, locks."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from siaga.core.errors import ValidationFailed
from siaga.core.models import AuditEvent
from siaga.guard import engine as bridge
from siaga.guard import services
from siaga.guard.models import Post, Roster, SwapRequest
from siaga.optimization import roster as engine
from siaga.personnel.models import Personnel


def _covered(roster: Roster) -> bool:
    instance = bridge.build_instance(roster)
    return not engine.validate(instance, bridge.assignment_rows(roster))


def test_requirement_rules_h5_and_active_from(kpu_post: Post, cctv_post: Post) -> None:
    services.add_requirement(actor=None, post=kpu_post, required=4, from_h_day=-5)
    kpu_post.active_from = dt.date(2024, 2, 1)
    ctx = bridge.Context(
        voting_on=dt.date(2024, 2, 14), stage_ranges={}, level_on={dt.date(2024, 2, 12): "siaga1"}
    )
    rules = list(kpu_post.requirements.all())
    assert bridge.required_on(kpu_post, rules, dt.date(2024, 1, 31), "P", ctx) == 0
    assert bridge.required_on(kpu_post, rules, dt.date(2024, 2, 8), "P", ctx) == 1
    assert bridge.required_on(kpu_post, rules, dt.date(2024, 2, 9), "P", ctx) == 4
    services.add_requirement(actor=None, post=kpu_post, required=6, min_siaga_level="siaga1", priority=20)
    rules = list(kpu_post.requirements.all())
    assert bridge.required_on(kpu_post, rules, dt.date(2024, 2, 12), "P", ctx) == 6
    assert bridge.required_on(kpu_post, rules, dt.date(2024, 2, 11), "P", ctx) == 4
    with pytest.raises(ValidationFailed):
        services.add_requirement(actor=None, post=cctv_post, required=2)


def test_solved_roster_is_legal_and_audited(small_roster: Roster) -> None:
    assert small_roster.status == Roster.Status.PUBLISHED
    assert _covered(small_roster)
    assert small_roster.assignments.count() == 3 * 3 * 2
    assert AuditEvent.objects.filter(object_type="guard.roster", object_id=str(small_roster.pk)).exists()


def test_two_officers_unavailable_resolve_keeps_every_post_covered(small_roster: Roster) -> None:
    before = set(small_roster.assignments.values_list("personnel_id", "on", "shift_code", "post_id"))
    sick = list(small_roster.officers.order_by("pk")[:2])
    services.make_unavailable(actor=None, roster=small_roster, personnel=sick)
    result = services.compute_roster(roster=small_roster, time_limit=3)
    small_roster.refresh_from_db()
    assert result.is_feasible()
    assert _covered(small_roster)
    assert not small_roster.assignments.filter(personnel__in=sick).exists()
    after = set(small_roster.assignments.values_list("personnel_id", "on", "shift_code", "post_id"))
    assert before & after  # the re-solve stays close to the first roster


def test_too_many_unavailable_names_the_post_shift_and_rule(
    polres: Any, cctv_post: Post, make_officer: Callable[..., Personnel]
) -> None:
    people = [make_officer() for _ in range(4)]
    roster = services.create_roster(
        actor=None,
        name="Kecil",
        polres=polres,
        starts_on=dt.date(2024, 2, 13),
        ends_on=dt.date(2024, 2, 14),
        posts=[cctv_post],
        officers=people,
        time_limit_s=5,
    )
    services.make_unavailable(actor=None, roster=roster, personnel=people[:2], dates=[dt.date(2024, 2, 14)])
    result = services.compute_roster(roster=roster, time_limit=5)
    roster.refresh_from_db()
    assert result.status == engine.Status.INFEASIBLE
    assert roster.status == Roster.Status.INFEASIBLE
    gaps = [d for d in roster.diagnosis if d.get("missing")]
    assert gaps and all(d["post"] == "CCTV KPU" and d["on"] == "2024-02-14" for d in gaps)
    assert any(set(d["rules"]) & {"unavailable", "rest", "one_shift_per_day"} for d in gaps)


def _row(roster: Roster, on: dt.date, code: str, post: Post) -> Any:
    return roster.assignments.filter(on=on, shift_code=code, post=post).order_by("pk").first()


def test_swap_leaving_less_than_8h_rest_is_refused_with_the_reason(
    small_roster: Roster, cctv_post: Post
) -> None:
    # The watcher of the night shift (M, 22-06) on 12 Feb takes the other's 06-14 shift on 13 Feb: 0 h rest.
    night = _row(small_roster, dt.date(2024, 2, 12), "M", cctv_post)
    morning = (
        small_roster.assignments.filter(on=dt.date(2024, 2, 13), shift_code="P")
        .exclude(personnel=night.personnel)
        .first()
    )
    with pytest.raises(ValidationFailed) as err:
        services.request_swap(actor=None, first=morning, to_personnel=night.personnel)
    assert "istirahat kurang dari 8 jam" in err.value.message and "less than 8 h rest" in err.value.message
    assert "rest" in err.value.fields["rules"]
    refused = SwapRequest.objects.get()
    assert refused.status == SwapRequest.Status.REFUSED and "8" in refused.reason


def test_legal_swap_is_requested_then_approved(small_roster: Roster, kpu_post: Post, kabagops: Any) -> None:
    first = _row(small_roster, dt.date(2024, 2, 12), "S", kpu_post)
    # Six of the eight officers work each day, so two are free on 12 Feb; 22:00 to 06:00 is exactly 8 h.
    busy = small_roster.assignments.filter(on=dt.date(2024, 2, 12)).values_list("personnel_id", flat=True)
    free = small_roster.officers.exclude(pk__in=list(busy)).order_by("pk").first()
    assert free is not None
    swap = services.request_swap(actor=kabagops, first=first, to_personnel=free)
    assert swap.status == SwapRequest.Status.REQUESTED
    services.approve_swap(actor=kabagops, swap=swap)
    first.refresh_from_db()
    assert first.personnel_id == free.pk
    assert _covered(small_roster)


def test_locked_assignment_stays_on_resolve(small_roster: Roster, kpu_post: Post) -> None:
    row = _row(small_roster, dt.date(2024, 2, 14), "P", kpu_post)
    services.set_locked(actor=None, assignment=row, locked=True)
    services.compute_roster(roster=small_roster, time_limit=2)
    assert small_roster.assignments.filter(pk=row.pk, is_locked=True, personnel=row.personnel).exists()
    assert (
        Counter(small_roster.assignments.values_list("on", "shift_code", "post_id")).most_common(1)[0][1] == 1
    )


def test_two_shift_swap_is_applied_and_kept_on_record(
    small_roster: Roster, kpu_post: Post, cctv_post: Post, kabagops: Any
) -> None:
    first = _row(small_roster, dt.date(2024, 2, 13), "P", kpu_post)
    second = _row(small_roster, dt.date(2024, 2, 13), "P", cctv_post)
    a, b = first.personnel_id, second.personnel_id
    swap = services.request_swap(actor=kabagops, first=first, second=second)
    services.approve_swap(actor=kabagops, swap=swap)
    assert SwapRequest.objects.get(pk=swap.pk).status == SwapRequest.Status.APPROVED
    assert _row(small_roster, dt.date(2024, 2, 13), "P", kpu_post).personnel_id == b
    assert _row(small_roster, dt.date(2024, 2, 13), "P", cctv_post).personnel_id == a
    assert _covered(small_roster)
