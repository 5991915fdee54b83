"""The Jember demo guard: every post-shift covered, every hard rule kept (engine validate() plus our own check)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from typing import Any

import pytest

from siaga.core.demo import demo_date
from siaga.guard import demo
from siaga.guard.engine import Context, build_instance, required_on
from siaga.guard.models import Alert, CheckIn, Handover, Post, Roster
from siaga.personnel.models import Personnel


@pytest.fixture
def loaded(demo_personnel: list[Personnel], monkeypatch: pytest.MonkeyPatch) -> Roster:
    monkeypatch.setattr(demo, "SOLVE_SECONDS", 5.0)
    demo.load_demo(report=lambda p, m="": None)
    return Roster.objects.get()


def test_demo_roster_covers_every_post_shift_and_keeps_every_rule(loaded: Roster) -> None:
    roster = loaded
    assert roster.status == Roster.Status.PUBLISHED
    assert roster.starts_on == demo_date(2024, 1, 16) and roster.ends_on == demo_date(2024, 2, 14)
    assert demo.check_demo_roster(roster) == []

    # Our own re-check, from the tables, of the rules a guard commander cares about most.
    rows = list(roster.assignments.select_related("post"))
    staffed = Counter((a.post_id, a.on, a.shift_code) for a in rows)
    ctx = Context(voting_on=demo_date(2024, 2, 14), stage_ranges={}, level_on={})
    posts = {p.pk: (p, list(p.requirements.all())) for p in roster.posts.all()}
    assert {p.code for p, _ in posts.values()} == {
        "kpu-jember-pos",
        "kpu-jember-cctv",
        "bawaslu-jember-pos",
        "gudang-kpu-gerbang",
    }
    for day in (roster.starts_on + dt.timedelta(days=i) for i in range(30)):
        for code in ("P", "S", "M"):
            for pk, (post, rules) in posts.items():
                need = required_on(post, rules, day, code, ctx)
                got = staffed[(pk, day, code)]
                if post.is_cctv:
                    assert got == need == 1, (post.code, day, code)
                else:
                    assert got >= need, (post.code, day, code, got, need)
    kpu = next(p for p, _ in posts.values() if p.code == "kpu-jember-pos")
    assert (
        staffed[(kpu.pk, demo_date(2024, 2, 8), "P")] >= 2
        and staffed[(kpu.pk, demo_date(2024, 2, 9), "P")] >= 4
    )
    gudang = next(p for p, _ in posts.values() if p.code == "gudang-kpu-gerbang")
    assert (
        staffed[(gudang.pk, demo_date(2024, 1, 19), "P")] == 0
        and staffed[(gudang.pk, demo_date(2024, 1, 20), "P")] >= 2
    )

    # One shift a day and at least 8 h between the end of one shift and the start of the next, per officer.
    per_officer: dict[int, list[Any]] = defaultdict(list)
    for a in rows:
        per_officer[a.personnel_id].append(a)
    for shifts in per_officer.values():
        shifts.sort(key=lambda a: a.starts_at)
        assert len({a.on for a in shifts}) == len(shifts)
        for before, after in itertools.pairwise(shifts):
            assert after.starts_at - before.ends_at >= dt.timedelta(hours=8)
    # Qualifications: the CCTV seat only for CCTV operators, the warehouse gate only for armed officers.
    instance = build_instance(roster)
    quals = {o.id: o.qualifications for o in instance.officers}
    for a in rows:
        if a.post.qualification:
            assert a.post.qualification in quals[str(a.personnel_id)]


def test_demo_has_check_ins_handovers_and_alerts(loaded: Roster) -> None:
    assert CheckIn.objects.count() >= 5
    assert (
        Handover.objects.filter(outgoing_signed_at__isnull=False, incoming_signed_at__isnull=False).count()
        == 2
    )
    kinds = set(Alert.objects.values_list("kind", flat=True))
    assert {Alert.Kind.CCTV_EMPTY, Alert.Kind.UNSTAFFED, Alert.Kind.HANDOVER_MISSED} <= kinds
    assert Post.objects.get(code="gudang-kpu-gerbang").vital_object.location_quality == "approximate"


def test_demo_without_personnel_creates_nothing(db: Any) -> None:
    demo.load_demo(report=lambda p, m="": None)
    assert not Post.objects.exists() and not Roster.objects.exists()


def test_live_demo_has_guards_on_duty_now(
    demo_personnel: list[Personnel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unpinned (as `siaga demo` runs): the roster runs through today and the shift on duty now has checked in."""
    from django.test import override_settings
    from django.utils import timezone

    monkeypatch.setattr(demo, "SOLVE_SECONDS", 5.0)
    with override_settings(SIAGA_DEMO_VOTING_DAY="", SIAGA_DEMO_VOTING_IN_DAYS=3):
        demo.load_demo(report=lambda p, m="": None)
    now = timezone.now()
    today = timezone.localdate()
    roster = Roster.objects.get()
    assert roster.ends_on == today + dt.timedelta(days=3) and roster.starts_on <= today
    open_checkins = CheckIn.objects.filter(checked_out_at__isnull=True)
    assert open_checkins.count() >= 3
    assert not CheckIn.objects.filter(checked_in_at__gt=now).exists()
    # They are the shift on duty at this moment.
    on_duty = roster.assignments.filter(starts_at__lte=now, ends_at__gt=now)
    assert set(open_checkins.values_list("personnel_id", flat=True)) <= set(
        on_duty.values_list("personnel_id", flat=True)
    )
