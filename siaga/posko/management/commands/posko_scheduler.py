from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import CommandParser

from siaga.core.management.base import SiagaCommand
from siaga.posko import scheduler


class Command(SiagaCommand):
    help = "Run the scheduler alone (periodic alerts and expiries), e.g. next to RQ workers; --once runs what is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run the tasks due now, print them, exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self.stdout.write(str(scheduler.run_due()))
            return
        stop = threading.Event()
        try:
            scheduler.loop(stop)
        except KeyboardInterrupt:
            stop.set()
