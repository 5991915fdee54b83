"""The Jember demo: two weeks of synthetic reports in every state, duplicates, consistent units."""

from __future__ import annotations

import pytest
from django.db.models import Count

from siaga.incidents.demo import load_demo
from siaga.incidents.models import Dispatch, Incident, ResponseUnit, Status

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_category_and_is_synthetic() -> None:
    load_demo(report=lambda p, m="": None)
    qs = Incident.objects.all()
    assert qs.count() == 160 and not qs.filter(is_synthetic=False).exists()
    assert set(qs.values_list("status", flat=True)) == set(Status.values)
    assert qs.values("category").distinct().count() == 8
    span = qs.order_by("reported_at").first().reported_at, qs.order_by("reported_at").last().reported_at
    assert 10 <= (span[1] - span[0]).days <= 14
    dups = qs.filter(status=Status.DUPLICATE)
    assert dups.count() >= 5 and not dups.filter(duplicate_of=None).exists()
    assert not qs.filter(kecamatan=None).exists()
    # Timestamps follow the states; units on a job point at an open incident.
    assert not qs.filter(status=Status.CLOSED, closed_at=None).exists()
    assert not qs.filter(dispatched_at__lt=models_reported()).exists()
    for unit in ResponseUnit.objects.exclude(current_incident=None).select_related("current_incident"):
        assert unit.current_incident.status in (Status.DISPATCHED, Status.ON_SCENE)
    assert Dispatch.objects.count() > 20
    assert ResponseUnit.objects.filter(status=ResponseUnit.UnitStatus.AVAILABLE).count() > 20
    assert qs.values("receipt").annotate(n=Count("id")).filter(n__gt=1).count() == 0
    load_demo(report=lambda p, m="": None)  # running it again changes nothing
    assert Incident.objects.count() == 160


def models_reported():  # type: ignore[no-untyped-def]
    from django.db.models import F

    return F("reported_at")


def test_live_demo_reports_are_recent_never_ahead_and_feed_the_response_times(admin_user: object) -> None:
    """Unpinned (as `siaga demo` runs): the fortnight ends before now, inside the pages' last 14 days."""
    import datetime as dt

    from django.test import override_settings
    from django.utils import timezone

    from siaga.incidents.selectors import response_times

    with override_settings(SIAGA_DEMO_VOTING_DAY="", SIAGA_DEMO_VOTING_IN_DAYS=3):
        load_demo(report=lambda p, m="": None)
    now = timezone.now()
    qs = Incident.objects.all()
    assert qs.count() == 160
    latest = qs.order_by("-reported_at").first().reported_at
    assert latest < now and now - latest < dt.timedelta(days=3)
    for field in ("verified_at", "dispatched_at", "on_scene_at", "resolved_at", "closed_at"):
        assert not qs.filter(**{f"{field}__gt": now}).exists(), field
    rows = response_times(admin_user, since=now - dt.timedelta(days=14))
    assert sum(r.count for r in rows) > 50
