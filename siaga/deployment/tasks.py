"""Background tasks for deployment: thin wrappers running a planning run, or printing the whole-Polres Sprin,
inside a Job with progress."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def plan_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.deployment.models import PlanningRun
        from siaga.deployment.services import execute_run

        run = PlanningRun.objects.select_related("election", "polres", "base_plan", "created_by").get(
            pk=job.params["run_id"]
        )
        # The solver's worker pool is shut down by solve()/replan() themselves when they return or raise.
        plan = execute_run(run=run, report=report)
        return {
            "plan_id": plan.pk,
            "summary": f"v{plan.version}: {plan.tps_covered}/{plan.tps_total} TPS, {plan.officers_used} personel",
        }

    run_job(job_id, work)


@task()
def sprin_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.deployment.services import print_sprin

        return print_sprin(job=job, report=report)

    run_job(job_id, work)
