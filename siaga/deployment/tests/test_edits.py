"""Hand edits validated by validate() and refused naming the rule; the lifecycle's one transition function."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from siaga.core.errors import Conflict, PermissionDenied, ValidationFailed
from siaga.core.models import AuditEvent
from siaga.deployment import services
from siaga.deployment.models import DeploymentPlan, Team, TeamMember, TeamTps


def _audits(plan: DeploymentPlan) -> int:
    return AuditEvent.objects.filter(object_type="deployment.deploymentplan", object_id=str(plan.pk)).count()


def test_leaving_a_rawan_tps_with_one_officer_is_refused_naming_the_rule(
    subset_plan: DeploymentPlan, kabagops: Any
) -> None:
    team = Team.objects.filter(plan=subset_plan, category__code="rawan").first()
    assert team is not None
    officer = team.members.first().personnel
    audits = _audits(subset_plan)
    with pytest.raises(ValidationFailed) as refused:
        services.remove_officer(actor=kabagops, plan=subset_plan, personnel=officer)
    # The rule by its name for people (the code stays in `code`, not in the message).
    assert "body system" in refused.value.message and refused.value.code == "rule_team_understaffed"
    assert "team_understaffed" not in refused.value.message
    assert "Rawan" in refused.value.message or "rawan" in refused.value.message
    assert team.members.count() == 2 and _audits(subset_plan) == audits


def test_moving_a_tps_between_teams_is_saved_audited_and_routes_recomputed(
    subset_plan: DeploymentPlan, kabagops: Any
) -> None:
    teams = list(Team.objects.filter(plan=subset_plan, category__code="kurang_rawan").order_by("code"))
    source, target = next(
        (s, t)
        for s in teams
        for t in teams
        if s.polsek_id == t.polsek_id and s.pk != t.pk and s.stops.count() > 1 and t.stops.count() < 24
    )
    stop = source.stops.order_by("position").last()
    before = _audits(subset_plan)
    services.move_tps(actor=kabagops, plan=subset_plan, tps=stop.tps, to_team=target)
    assert TeamTps.objects.get(plan=subset_plan, tps=stop.tps).team_id == target.pk
    positions = list(target.stops.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
    assert _audits(subset_plan) == before + 1
    subset_plan.refresh_from_db()
    assert subset_plan.is_valid


def test_moving_a_tps_into_a_full_team_is_refused(subset_plan: DeploymentPlan, kabagops: Any) -> None:
    full = next(
        (
            t
            for t in Team.objects.filter(plan=subset_plan, category__code="kurang_rawan")
            if t.stops.count() == 24
        ),
        None,
    )
    assert full is not None
    other = (
        TeamTps.objects.filter(
            plan=subset_plan, team__polsek_id=full.polsek_id, team__category__code="kurang_rawan"
        )
        .exclude(team=full)
        .first()
    )
    with pytest.raises(ValidationFailed) as refused:
        services.move_tps(actor=kabagops, plan=subset_plan, tps=other.tps, to_team=full)
    assert refused.value.code == "rule_team_over_capacity"
    assert "melebihi pola" in refused.value.message and full.code in refused.value.message


def test_swap_and_replace_officers(subset_plan: DeploymentPlan, kabagops: Any, staff: Any) -> None:
    a, b = [
        m.personnel
        for m in TeamMember.objects.filter(
            plan=subset_plan, team__polsek__code="polsek-ambulu"
        ).select_related("team", "personnel")[:3:2]
    ]
    team_a = TeamMember.objects.get(plan=subset_plan, personnel=a).team_id
    team_b = TeamMember.objects.get(plan=subset_plan, personnel=b).team_id
    services.swap_officers(actor=kabagops, plan=subset_plan, first=a, second=b)
    assert TeamMember.objects.get(plan=subset_plan, personnel=a).team_id == team_b
    assert TeamMember.objects.get(plan=subset_plan, personnel=b).team_id == team_a
    used = set(TeamMember.objects.filter(plan=subset_plan).values_list("personnel_id", flat=True)) | set(
        subset_plan.padal.values_list("personnel_id", flat=True)
    )
    from siaga.personnel.models import Personnel

    spare = Personnel.objects.filter(unit__police_unit__code="polsek-ambulu").exclude(pk__in=used).first()
    assert spare is not None
    services.replace_officer(actor=kabagops, plan=subset_plan, old=a, new=spare)
    assert TeamMember.objects.get(plan=subset_plan, personnel=spare).team_id == team_b
    # An officer of another Polsek breaks "officers serve their own Polsek" (no lending in this plan).
    stranger = (
        Personnel.objects.filter(unit__police_unit__code="polsek-tempurejo").exclude(pk__in=used).first()
        or Personnel.objects.filter(unit__police_unit__code="polsek-tempurejo").first()
    )
    with pytest.raises(ValidationFailed) as refused:
        services.replace_officer(actor=kabagops, plan=subset_plan, old=b, new=stranger)
    assert "rule_" in refused.value.code


def test_lifecycle_refuses_illegal_moves_and_publishing_amends_the_old_version(
    subset_plan: DeploymentPlan, kabagops: Any, commander: Any
) -> None:
    plan = subset_plan
    with pytest.raises(Conflict):
        services.transition_plan(
            actor=commander, plan=plan, to="published", sprin_number="X", sprin_on=dt.date(2024, 2, 10)
        )
    services.transition_plan(actor=kabagops, plan=plan, to="reviewed")
    with pytest.raises(ValidationFailed):
        services.transition_plan(actor=commander, plan=plan, to="published")
    with pytest.raises(PermissionDenied):  # ops staff may not sign the Sprin
        services.transition_plan(
            actor=kabagops, plan=plan, to="published", sprin_number="X", sprin_on=dt.date(2024, 2, 10)
        )
    services.transition_plan(
        actor=commander,
        plan=plan,
        to="published",
        sprin_number="Sprin/1/II/2024",
        sprin_on=dt.date(2024, 2, 10),
    )
    assert plan.status == "published" and plan.sprin_number == "Sprin/1/II/2024"
    with pytest.raises(Conflict):
        services.move_tps(
            actor=kabagops, plan=plan, tps=TeamTps.objects.filter(plan=plan).first().tps, to_team=None
        )
    copy = services.amend_plan(actor=kabagops, plan=plan)
    assert copy.status == "draft" and copy.version == plan.version + 1 and copy.previous == plan
    assert (
        copy.teams.count() == plan.teams.count()
        and TeamTps.objects.filter(plan=copy).count() == plan.tps_covered
    )
    services.transition_plan(actor=kabagops, plan=copy, to="reviewed")
    services.transition_plan(
        actor=commander,
        plan=copy,
        to="published",
        sprin_number="Sprin/2/II/2024",
        sprin_on=dt.date(2024, 2, 12),
    )
    plan.refresh_from_db()
    assert plan.status == "amended"
    moves = AuditEvent.objects.filter(
        object_type="deployment.deploymentplan", object_id=str(plan.pk), action=AuditEvent.Action.UPDATE
    )
    assert moves.count() == 3  # reviewed, published, amended
