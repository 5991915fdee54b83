"""At the post: check-in by GPS within the radius, handover signed by both, alerts on a controlled clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from siaga.core.errors import Conflict, ValidationFailed
from siaga.guard import services
from siaga.guard.alerts import compute_alerts
from siaga.guard.engine import to_aware
from siaga.guard.models import Alert, Post, Roster


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return to_aware(dt.datetime(2024, 2, day, hour, minute))


def _on_shift(roster: Roster, post: Post, when: dt.datetime) -> Any:
    return (
        roster.assignments.filter(post=post, starts_at__lte=when, ends_at__gt=when)
        .select_related("personnel")
        .first()
    )


def test_check_in_refused_far_from_the_post(small_roster: Roster, kpu_post: Post) -> None:
    officer = _on_shift(small_roster, kpu_post, at(13, 7)).personnel
    lat, lng = kpu_post.position
    with pytest.raises(ValidationFailed) as err:
        services.check_in(
            actor=None, post=kpu_post, personnel=officer, lat=lat + 0.01, lng=lng, now=at(13, 7)
        )
    assert err.value.code == "too_far" and "150" in err.value.message
    c = services.check_in(
        actor=None, post=kpu_post, personnel=officer, lat=lat + 0.0005, lng=lng, now=at(13, 7)
    )
    assert c.distance_m < 150 and c.assignment is not None
    with pytest.raises(Conflict):
        services.check_in(actor=None, post=kpu_post, personnel=officer, lat=lat, lng=lng, now=at(13, 7, 5))


def test_empty_cctv_seat_raises_an_alert_after_the_set_time(small_roster: Roster, cctv_post: Post) -> None:
    cctv_post.empty_alert_minutes = 10
    cctv_post.save()
    watcher = _on_shift(small_roster, cctv_post, at(13, 7)).personnel
    lat, lng = cctv_post.position
    c = services.check_in(actor=None, post=cctv_post, personnel=watcher, lat=lat, lng=lng, now=at(13, 6, 1))
    assert not [a for a in compute_alerts(now=at(13, 9)) if a.kind == Alert.Kind.CCTV_EMPTY]
    services.check_out(actor=None, checkin=c, now=at(13, 10))
    assert not [a for a in compute_alerts(now=at(13, 10, 9)) if a.kind == Alert.Kind.CCTV_EMPTY]
    alerts = [a for a in compute_alerts(now=at(13, 10, 11)) if a.kind == Alert.Kind.CCTV_EMPTY]
    assert len(alerts) == 1 and alerts[0].since == at(13, 10) and alerts[0].post_id == cctv_post.pk

    stored = services.refresh_alerts(now=at(13, 10, 11))
    assert stored["created"] >= 1
    assert services.refresh_alerts(now=at(13, 10, 12))["created"] == 0  # idempotent
    # The watcher comes back: the alert closes.
    services.check_in(actor=None, post=cctv_post, personnel=watcher, lat=lat, lng=lng, now=at(13, 10, 20))
    services.refresh_alerts(now=at(13, 10, 21))
    assert Alert.objects.get(kind=Alert.Kind.CCTV_EMPTY).resolved_at == at(13, 10, 21)


def test_unstaffed_post_and_missed_handover(small_roster: Roster, kpu_post: Post) -> None:
    kinds = {a.kind for a in compute_alerts(now=at(13, 6, 10)) if a.post_id == kpu_post.pk}
    assert kinds == set()  # within the grace minutes
    kinds = {a.kind for a in compute_alerts(now=at(13, 6, 40)) if a.post_id == kpu_post.pk}
    assert kinds == {Alert.Kind.UNSTAFFED, Alert.Kind.HANDOVER_MISSED}
    outgoing = _on_shift(small_roster, kpu_post, at(13, 5)).personnel
    incoming = _on_shift(small_roster, kpu_post, at(13, 7)).personnel
    lat, lng = kpu_post.position
    services.check_in(actor=None, post=kpu_post, personnel=incoming, lat=lat, lng=lng, now=at(13, 6, 2))
    with pytest.raises(ValidationFailed):
        services.record_handover(
            actor=None,
            post=kpu_post,
            shift_boundary_at=at(13, 6),
            outgoing=outgoing,
            incoming=incoming,
            outgoing_nrp="00000000",
            inventory_complete=True,
        )
    h = services.record_handover(
        actor=None,
        post=kpu_post,
        shift_boundary_at=at(13, 6),
        outgoing=outgoing,
        incoming=incoming,
        outgoing_nrp=outgoing.nrp,
        inventory_complete=True,
        logbook_entries=3,
        events="aman",
    )
    assert not h.is_signed
    services.sign_handover(actor=None, handover=h, nrp=incoming.nrp)
    h.refresh_from_db()
    assert h.is_signed
    assert not [a for a in compute_alerts(now=at(13, 6, 40)) if a.post_id == kpu_post.pk]


def test_cctv_handover_needs_the_cctv_state(small_roster: Roster, cctv_post: Post) -> None:
    outgoing = _on_shift(small_roster, cctv_post, at(13, 5)).personnel
    incoming = _on_shift(small_roster, cctv_post, at(13, 7)).personnel
    with pytest.raises(ValidationFailed):
        services.record_handover(
            actor=None,
            post=cctv_post,
            shift_boundary_at=at(13, 6),
            outgoing=outgoing,
            incoming=incoming,
            outgoing_nrp=outgoing.nrp,
            inventory_complete=True,
        )
