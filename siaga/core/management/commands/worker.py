from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser

from siaga.core.jobs import reap_every
from siaga.core.management.base import SiagaCommand


class Command(SiagaCommand):
    help = (
        "Run a background worker for the task queue (imports, plans, reports) and the scheduler: the database "
        "queue by default, Redis with SIAGA_TASKS_BACKEND=django_tasks_rq.RQBackend. Every worker also re-queues "
        "the jobs of workers that died (siaga.core.jobs.reap_stale_jobs)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="process the queued tasks, then exit")
        parser.add_argument("--name", default=None, help="worker name (RQ), shown in the queue's worker list")
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="do not run the periodic tasks (alerts, expiries) in this worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        reaper = threading.Thread(
            target=reap_every,
            args=(settings.SIAGA_JOB_REAP_INTERVAL_S, stop),
            name="siaga-reaper",
            daemon=True,
        )
        reaper.start()
        # The scheduler thread runs the periodic tasks (siaga.posko.scheduler); any number of workers may run
        # it: each time slot is claimed by one of them through a unique row.
        scheduler = None
        if not options["batch"] and not options["no_scheduler"] and settings.SIAGA_SCHEDULER:
            from siaga.posko.scheduler import start_thread

            scheduler = start_thread()
        try:
            if str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_rq"):
                from siaga.core.rq import run_worker

                run_worker(burst=options["batch"], name=options["name"])
            else:
                extra = ["--batch"] if options["batch"] else []
                call_command("db_worker", *extra, "--interval", "0.5")
        finally:
            stop.set()
            if scheduler is not None:
                scheduler[1].set()
