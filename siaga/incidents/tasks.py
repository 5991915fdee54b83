"""Thin task wrappers: notifications are sent after the incident's transaction commits."""

from __future__ import annotations

from django_tasks import task

from siaga.core.jobs import run_job


@task()
def notify_incident_task(job_id: int) -> None:
    from siaga.incidents.services import send_notification

    run_job(job_id, send_notification)
