"""Staff overrides of a day's plan: recorded with who and why; pinning a point to one hour day after day
raises the predictability warning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from siaga.core.errors import ValidationFailed
from siaga.core.models import AuditEvent
from siaga.patrols import services
from siaga.patrols.models import PatrolDay, PatrolPlan, PatrolVisit


def _days(plan: PatrolPlan, n: int) -> list[PatrolDay]:
    return [
        services.generate_day(
            actor=None, plan=plan, day_on=plan.starts_on + dt.timedelta(days=i), time_limit=0.3
        )
        for i in range(n)
    ]


def test_visiting_a_point_at_the_same_hour_every_day_raises_the_warning(
    plan: PatrolPlan, kabagops: Any
) -> None:
    days = _days(plan, 7)
    kpu = plan.points.get(code="t-kpu")
    warnings: list[dict[str, Any]] = []
    for day in days:
        # The plan's own visits to KPU go; staff put one in at 20:00 every evening instead.
        for visit in day.visits.filter(point=kpu, is_cancelled=False):
            services.override_visit(
                actor=kabagops, day=day, action="cancel", visit=visit, reason="diganti jam tetap"
            )
        at = day.starts_at + dt.timedelta(hours=14)
        warnings = services.override_visit(
            actor=kabagops, day=day, action="add", point=kpu, at=at, reason="selalu jam 20.00"
        )
    codes = {(w["code"], w["point_id"]) for w in warnings}
    assert ("FIXED_HOUR", kpu.pk) in codes
    assert any("20:00" in w["message"] for w in warnings if w["code"] == "FIXED_HOUR")
    assert days[-1].warnings and PatrolDay.objects.get(pk=days[-1].pk).warnings == warnings
    # Who overrode is recorded on the visit and in the audit trail.
    added = PatrolVisit.objects.filter(day__plan=plan, source=PatrolVisit.Source.OVERRIDE)
    assert added.count() == 7 and set(added.values_list("overridden_by", flat=True)) == {kabagops.pk}
    assert AuditEvent.objects.filter(object_type="patrols.patrolvisit", actor=kabagops).count() >= 7


def test_a_plan_left_alone_raises_no_fixed_hour_warning(plan: PatrolPlan) -> None:
    days = _days(plan, 7)
    warnings = services.predictability_warnings(plan=plan, until=days[-1].day_on)
    assert not [w for w in warnings if w["code"] == "FIXED_HOUR"]


def test_override_needs_a_reason_and_a_time_inside_the_day(plan: PatrolPlan, kabagops: Any) -> None:
    (day,) = _days(plan, 1)
    kpu = plan.points.get(code="t-kpu")
    with pytest.raises(ValidationFailed):
        services.override_visit(
            actor=kabagops, day=day, action="add", point=kpu, at=day.starts_at, reason=" "
        )
    with pytest.raises(ValidationFailed):
        services.override_visit(
            actor=kabagops,
            day=day,
            action="add",
            point=kpu,
            at=day.starts_at - dt.timedelta(hours=1),
            reason="x",
        )


def test_only_ops_staff_may_override_from_the_day_page(
    plan: PatrolPlan, client_for: Callable[..., Client], kabagops: Any, commander: Any
) -> None:
    (day,) = _days(plan, 1)
    visit = day.visits.first()
    assert visit is not None
    data = {"action": "cancel", "visit": visit.pk, "reason": "jalan ditutup"}
    assert client_for(commander).post(f"/patroli/hari/{day.pk}/", data).status_code == 403
    response = client_for(kabagops).post(f"/patroli/hari/{day.pk}/", data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.is_cancelled and visit.overridden_by == kabagops and visit.override_reason == "jalan ditutup"
