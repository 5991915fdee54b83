"""Background tasks of the territory app: thin wrappers that run the importer inside a Job with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def import_territory_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.territory.importers import TerritoryFiles, import_territory

        files = TerritoryFiles(**{name: Path(path) for name, path in job.params["files"].items()})
        summary = import_territory(files=files, actor=job.created_by, report=report)
        return {**summary.as_dict(), "summary": summary.text()}

    run_job(job_id, work)
