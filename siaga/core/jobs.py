"""Background jobs with progress: a Job row per run, enqueued on the Django Tasks queue after commit.

A task is a thin wrapper: `@task() def my_task(job_id)` calls `run_job(job_id, work)`, where `work(job, report)`
does the work and calls `report(percent, message)` as it goes. The UI polls the Job row for a live bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from siaga.core import bulk
from siaga.core.errors import DomainError
from siaga.core.models import Job

log = logging.getLogger(__name__)


class Reporter(Protocol):
    def __call__(self, percent: float, message: str = "") -> None: ...


# What an import or generator takes to report progress: a job's Reporter, a management command's printer.
Progress = Callable[[float, str], None]


def no_progress(percent: float, message: str = "") -> None:
    """A Reporter that discards progress: the default of services that also run outside a job."""


class _Enqueueable(Protocol):
    def enqueue(self, *args: Any, **kwargs: Any) -> Any: ...


def _queue_shares_transaction(task: _Enqueueable) -> bool:
    """True when the task's queue is a table in this database, so an enqueue joins the open transaction."""
    get_backend = getattr(task, "get_backend", None)
    return get_backend is not None and type(get_backend()).__module__.startswith("django_tasks_db")


def start_job(
    *,
    kind: str,
    title: str,
    task: _Enqueueable,
    actor: Any = None,
    params: dict[str, Any] | None = None,
    same_transaction: bool = False,
) -> Job:
    """Create the Job row and enqueue its task once the surrounding transaction commits.

    `same_transaction=True` enqueues at once when the queue lives in the same database: the queue row then
    commits (or rolls back) with the Job row and the caller's writes, in one commit instead of two. Hot paths
    (the public intake) use it; with any other queue backend it falls back to enqueueing after commit.
    """
    job = Job(
        kind=kind,
        title=title[:200],
        # The worker speaks the requester's language: progress, refusals and the summary are shown to them.
        params={**(params or {}), "language": translation.get_language() or settings.LANGUAGE_CODE},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    bulk.insert([job])  # a plain INSERT: the public intake starts a job per batch of urgent reports
    if same_transaction and transaction.get_connection().in_atomic_block and _queue_shares_transaction(task):
        task.enqueue(job.pk)
    else:
        transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def _update(job: Job, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    Job.objects.filter(pk=job.pk).update(**fields)


def run_job(job_id: int, work: Callable[[Job, Reporter], dict[str, Any] | None]) -> None:
    """Run `work` for a job, keeping its status, progress, timings and log up to date."""
    job = Job.objects.get(pk=job_id)
    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        _run(job, work)


def _run(job: Job, work: Callable[[Job, Reporter], dict[str, Any] | None]) -> None:
    _update(job, status=Job.Status.RUNNING, started_at=timezone.now(), progress=0)

    def report(percent: float, message: str = "") -> None:
        pct = max(0, min(100, int(percent)))
        line = f"[{timezone.now():%H:%M:%S}] {pct:3d}% {message}".rstrip()
        _update(job, progress=pct, message=message[:500], log=(job.log + line + "\n")[-20000:])

    try:
        result = work(job, report)
    except DomainError as exc:
        _update(
            job,
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=exc.message[:500],
            result={"error": exc.as_dict()},
            log=(job.log + exc.message + "\n" + "\n".join(exc.fields.get("rows", [])) + "\n")[-50_000:],
        )
        return
    except Exception:
        log.exception("job %s failed", job.pk)
        _update(
            job,
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=_("Terjadi kesalahan internal; lihat log server."),
            # The traceback goes to the server log only; users never see a stack trace.
            log=job.log + "error\n",
        )
        return
    _update(job, status=Job.Status.SUCCEEDED, finished_at=timezone.now(), progress=100, result=result or {})
