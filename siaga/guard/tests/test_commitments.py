"""Guard posts as an incident commitment provider: a unit is held back while its officers are rostered on a post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from siaga.guard.commitments import GuardPostProvider
from siaga.guard.models import Assignment, Post, Roster
from siaga.incidents import commitments, selectors
from siaga.incidents.tests.factories import make_incident, make_unit
from siaga.personnel.models import Personnel
from siaga.territory.models import PoliceUnit

# A day shift at the KPU Jember post, 06:00-14:00 WIB.
SHIFT_START = dt.datetime(2024, 2, 12, 6, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
DURING = SHIFT_START + dt.timedelta(hours=3)


def roster_shift(
    polres: PoliceUnit,
    post: Post,
    officers: list[Personnel],
    *,
    starts_at: dt.datetime = SHIFT_START,
    status: str = Roster.Status.PUBLISHED,
) -> Roster:
    """A roster with one 8-hour shift of the given officers at the post."""
    day = timezone.localtime(starts_at).date()
    roster = Roster.objects.create(
        name="Uji komitmen", polres=polres, starts_on=day, ends_on=day, status=status
    )
    Assignment.objects.bulk_create(
        [
            Assignment(
                roster=roster,
                post=post,
                personnel=o,
                on=day,
                shift_code="P",
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=8),
            )
            for o in officers
        ]
    )
    return roster


@pytest.fixture
def post_of_two(kpu_post: Post) -> Post:
    Post.objects.filter(pk=kpu_post.pk).update(name="Pos Jaga KPU Jember", required=2)
    kpu_post.refresh_from_db()
    return kpu_post


def test_the_guard_app_declares_the_provider(db: Any) -> None:
    assert any(isinstance(p, GuardPostProvider) for p in commitments.providers())


def test_a_unit_taking_rostered_officers_is_held_back_during_the_shift(
    polres: PoliceUnit,
    post_of_two: Post,
    make_officer: Callable[..., Personnel],
    django_assert_max_num_queries: Any,
) -> None:
    a, b, c = make_officer(), make_officer(), make_officer()
    roster_shift(polres, post_of_two, [a, b])
    members = {1: [a.pk, b.pk], 2: [b.pk, c.pk], 3: [c.pk], 4: []}
    with django_assert_max_num_queries(1):
        blocked = GuardPostProvider().blocked_units(members=members, at=DURING)
    assert set(blocked) == {1, 2}
    assert blocked[1] == "Pos Jaga KPU Jember: 2 dari 2 petugas jaga akan ditarik (minimum 2)"
    assert blocked[2] == "Pos Jaga KPU Jember: 1 dari 2 petugas jaga akan ditarik (minimum 2)"


def test_nothing_is_held_back_outside_the_shift_or_on_an_unpublished_roster(
    polres: PoliceUnit, post_of_two: Post, make_officer: Callable[..., Personnel]
) -> None:
    a, b, d = make_officer(), make_officer(), make_officer()
    roster_shift(polres, post_of_two, [a, b])
    provider = GuardPostProvider()
    for at in (SHIFT_START - dt.timedelta(minutes=1), SHIFT_START + dt.timedelta(hours=8)):
        assert provider.blocked_units(members={1: [a.pk, b.pk]}, at=at) == {}
    assert (
        provider.blocked_units(members={1: [a.pk]}, at=SHIFT_START) != {}
    )  # the shift's first minute counts

    roster_shift(polres, post_of_two, [d], starts_at=SHIFT_START + dt.timedelta(days=1), status="ready")
    assert provider.blocked_units(members={1: [d.pk]}, at=DURING + dt.timedelta(days=1)) == {}


def test_an_inactive_post_holds_nobody(
    polres: PoliceUnit, post_of_two: Post, make_officer: Callable[..., Personnel]
) -> None:
    a = make_officer()
    roster_shift(polres, post_of_two, [a])
    Post.objects.filter(pk=post_of_two.pk).update(is_active=False)
    assert GuardPostProvider().blocked_units(members={1: [a.pk]}, at=DURING) == {}


def test_the_recommendation_does_not_propose_a_unit_holding_the_post(
    kabagops: Any, polres: PoliceUnit, post_of_two: Post, make_officer: Callable[..., Personnel]
) -> None:
    a, b, c = make_officer(), make_officer(), make_officer()
    now = timezone.now()
    roster_shift(polres, post_of_two, [a, b], starts_at=now - dt.timedelta(hours=1))
    incident = make_incident(actor=kabagops)
    make_unit(call_sign="TMP-JAGA", offset=(0.001, 0.0), members=[a.pk, c.pk])
    make_unit(call_sign="TMP-BEBAS", offset=(0.01, 0.0), members=[c.pk])
    rec = selectors.recommend_units(kabagops, incident)
    assert [r.unit.call_sign for r in rec.units] == ["TMP-BEBAS"]
    assert rec.held_back == {
        "TMP-JAGA": "Pos Jaga KPU Jember: 1 dari 2 petugas jaga akan ditarik (minimum 2)"
    }
