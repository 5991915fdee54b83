"""Planning from the database: coverage per pattern and officers, the independent re-check, the `siaga plan`
command on the whole of Jember, planning as a job, and re-planning with stability."""

from __future__ import annotations

import json
import random
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from siaga.core.models import AuditEvent, Job
from siaga.deployment import selectors, services
from siaga.deployment.models import DeploymentPlan, PlanningRun, TeamMember
from siaga.deployment.tests.conftest import independent_check, lock_apel, subset_ids
from siaga.optimization import deployment as engine
from siaga.personnel.models import Personnel
from siaga.sites.models import Tps
from siaga.sites.services import largest_remainder
from siaga.territory.models import PoliceUnit


def test_subset_plan_covers_what_the_officers_can_and_reports_the_rest(subset_plan: DeploymentPlan) -> None:
    plan = subset_plan
    data = selectors.planning_input(election=plan.election, polres=plan.polres, parameters=plan.parameters)
    assert (
        engine.validate(
            data.instance, selectors.plan_as_engine(plan, plannable={t.id for t in data.instance.tps})
        )
        == []
    )
    assert plan.is_valid and plan.status == DeploymentPlan.Status.DRAFT
    figures = independent_check(plan)
    assert figures["covered"] == plan.tps_covered < plan.tps_total  # Tempurejo is short on purpose
    # All six rawan TPS of Tempurejo are covered before any kurang rawan one.
    rawan = set(
        Tps.objects.filter(election=plan.election, vulnerability__category__code="rawan").values_list(
            "pk", flat=True
        )
    )
    assert len(rawan) == 6 and not plan.shortfall.filter(tps__in=rawan).exists()
    reasons = list(plan.shortfall.values_list("reason", flat=True))
    assert reasons and all(reasons) and any("Tempurejo" in r for r in reasons)
    run = PlanningRun.objects.get(plan=plan)
    assert (
        run.is_valid
        and run.first_valid_s is not None
        and run.final_s is not None
        and run.objective == pytest.approx(plan.total_route_km, abs=0.1)
    )
    assert AuditEvent.objects.filter(object_type="deployment.deploymentplan", object_id=str(plan.pk)).exists()


def test_officers_on_a_guard_post_that_day_are_left_out(polres: Any, pemilu: Any, staff: Any) -> None:
    people = staff({"polsubsektor-ajung": 8})
    busy = people[0].pk

    def guard(*, polres: Any, on_date: Any) -> list[int]:
        assert on_date == pemilu.voting_on
        return [busy]

    selectors.register_unavailability_provider(guard)
    try:
        data = selectors.planning_input(
            election=pemilu, polres=polres, parameters={"polsek_ids": subset_ids()}
        )
    finally:
        selectors._unavailability_providers.remove(guard)
    flags = {o.id: o.is_available for o in data.instance.officers}
    assert flags[busy] is False and sum(flags.values()) == 7


@pytest.mark.django_db(transaction=False)
def test_jember_pemilu_plan_through_the_command_covers_what_it_can(
    polres: Any, pemilu: Any, staff: Any
) -> None:
    """The acceptance plan: all 7,706 TPS, 645 officers spread over the Polsek by TPS, 2 workers, short limit."""
    units = list(
        PoliceUnit.objects.filter(kabupaten_id=polres.kabupaten_id).exclude(pk=polres.pk).order_by("code")
    )
    unit_of = {k: u.code for u in units for k in u.jurisdiction.values_list("pk", flat=True)}
    weights = [
        Tps.objects.filter(
            election=pemilu, kecamatan__in=[k for k, c in unit_of.items() if c == u.code]
        ).count()
        for u in units
    ]
    sizes = dict(zip([u.code for u in units], largest_remainder(weights, 645, minimum=4), strict=True))
    staff(sizes)
    out = StringIO()
    call_command(
        "plan",
        "--election",
        "pemilu-2024",
        "--polres",
        "polres-jember",
        "--time-limit",
        "8",
        "--no-lending",
        "--json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    for key in (
        "tps_total",
        "tps_covered",
        "officers_used",
        "teams",
        "first_valid_s",
        "final_s",
        "total_route_km",
        "max_route_km",
        "valid",
    ):
        assert key in result
    assert result["tps_total"] == 7706 and result["valid"] is True
    plan = DeploymentPlan.objects.get(pk=result["plan_id"])
    figures = independent_check(plan)
    assert figures["covered"] == result["tps_covered"] and figures["total"] == 7706
    assert result["officers_used"] <= 645


def test_planning_runs_as_a_job_with_progress(
    kabagops: Any,
    client_for: Any,
    run_tasks: Any,
    pemilu: Any,
    polres: Any,
    staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff({"polsubsektor-ajung": 12})
    ajung = list(PoliceUnit.objects.filter(code="polsubsektor-ajung").values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_planning(
            actor=kabagops,
            election=pemilu,
            polres=polres,
            time_limit=2,
            seed=3,
            workers=1,
            parameters={"polsek_ids": ajung},
        )
    run_tasks()
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert job.progress == 100 and "%" in job.log
    assert run.status == PlanningRun.Status.DONE and run.plan is not None and run.seed == 3
    assert job.result["plan_id"] == run.plan_id
    page = client_for(kabagops).get(f"/plotting/proses/{run.pk}/")
    assert page.status_code == 200 and b"progress" in page.content


def test_removing_five_percent_of_officers_changes_at_most_fifteen_percent(
    polres: Any, pemilu: Any, staff: Any
) -> None:
    people = staff({"polsek-tempurejo": 40, "polsek-ambulu": 46, "polsubsektor-ajung": 30})
    run = services.create_run(
        actor=None,
        election=pemilu,
        polres=polres,
        time_limit=3,
        seed=0,
        workers=1,
        parameters={"polsek_ids": subset_ids(), "allow_officer_lending": False},
    )
    first = services.execute_run(run=run)
    assigned = list(TeamMember.objects.filter(plan=first).values_list("personnel_id", flat=True))
    dropped = set(random.Random(5).sample(assigned, max(1, round(0.05 * len(people)))))
    lock_apel(polres, people, absent=dropped, day=10)
    again = services.execute_run(
        run=services.create_run(
            actor=None, election=pemilu, polres=polres, time_limit=3, seed=0, workers=1, base_plan=first
        )
    )
    assert again.previous == first and again.version == first.version + 1 and again.is_valid
    before = set(assigned) | set(first.padal.values_list("personnel_id", flat=True))
    others = before - dropped
    assert again.changed_assignments is not None
    assert again.changed_assignments <= 0.15 * len(others), (again.changed_assignments, len(others))
    assert not TeamMember.objects.filter(plan=again, personnel_id__in=dropped).exists()
    assert again.tps_covered == first.tps_covered  # the spares fill the gaps
    diff = selectors.plan_diff(first, again)
    assert {p.pk for p in diff.removed} == dropped
    assert Personnel.objects.filter(pk__in=dropped).count() == len(dropped)
