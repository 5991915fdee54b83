"""The Jember demo with its events and full logistics chain: every TPS has its legs and an escort plan, and no
officer is assigned to two overlapping duties across events, escorts, guard posts and PAM TPS."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from siaga.core import duties
from siaga.deployment import demo as deployment_demo
from siaga.deployment.models import DeploymentPlan, TeamMember
from siaga.events import demo as events_demo
from siaga.events.models import Assignment, Event
from siaga.guard import demo as guard_demo
from siaga.guard.models import Assignment as GuardShift
from siaga.logistics import demo as logistics_demo
from siaga.logistics.models import Escort, Hop, Leg
from siaga.operations.models import Election
from siaga.personnel import demo as personnel_demo
from siaga.sites.models import Tps

pytestmark = pytest.mark.slow


def quiet(percent: float, message: str = "") -> None:
    return None


def test_jember_demo_has_events_and_the_whole_chain_and_no_double_booking(db: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(guard_demo, "SOLVE_SECONDS", 5.0)
    monkeypatch.setattr(deployment_demo, "TIME_LIMIT_S", 5)
    for loader in (personnel_demo, guard_demo, deployment_demo, events_demo, logistics_demo):
        loader.load_demo(report=quiet)
    pemilu = Election.objects.get(slug="pemilu-2024")
    # All four kinds of duty are really there, so the check below compares something.
    assert GuardShift.objects.exists()
    assert TeamMember.objects.filter(plan__status=DeploymentPlan.Status.PUBLISHED).exists()
    assert Assignment.objects.count() > 50
    assert Escort.objects.values("personnel_id").distinct().count() > 50
    # The whole chain: both ways for each of the 7,706 TPS.
    n_tps = Tps.objects.filter(election=pemilu).count()
    assert n_tps == 7706
    assert Leg.objects.filter(election=pemilu, hop=Hop.PPS_TPS).count() == n_tps
    assert Leg.objects.filter(election=pemilu, hop=Hop.TPS_PPS).count() == n_tps
    campaign = Event.objects.filter(election=pemilu, kind=Event.Kind.CAMPAIGN)
    assert campaign.count() >= 40 and all(e.starts_at.date() < pemilu.voting_on for e in campaign)
    # Dates follow the voting day in the database (never fixed dates).
    first = Leg.objects.filter(election=pemilu).order_by("planned_depart").first()
    assert first is not None and (pemilu.voting_on - first.planned_depart.date()).days == 5
    start = dt.datetime.combine(pemilu.voting_on - dt.timedelta(days=60), dt.time.min, tzinfo=dt.UTC)
    end = dt.datetime.combine(pemilu.voting_on + dt.timedelta(days=30), dt.time.min, tzinfo=dt.UTC)
    assert duties.double_bookings(start=start, end=end) == []
