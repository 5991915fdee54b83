"""The RQ worker behind `siaga worker` when SIAGA_TASKS_BACKEND=django_tasks_rq.RQBackend (queues on Redis).

Imported only when that backend is chosen: the embedded default (the database queue) needs no Redis.
"""

from __future__ import annotations

from typing import Any

import django_rq
from django.conf import settings
from django.db import close_old_connections
from django_tasks_rq.backend import Job as TaskJob
from rq import SimpleWorker


class SiagaWorker(SimpleWorker):
    """Runs each job in the worker process itself (no fork per job: a plan imports its solvers once), with the
    database connections checked before and after each job, as Django does around a request."""

    def execute_job(self, job: Any, queue: Any) -> Any:
        close_old_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            close_old_connections()


def run_worker(*, burst: bool = False, name: str | None = None) -> bool:
    """Work the queues of the default task backend until stopped (or, with `burst`, until they are empty)."""
    queue_names = list(settings.TASKS["default"].get("QUEUES") or ["default"])
    queues = [django_rq.get_queue(q, job_class=TaskJob) for q in queue_names]
    worker = SiagaWorker(queues, connection=queues[0].connection, job_class=TaskJob, name=name)
    return bool(worker.work(burst=burst, with_scheduler=False))
