"""Background tasks for guard posts: thin wrappers around the services, run inside a Job with progress."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def solve_roster_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.guard.models import Roster
        from siaga.guard.services import compute_roster

        roster = Roster.objects.get(pk=job.params["roster_id"])
        result = compute_roster(roster=roster, report=report)
        summary = _("%(status)s: %(n)d penugasan, %(s).1f detik") % {
            "status": Roster.SOLVE_STATUS_LABELS.get(str(result.status), result.status),
            "n": len(result.assignment),
            "s": result.seconds,
        }
        return {
            "status": str(result.status),
            "objective": result.objective,
            "rows": len(result.assignment),
            "summary": summary,
        }

    run_job(job_id, work)


@task()
def refresh_alerts_task() -> None:
    """Store the alerts in force now; the worker's scheduler runs the same every minute (siaga.guard.alert_source)."""
    from siaga.guard.services import refresh_alerts

    refresh_alerts()
