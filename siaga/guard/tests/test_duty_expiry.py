"""Open duty ends at the shift end plus a grace period; a far check-out needs confirming and is flagged
(issue 14 item 5: officers showed present from two-year-old check-ins; a check-out 18 km away was accepted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from siaga.core.errors import ValidationFailed
from siaga.core.models import AuditEvent
from siaga.guard import services
from siaga.guard.alerts import DUTY_GRACE_MINUTES, posts_now
from siaga.guard.engine import to_aware
from siaga.guard.models import CheckIn, Post, Roster
from siaga.personnel.models import Personnel


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return to_aware(dt.datetime(2024, 2, day, hour, minute))


def _on_shift(roster: Roster, post: Post, when: dt.datetime) -> Any:
    return roster.assignments.filter(post=post, starts_at__lte=when, ends_at__gt=when).first()


def test_an_open_check_in_stops_counting_after_its_shift_end_plus_grace(
    small_roster: Roster, kpu_post: Post
) -> None:
    shift = _on_shift(small_roster, kpu_post, at(13, 7))
    lat, lng = kpu_post.position
    services.check_in(actor=None, post=kpu_post, personnel=shift.personnel, lat=lat, lng=lng, now=at(13, 7))
    grace = dt.timedelta(minutes=DUTY_GRACE_MINUTES)
    (row,) = posts_now([kpu_post], now=shift.ends_at + grace - dt.timedelta(minutes=1))
    assert [c.personnel_id for c in row.present] == [shift.personnel_id]
    (row,) = posts_now([kpu_post], now=shift.ends_at + grace + dt.timedelta(minutes=1))
    assert row.present == []
    # Two years later the officer is certainly not there.
    (row,) = posts_now([kpu_post], now=at(13, 7) + dt.timedelta(days=730))
    assert row.present == []


def test_an_unrostered_check_in_expires_too_and_the_officer_can_check_in_again(
    kpu_post: Post, make_officer: Callable[..., Personnel]
) -> None:
    officer = make_officer()
    lat, lng = kpu_post.position
    old = services.check_in(actor=None, post=kpu_post, personnel=officer, lat=lat, lng=lng, now=at(13, 7))
    assert old.assignment is None
    (row,) = posts_now([kpu_post], now=at(13, 8))
    assert len(row.present) == 1
    later = at(13, 7) + dt.timedelta(days=730)
    (row,) = posts_now([kpu_post], now=later)
    assert row.present == []
    # The stale row no longer blocks a new check-in; it is closed by the system, at its duty end.
    new = services.check_in(actor=None, post=kpu_post, personnel=officer, lat=lat, lng=lng, now=later)
    old.refresh_from_db()
    assert old.closed_by_system and old.checked_out_at is not None and old.checked_out_at < later
    assert new.is_open


def test_refresh_alerts_closes_stale_check_ins(
    kpu_post: Post, make_officer: Callable[..., Personnel]
) -> None:
    lat, lng = kpu_post.position
    old = services.check_in(
        actor=None, post=kpu_post, personnel=make_officer(), lat=lat, lng=lng, now=at(13, 7)
    )
    services.refresh_alerts(now=at(15, 7))
    old.refresh_from_db()
    assert old.closed_by_system and old.checked_out_at == old.duty_ends_at
    assert AuditEvent.objects.filter(
        object_type="guard.checkin", object_id=str(old.pk), action="update"
    ).exists()


def test_a_far_check_out_needs_confirming_and_is_flagged(
    small_roster: Roster, kpu_post: Post, client_for: Callable[..., Client], kabagops: Any
) -> None:
    now = timezone.now()
    lat, lng = kpu_post.position
    officer = _on_shift(small_roster, kpu_post, at(13, 7)).personnel
    checkin = services.check_in(actor=None, post=kpu_post, personnel=officer, lat=lat, lng=lng, now=now)
    far = lat + 0.16  # about 18 km north
    with pytest.raises(ValidationFailed) as err:
        services.check_out(actor=None, checkin=checkin, lat=far, lng=lng)
    assert err.value.code == "far_checkout"
    assert CheckIn.objects.get(pk=checkin.pk).is_open
    # Through the page: the officer is asked to confirm, then it is saved and flagged.
    client = client_for(kabagops)
    url = reverse("guard:check_out", args=[kpu_post.pk, checkin.pk])
    page = client.post(url, {"lat": str(far), "lng": str(lng)}, follow=True).content.decode()
    assert CheckIn.objects.get(pk=checkin.pk).is_open
    assert 'name="confirm_far"' in page and "km" in page
    client.post(url, {"lat": str(far), "lng": str(lng), "confirm_far": "1"})
    checkin.refresh_from_db()
    assert not checkin.is_open and checkin.far_checkout
    assert 17_000 < checkin.out_distance_m < 19_000
    event = AuditEvent.objects.filter(object_type="guard.checkin", object_id=str(checkin.pk)).latest("pk")
    assert event.after["out_distance_m"] == pytest.approx(checkin.out_distance_m)
    detail = client.get(reverse("guard:post_detail", args=[kpu_post.pk])).content.decode()
    assert "far-checkout" in detail
