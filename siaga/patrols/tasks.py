"""Background tasks for patrols: thin wrappers running the daily draw inside a Job with progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def generate_days_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.patrols.models import PatrolPlan
        from siaga.patrols.services import generate_days

        plan = PatrolPlan.objects.get(pk=job.params["plan_id"])
        starts_on = dt.date.fromisoformat(job.params["starts_on"])
        return generate_days(plan=plan, starts_on=starts_on, days=int(job.params["days"]), report=report)

    run_job(job_id, work)
