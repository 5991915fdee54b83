"""The Jember patrol demo loads after the operations demo and shows every feature (load time: bench/demo_load.py)."""

from __future__ import annotations

from typing import Any

from siaga.patrols.models import PatrolCheckIn, PatrolDay, PatrolPlan, PatrolPoint, PatrolUnit, PatrolVisit


def test_demo_loads_a_week_of_plans_with_checkins(db: Any) -> None:
    from siaga.operations.demo import load_demo as load_operations
    from siaga.patrols.demo import load_demo

    load_operations(report=lambda p, m="": None)
    load_demo(report=lambda p, m="": None)
    assert PatrolUnit.objects.filter(code="demo-polres-jember").exists()
    assert PatrolUnit.objects.filter(depot__level="polsek").count() >= 3
    kinds = set(PatrolPoint.objects.values_list("kind", flat=True))
    assert {"vital_object", "rawan_tps", "quiet_place", "crime_prone", "housing"} <= kinds
    assert all(
        "sintetis" in name
        for name in PatrolPoint.objects.filter(is_synthetic=True, tps__isnull=True).values_list(
            "name", flat=True
        )
    )
    plan = PatrolPlan.objects.get()
    assert PatrolDay.objects.filter(plan=plan).count() == 7
    # The voting-day week runs in a key stage (quiet days, voting): minimums are raised on those days.
    assert PatrolDay.objects.exclude(key_stage="").exists()
    assert PatrolCheckIn.objects.count() > 20
    assert PatrolCheckIn.objects.exclude(flags=[]).exists()
    assert any("IMPOSSIBLE_SPEED" in flags for flags in PatrolCheckIn.objects.values_list("flags", flat=True))
    assert PatrolVisit.objects.filter(source=PatrolVisit.Source.OVERRIDE).count() == 1
    # Running it again changes nothing.
    load_demo(report=lambda p, m="": None)
    assert PatrolPlan.objects.count() == 1


def test_live_demo_has_today_s_routes_and_no_check_in_ahead(db: Any) -> None:
    """Unpinned (as `siaga demo` runs): the voting-day week contains today, routed, with check-ins only so far."""
    import datetime as dt

    from django.test import override_settings
    from django.utils import timezone

    from siaga.patrols.demo import load_demo

    # The operations demo is in the shared test data (historical dates); the patrol week follows the anchor.
    with override_settings(SIAGA_DEMO_VOTING_DAY="", SIAGA_DEMO_VOTING_IN_DAYS=3):
        load_demo(report=lambda p, m="": None)
    today = timezone.localdate()
    plan = PatrolPlan.objects.get()
    assert (plan.starts_on, plan.ends_on) == (today - dt.timedelta(days=3), today + dt.timedelta(days=3))
    day = PatrolDay.objects.get(plan=plan, day_on=today)
    assert PatrolVisit.objects.filter(day=day, unit__isnull=False).count() > 5
    assert PatrolCheckIn.objects.filter(day_on__lt=today).count() > 20
    assert not PatrolCheckIn.objects.filter(arrived_at__gt=timezone.now()).exists()
