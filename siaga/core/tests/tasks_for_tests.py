"""Tasks the job tests queue (on the database queue and on Redis); a worker process imports them by path."""

from __future__ import annotations

import time
from typing import Any

from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def counting_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        report(50, "half")
        return {"summary": f"counted to {job.params['n']}", "total": sum(range(job.params["n"] + 1))}

    run_job(job_id, work)


@task()
def slow_first_attempt_task(job_id: int) -> None:
    """Reports progress, then (first attempt only) works for a long time: long enough to be killed mid-job."""

    def work(job: Job, report: Reporter) -> dict[str, Any]:
        report(10, f"attempt {job.attempts}")
        if job.attempts == 1:
            deadline = time.monotonic() + job.params.get("seconds", 120)
            while time.monotonic() < deadline:
                time.sleep(0.2)
        return {"summary": f"done on attempt {job.attempts}"}

    run_job(job_id, work)
