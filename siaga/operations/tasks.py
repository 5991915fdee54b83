"""Background tasks: thin wrappers running operations work inside a Job with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def import_assessments_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.operations.services import get_election, import_assessments

        path = Path(job.params["path"])
        with path.open("rb") as fh:
            return import_assessments(
                election=get_election(job.params["election"]),
                source=fh,
                filename=path.name,
                actor=job.created_by,
                report=report,
            )

    run_job(job_id, work)
