"""Background tasks for logistics escort: generating and planning the chain runs as a Job with progress."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from siaga.core.jobs import Reporter, run_job
from siaga.core.models import Job


@task()
def plan_chain_task(job_id: int) -> None:
    def work(job: Job, report: Reporter) -> dict[str, Any]:
        from siaga.logistics.services import generate_chain, plan_escorts
        from siaga.operations.models import Election
        from siaga.territory.models import PoliceUnit

        election = Election.objects.get(pk=job.params["election_id"])
        polres = PoliceUnit.objects.get(pk=job.params["polres_id"])
        legs = generate_chain(actor=job.created_by, election=election, report=report)
        escorts = plan_escorts(actor=job.created_by, election=election, polres=polres)
        report(100, "")
        summary = _("%(legs)d ruas; %(escorted)d perjalanan dikawal, %(unescorted)d tanpa pengawal") % {
            "legs": legs["legs"],
            "escorted": escorts["escorted"],
            "unescorted": escorts["unescorted"],
        }
        return {**legs, **escorts, "summary": summary}

    run_job(job_id, work)


@task()
def alert_late_legs_task() -> None:
    """Periodic (every few minutes, like the guard alerts): mark late legs."""
    from siaga.logistics.services import alert_late_legs

    alert_late_legs()
