"""PAM TPS teams as an incident commitment provider: on voting day a unit may not take a team below its pattern."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from siaga.deployment.commitments import TpsTeamProvider, voting_days_covering
from siaga.deployment.models import DeploymentPlan, Team, TeamMember, TeamTps
from siaga.incidents import commitments, selectors
from siaga.incidents.tests.factories import make_incident, make_unit
from siaga.operations.models import Election, SecurityPattern
from siaga.personnel.models import Personnel
from siaga.sites.models import Tps
from siaga.territory.models import PoliceUnit

WIB = ZoneInfo("Asia/Jakarta")


def wib(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2024, 2, day, hour, minute, tzinfo=WIB)


def publish_team(
    polres: PoliceUnit,
    election: Election,
    officers: list[Personnel],
    *,
    code: str = "TMP-R01",
    status: str = DeploymentPlan.Status.PUBLISHED,
) -> Team:
    """A plan with one rawan team (pattern 2 police : 2 TPS) of the given officers at two Tempurejo TPS."""
    pemilu = Election.objects.get(slug="pemilu-2024")
    pattern = SecurityPattern.objects.get(
        election=pemilu, polres=polres, category__code="rawan", is_default=True
    )
    plan = DeploymentPlan.objects.create(
        election=election,
        polres=polres,
        version=1,
        status=status,
        title="Plotting uji",
        sprin_number="Sprin/1/II/2024" if status == DeploymentPlan.Status.PUBLISHED else "",
        sprin_on=dt.date(2024, 2, 10) if status == DeploymentPlan.Status.PUBLISHED else None,
    )
    team = Team.objects.create(
        plan=plan,
        code=code,
        polsek=PoliceUnit.objects.get(code="polsek-tempurejo"),
        pattern=pattern,
        category=pattern.category,
    )
    TeamMember.objects.bulk_create(
        [TeamMember(plan=plan, team=team, personnel=o, position=i) for i, o in enumerate(officers)]
    )
    stops = Tps.objects.filter(election=pemilu, kecamatan__name="Tempurejo").order_by("pk")[:2]
    TeamTps.objects.bulk_create(
        [TeamTps(plan=plan, team=team, tps=t, position=i + 1) for i, t in enumerate(stops)]
    )
    return team


def test_the_deployment_app_declares_the_provider(db: Any) -> None:
    assert any(isinstance(p, TpsTeamProvider) for p in commitments.providers())


def test_the_voting_day_window_runs_to_noon_the_next_day() -> None:
    voting = dt.date(2024, 2, 14)
    assert voting in voting_days_covering(wib(14, 0))
    assert voting in voting_days_covering(wib(15, 11, 59))
    assert voting not in voting_days_covering(wib(15, 12))
    assert voting not in voting_days_covering(wib(13, 23, 59))
    # The database hands back UTC: 2024-02-14 20:00 UTC is 03:00 WIB on the 15th, still counting.
    assert voting in voting_days_covering(dt.datetime(2024, 2, 14, 20, 0, tzinfo=dt.UTC))


def test_a_unit_taking_a_team_below_its_pattern_is_held_back_on_voting_day(
    polres: PoliceUnit,
    pemilu: Election,
    staff: Callable[..., list[Personnel]],
    django_assert_max_num_queries: Any,
) -> None:
    a, b, c, d, e = staff({"polsek-tempurejo": 5})
    publish_team(polres, pemilu, [a, b])  # rawan: 2 police needed, exactly 2 on it
    members = {1: [a.pk], 2: [a.pk, b.pk], 3: [c.pk, d.pk, e.pk], 4: []}  # C, D, E are on no team
    with django_assert_max_num_queries(2):
        blocked = TpsTeamProvider().blocked_units(members=members, at=wib(14, 10))
    assert set(blocked) == {1, 2}
    assert blocked[1] == "Tim PAM TPS TMP-R01 (2 TPS): 1 dari 2 anggota akan ditarik (minimum 2 polisi)"
    assert blocked[2].startswith("Tim PAM TPS TMP-R01 (2 TPS): 2 dari 2 anggota")
    # Counting runs into the night: still held back at 02:00 the next day, released at noon.
    assert set(TpsTeamProvider().blocked_units(members=members, at=wib(15, 2))) == {1, 2}
    assert TpsTeamProvider().blocked_units(members=members, at=wib(15, 12)) == {}
    assert TpsTeamProvider().blocked_units(members=members, at=wib(13, 22)) == {}


def test_a_team_with_a_spare_officer_or_an_unpublished_plan_holds_nobody(
    polres: PoliceUnit, pemilu: Election, staff: Callable[..., list[Personnel]]
) -> None:
    a, b, c, d, e = staff({"polsek-tempurejo": 5})
    publish_team(polres, pemilu, [a, b, c])  # one more than the pattern's 2
    provider = TpsTeamProvider()
    assert provider.blocked_units(members={1: [a.pk], 2: [d.pk, e.pk]}, at=wib(14, 10)) == {}
    assert set(provider.blocked_units(members={1: [a.pk, b.pk]}, at=wib(14, 10))) == {1}

    DeploymentPlan.objects.filter(election=pemilu).update(status=DeploymentPlan.Status.AMENDED)
    assert provider.blocked_units(members={1: [a.pk, b.pk]}, at=wib(14, 10)) == {}


@pytest.mark.django_db
def test_the_recommendation_does_not_propose_a_unit_holding_a_tps_team(
    kabagops: Any, polres: PoliceUnit, staff: Callable[..., list[Personnel]]
) -> None:
    today = timezone.localdate()
    election = Election.objects.create(
        slug="uji-hari-ini", name="Pemilihan uji", kind="pilkada", voting_on=today
    )
    a, b, c = staff({"polsek-tempurejo": 3})
    publish_team(polres, election, [a, b])
    incident = make_incident(actor=kabagops)
    make_unit(call_sign="TMP-TPS", offset=(0.001, 0.0), members=[a.pk])
    make_unit(call_sign="TMP-LUANG", offset=(0.01, 0.0), members=[c.pk])
    rec = selectors.recommend_units(kabagops, incident)
    assert [r.unit.call_sign for r in rec.units] == ["TMP-LUANG"]
    assert "TMP-R01" in rec.held_back["TMP-TPS"]
