from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser

from siaga.core.management.base import SiagaCommand


class Command(SiagaCommand):
    help = "Run a background worker for the Django Tasks queue (imports, plans, reports) and the scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="process the queued tasks, then exit")
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="do not run the periodic tasks (alerts, expiries) in this worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--batch"] if options["batch"] else []
        # The scheduler thread runs the periodic tasks (siaga.posko.scheduler); any number of workers may run
        # it: each time slot is claimed by one of them through a unique row.
        scheduler = None
        if not options["batch"] and not options["no_scheduler"] and settings.SIAGA_SCHEDULER:
            from siaga.posko.scheduler import start_thread

            scheduler = start_thread()
        try:
            call_command("db_worker", *extra, "--interval", "0.5")
        finally:
            if scheduler is not None:
                scheduler[1].set()
