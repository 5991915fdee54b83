"""Background jobs with progress: a Job row per run, enqueued on the Django Tasks queue after commit.

A task is a thin wrapper: `@task() def my_task(job_id)` calls `run_job(job_id, work)`, where `work(job, report)`
does the work and calls `report(percent, message)` as it goes. The UI polls the Job row for a live bar.

Workers die (kill -9, a lost machine, a redeploy): no queue backend tells the Job row. While a job runs, a
heartbeat thread touches `heartbeat_at`; `reap_stale_jobs` (run by every worker between jobs and by the job
page) queues a job whose heartbeat stopped again, up to `SIAGA_JOB_MAX_ATTEMPTS` runs, then fails it with a
message saying why. Delivery is therefore at least once: `run_job` claims a queued row with a conditional
UPDATE, so a second delivery of the same job does nothing, and every write of a run is tied to its attempt.

A fan-out (`start_fan_out`) is a parent row without a task and one child job per piece (the plans of every
Polres of a Polda); the parent's progress and status follow its children.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any, Protocol

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
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


def _task_path(task: _Enqueueable) -> str:
    return str(getattr(task, "module_path", ""))


def start_job(
    *,
    kind: str,
    title: str,
    task: _Enqueueable,
    actor: Any = None,
    params: dict[str, Any] | None = None,
    same_transaction: bool = False,
    parent: Job | None = None,
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
        task_path=_task_path(task),
        parent=parent,
    )
    bulk.insert([job])  # a plain INSERT: the public intake starts a job per batch of urgent reports
    if same_transaction and transaction.get_connection().in_atomic_block and _queue_shares_transaction(task):
        task.enqueue(job.pk)
    else:
        transaction.on_commit(lambda: task.enqueue(job.pk))
    return job


def start_fan_out(*, kind: str, title: str, actor: Any = None, params: dict[str, Any] | None = None) -> Job:
    """The parent row of a fan-out: it runs no task itself; `start_job(..., parent=...)` adds its children."""
    parent = Job(
        kind=kind,
        title=title[:200],
        # The worker speaks the requester's language: progress, refusals and the summary are shown to them.
        params={**(params or {}), "language": translation.get_language() or settings.LANGUAGE_CODE},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
    )
    parent.save()
    return parent


def settle_parent(parent_id: int) -> None:
    """Bring a fan-out's progress and status up to date with its children (called as each child ends)."""
    totals = Job.objects.filter(parent_id=parent_id).aggregate(
        total=Count("id"),
        succeeded=Count("id", filter=Q(status=Job.Status.SUCCEEDED)),
        failed=Count("id", filter=Q(status=Job.Status.FAILED)),
        progress=Avg("progress"),
    )
    total, succeeded, failed = totals["total"], totals["succeeded"], totals["failed"]
    if not total:
        return
    done = succeeded + failed
    message = _("%(done)s dari %(total)s selesai, %(failed)s gagal") % {
        "done": done,
        "total": total,
        "failed": failed,
    }
    fields: dict[str, Any] = {"progress": min(100, int(totals["progress"] or 0)), "message": message[:500]}
    if done == total:
        fields.update(
            status=Job.Status.FAILED if failed else Job.Status.SUCCEEDED,
            progress=100,
            finished_at=timezone.now(),
            result={"summary": message, "succeeded": succeeded, "failed": failed},
        )
    # Each child commits its own end before settling, so the last child to end always sees every end.
    Job.objects.filter(pk=parent_id).exclude(status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED]).update(
        **fields
    )


def _heartbeat_s() -> float:
    return float(getattr(settings, "SIAGA_JOB_HEARTBEAT_S", 5))


class _Heartbeat(threading.Thread):
    """Touches the running job's `heartbeat_at` every few seconds, whatever the work is doing (a solver that
    reports nothing for a minute is alive; a killed worker's thread dies with it)."""

    def __init__(self, job_id: int, attempt: int) -> None:
        super().__init__(name=f"siaga-job-{job_id}-heartbeat", daemon=True)
        self.job_id, self.attempt = job_id, attempt
        self.done = threading.Event()

    def run(self) -> None:
        try:
            while not self.done.wait(_heartbeat_s()):
                try:
                    Job.objects.filter(
                        pk=self.job_id, attempts=self.attempt, status=Job.Status.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # a database blip must not kill the job; the next beat retries
                    log.warning("heartbeat of job %s failed", self.job_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.done.set()


def run_job(job_id: int, work: Callable[[Job, Reporter], dict[str, Any] | None]) -> None:
    """Run `work` for a job, keeping its status, progress, timings and log up to date.

    The job is claimed with a conditional UPDATE (queued -> running): a job delivered twice, or already ended
    or claimed by a live worker, is left alone.
    """
    job = Job.objects.get(pk=job_id)
    # The worker speaks the requester's language: progress, refusals and the summary are shown to them.
    with translation.override((job.params or {}).get("language") or settings.LANGUAGE_CODE):
        _run(job, work)


def _run(job: Job, work: Callable[[Job, Reporter], dict[str, Any] | None]) -> None:
    job_id = job.pk
    attempt = job.attempts + 1
    started = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED, attempts=job.attempts).update(
        status=Job.Status.RUNNING, started_at=started, heartbeat_at=started, progress=0, attempts=attempt
    )
    if not claimed:
        log.warning("job %s not claimed: status %s, attempt %s", job_id, job.status, job.attempts)
        return
    job.status, job.started_at, job.heartbeat_at, job.progress, job.attempts = (
        Job.Status.RUNNING,
        started,
        started,
        0,
        attempt,
    )
    mine = Job.objects.filter(pk=job_id, attempts=attempt, status=Job.Status.RUNNING)

    def _update(**fields: Any) -> None:
        for key, value in fields.items():
            setattr(job, key, value)
        mine.update(**fields)

    def report(percent: float, message: str = "") -> None:
        pct = max(0, min(100, int(percent)))
        now = timezone.now()
        line = f"[{now:%H:%M:%S}] {pct:3d}% {message}".rstrip()
        _update(progress=pct, message=message[:500], log=(job.log + line + "\n")[-20000:], heartbeat_at=now)

    heartbeat = _Heartbeat(job_id, attempt)
    heartbeat.start()
    try:
        result = work(job, report)
    except DomainError as exc:
        _update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=exc.message[:500],
            result={"error": exc.as_dict()},
            log=(job.log + exc.message + "\n" + "\n".join(exc.fields.get("rows", [])) + "\n")[-50_000:],
        )
    except Exception:
        log.exception("job %s failed", job_id)
        _update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message=_("Terjadi kesalahan internal; lihat log server."),
            # The traceback goes to the server log only; users never see a stack trace.
            log=job.log + "error\n",
        )
    else:
        _update(status=Job.Status.SUCCEEDED, finished_at=timezone.now(), progress=100, result=result or {})
    finally:
        heartbeat.stop()
    if job.parent_id:
        settle_parent(job.parent_id)


def _stale_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "SIAGA_JOB_STALE_AFTER_S", 60)))


def reap_stale_jobs(*, now: Any = None) -> list[int]:
    """Queue again (or fail, after `SIAGA_JOB_MAX_ATTEMPTS` runs) every running job whose heartbeat stopped.

    Safe to call from any number of processes at once: each job is taken by a conditional UPDATE on its status
    and attempt, so only one caller re-queues it. Returns the ids of the jobs it handled.
    """
    now = now or timezone.now()
    max_attempts = int(getattr(settings, "SIAGA_JOB_MAX_ATTEMPTS", 2))
    stale = list(
        Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=now - _stale_after())
        .exclude(task_path="")
        .values_list("pk", "attempts", "task_path", "parent_id", "log")
    )
    handled: list[int] = []
    for pk, attempts, task_path, parent_id, job_log in stale:
        line = f"[{now:%H:%M:%S}] " + _("pekerjaan terputus (worker berhenti) pada percobaan %(n)s") % {
            "n": attempts
        }
        same = Job.objects.filter(pk=pk, status=Job.Status.RUNNING, attempts=attempts)
        if attempts < max_attempts:
            with transaction.atomic():
                taken = same.update(
                    status=Job.Status.QUEUED,
                    progress=0,
                    message=_("diulang: worker berhenti"),
                    log=(job_log + line + "\n")[-20000:],
                )
                if taken:
                    transaction.on_commit(partial(import_string(task_path).enqueue, pk))
        else:
            taken = same.update(
                status=Job.Status.FAILED,
                finished_at=now,
                message=_("Gagal: worker berhenti %(n)s kali di tengah pekerjaan.") % {"n": attempts},
                log=(job_log + line + "\n")[-20000:],
            )
            if taken and parent_id:
                settle_parent(parent_id)
        if taken:
            log.warning("job %s: worker lost on attempt %s", pk, attempts)
            handled.append(pk)
    return handled


def reap_every(interval_s: float, stop: threading.Event) -> None:
    """A worker's reaper loop (run in a thread next to the queue worker) until `stop` is set."""
    while not stop.wait(interval_s):
        try:
            reap_stale_jobs()
        except Exception:  # the database may be away for a moment; the next round retries
            log.warning("reaping stale jobs failed", exc_info=True)
        finally:
            close_old_connections()
