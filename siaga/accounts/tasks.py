"""Background tasks for accounts: the account import, run inside a Job with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def import_accounts_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.accounts.services import import_accounts

        path = Path(job.params["path"])
        try:
            with path.open("rb") as fh:
                result = import_accounts(actor=job.created_by, source=fh, filename=path.name, report=report)
        finally:
            path.unlink(missing_ok=True)
        summary = _("Akun: %(created)d baru, %(updated)d diubah, %(unchanged)d tetap") % result
        return {**result, "summary": summary}

    run_job(job_id, work)
