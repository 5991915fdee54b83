"""Background tasks for the Lapsit: a thin wrapper generating one Lapsit inside a Job with progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def lapsit_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.lapsit.services import generate_lapsit
        from siaga.territory.models import PoliceUnit

        polres = PoliceUnit.objects.get(pk=job.params["polres_id"])
        lapsit = generate_lapsit(
            polres=polres,
            day=dt.date.fromisoformat(job.params["day"]),
            trigger=job.params["trigger"],
            actor=job.created_by,
            job=job,
            report=report,
        )
        return {
            "lapsit_id": lapsit.pk,
            "download_url": reverse("lapsit:detail", args=[lapsit.pk]),
            "summary": _("Lapsit %(n)s revisi %(r)d siap / Lapsit ready")
            % {"n": lapsit.number, "r": lapsit.revision},
        }

    run_job(job_id, work)
