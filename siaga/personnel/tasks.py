"""Background tasks for personnel: thin wrappers that run the work inside a Job with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def import_personnel_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.personnel.services import import_personnel
        from siaga.territory.models import PoliceUnit

        path = Path(job.params["path"])
        polres = PoliceUnit.objects.get(pk=job.params["polres_id"])
        try:
            with path.open("rb") as fh:
                result = import_personnel(
                    polres=polres, source=fh, filename=path.name, actor=job.created_by, report=report
                )
        finally:
            path.unlink(missing_ok=True)
        summary = _("Personel: %(created)d baru, %(updated)d diubah, %(unchanged)d tetap") % result
        return {**result, "summary": summary}

    run_job(job_id, work)


@task()
def import_resources_task(job_id: int) -> None:
    """Equipment, BKO or partner-force import (`siaga.personnel.imports`)."""

    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.personnel.imports import import_resources
        from siaga.territory.models import PoliceUnit

        path = Path(job.params["path"])
        polres = PoliceUnit.objects.get(pk=job.params["polres_id"])
        try:
            with path.open("rb") as fh:
                result = import_resources(
                    kind=job.params["kind"],
                    polres=polres,
                    source=fh,
                    filename=path.name,
                    actor=job.created_by,
                    report=report,
                )
        finally:
            path.unlink(missing_ok=True)
        summary = _("%(created)d baru, %(updated)d diubah, %(unchanged)d tetap") % result
        return {**result, "summary": summary}

    run_job(job_id, work)
