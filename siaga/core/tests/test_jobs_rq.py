"""Jobs on the RQ backend (django-tasks-rq on a real Redis), workers in separate processes, and what happens
to a job whose worker is killed mid-job (retried by another worker, or failed visibly; never stuck running)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import django_rq
import pytest
from django.db import connections
from django.utils import timezone

from siaga.core.jobs import reap_stale_jobs, run_job, start_fan_out, start_job
from siaga.core.models import Job
from siaga.core.tests.tasks_for_tests import counting_task, slow_first_attempt_task

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_a_job_queued_on_redis_runs_on_the_rq_worker(
    run_rq_tasks: Callable[[], None], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(kind="test", title="hitung", task=counting_task, params={"n": 10})
    assert django_rq.get_queue("default").count == 1  # the queue entry is in Redis, not in the database
    run_rq_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.log
    assert job.result == {"summary": "counted to 10", "total": 55}
    assert job.attempts == 1 and job.heartbeat_at is not None and "50% half" in job.log
    assert job.task_path == "siaga.core.tests.tasks_for_tests.counting_task"
    assert django_rq.get_queue("default").count == 0


@pytest.mark.django_db
def test_a_job_delivered_twice_runs_once() -> None:
    job = Job.objects.create(kind="test", title="t", params={"n": 3}, task_path="x")
    runs: list[int] = []

    def work(job: Job, report: Any) -> dict[str, Any]:
        runs.append(job.attempts)
        return {}

    run_job(job.pk, work)
    run_job(job.pk, work)  # at-least-once delivery: the second copy finds the job already ended
    job.refresh_from_db()
    assert runs == [1] and job.status == Job.Status.SUCCEEDED and job.attempts == 1


@pytest.mark.django_db
def test_a_silent_running_job_is_queued_again_then_failed_visibly(
    rq_backend: str, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SIAGA_JOB_STALE_AFTER_S = 30
    settings.SIAGA_JOB_MAX_ATTEMPTS = 2
    parent = start_fan_out(kind="test.fan", title="induk")
    old = timezone.now() - timedelta(seconds=31)
    job = Job.objects.create(
        kind="test", title="t", params={"n": 2}, task_path="siaga.core.tests.tasks_for_tests.counting_task",
        status=Job.Status.RUNNING, attempts=1, heartbeat_at=old, parent=parent,
    )  # fmt: skip
    alive = Job.objects.create(
        kind="test", title="alive", task_path=job.task_path, status=Job.Status.RUNNING, attempts=1,
        heartbeat_at=timezone.now() - timedelta(seconds=5),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert reap_stale_jobs() == [job.pk]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and "terputus" in job.log
    assert django_rq.get_queue("default").count == 1  # queued again on Redis
    # The second run dies too: the job fails with a message saying why, and its fan-out ends.
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=2, heartbeat_at=old)
    assert reap_stale_jobs() == [job.pk]
    job.refresh_from_db()
    parent.refresh_from_db()
    alive.refresh_from_db()
    assert job.status == Job.Status.FAILED and "2" in job.message and job.finished_at is not None
    assert parent.status == Job.Status.FAILED and parent.result["failed"] == 1
    assert alive.status == Job.Status.RUNNING


@pytest.mark.django_db
def test_a_fan_out_follows_its_children(
    run_rq_tasks: Callable[[], None], django_capture_on_commit_callbacks: Any
) -> None:
    parent = start_fan_out(kind="test.fan", title="induk")
    with django_capture_on_commit_callbacks(execute=True):
        for n in (1, 2, 3):
            start_job(kind="test", title=f"anak {n}", task=counting_task, params={"n": n}, parent=parent)
    parent.refresh_from_db()
    assert parent.status == Job.Status.RUNNING and parent.progress == 0
    run_rq_tasks()
    parent.refresh_from_db()
    assert parent.status == Job.Status.SUCCEEDED and parent.progress == 100
    assert parent.result["succeeded"] == 3 and parent.finished_at is not None


# --- workers in separate processes ---------------------------------------------------------------------------


class SharedDatabase:
    """The test database, reachable by worker processes: PostgreSQL as it is; SQLite's in-memory test
    database copied to a file that this test's connection then uses too (put back afterwards)."""

    def __init__(self, tmp_path: Path) -> None:
        self.conn = connections["default"]
        self.saved: tuple[Any, str] | None = None
        settings = self.conn.settings_dict
        if self.conn.vendor == "postgresql":
            # Host and port may sit in OPTIONS (a socket folder given in DATABASE_URL's query string).
            params = self.conn.get_connection_params()
            query = "&".join(f"{k}={params[k]}" for k in ("host", "port") if params.get(k))
            self.url = f"postgres://{params['user']}@/{params['dbname']}?{query}"
            return
        path = tmp_path / "shared.sqlite3"
        self.conn.ensure_connection()
        target = sqlite3.connect(path)
        self.conn.connection.backup(target)
        target.close()
        # Closing an in-memory database's last connection would destroy it: keep it aside, open the file.
        self.saved = (self.conn.connection, settings["NAME"])
        self.conn.connection = None
        settings["NAME"] = str(path)
        self.url = f"sqlite:///{path}"

    def restore(self) -> None:
        if self.saved is not None:
            self.conn.close()
            self.conn.connection, self.conn.settings_dict["NAME"] = self.saved


@pytest.fixture
def shared_database(transactional_db: Any, tmp_path: Path) -> Iterator[SharedDatabase]:
    shared = SharedDatabase(tmp_path)
    try:
        yield shared
    finally:
        shared.restore()


class Worker:
    """`siaga worker` in its own process group, standing for a machine of its own: its own environment,
    sharing only the database and Redis with the others."""

    def __init__(self, name: str, database_url: str, redis_url: str, log: Path) -> None:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", "/tmp"),
            "DJANGO_SETTINGS_MODULE": "siaga.settings",
            "DATABASE_URL": database_url,
            "SIAGA_DATA_DIR": str(log.parent),
            "SIAGA_TASKS_BACKEND": "django_tasks_rq.RQBackend",
            "SIAGA_REDIS_URL": redis_url,
            "SIAGA_JOB_HEARTBEAT_S": "0.5",
            "SIAGA_JOB_STALE_AFTER_S": "3",
            "SIAGA_JOB_REAP_INTERVAL_S": "1",
            "SIAGA_SECRET_KEY": "worker-test-" + name,
            # Only the queue is under test: the periodic tasks (alerts, Lapsit) would write to the shared test
            # database from a thread of their own.
            "SIAGA_SCHEDULER": "false",
        }
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "siaga.cli", "worker", "--name", name],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL to the whole process group: the machine is gone, nothing gets to clean up."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


def wait_for(check: Callable[[], bool], seconds: float, what: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs if p.exists())
            raise AssertionError(f"timed out waiting for {what} ({connections['default'].vendor})\n{tails}")
        time.sleep(0.2)


def test_a_job_whose_worker_is_killed_mid_job_is_finished_by_another_worker(
    shared_database: SharedDatabase, rq_backend: str, tmp_path: Path
) -> None:
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    first = Worker("mesin-a", shared_database.url, rq_backend, logs[0])
    second: Worker | None = None
    try:
        job = start_job(kind="test", title="lama", task=slow_first_attempt_task, params={"seconds": 120})
        assert django_rq.get_queue("default").count == 1

        def running() -> bool:
            job.refresh_from_db()
            return job.status == Job.Status.RUNNING and job.progress == 10

        wait_for(running, 60, "worker A to start the job", logs)
        beat = job.heartbeat_at
        wait_for(lambda: Job.objects.get(pk=job.pk).heartbeat_at != beat, 10, "a heartbeat", logs)
        first.kill()
        assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING  # nobody has told the row yet
        second = Worker("mesin-b", shared_database.url, rq_backend, logs[1])

        def finished() -> bool:
            job.refresh_from_db()
            return job.is_finished

        wait_for(finished, 60, "worker B to reap and finish the job", logs)
        assert job.status == Job.Status.SUCCEEDED, job.log
        assert job.attempts == 2 and job.result == {"summary": "done on attempt 2"}
        assert "terputus" in job.log and "attempt 1" in job.log and "attempt 2" in job.log
    finally:
        if first.proc.poll() is None:
            first.kill()
        if second is not None:
            second.stop()
