"""Background tasks for the TPS import: a thin wrapper that runs the importer inside a Job with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def import_tps_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.sites.services import get_election, import_tps

        path = Path(job.params["path"])
        election = get_election(job.params["election"])
        with path.open("rb") as fh:
            result = import_tps(
                election=election,
                source=fh,
                filename=path.name,
                actor=job.created_by,
                overwrite_captured=bool(job.params.get("overwrite_captured")),
                report=report,
            )
        summary = _(
            "TPS: %(created)d baru, %(updated)d diubah, %(unchanged)d tetap, %(n)d konflik dengan data petugas"
        ) % {**result, "n": len(result["conflicts"])}
        return {**result, "summary": summary}

    run_job(job_id, work)
