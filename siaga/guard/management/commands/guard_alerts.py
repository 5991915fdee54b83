"""`siaga guard_alerts`: store the guard alerts in force now (run every minute from cron), optionally looping."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from siaga.guard.services import refresh_alerts


class Command(BaseCommand):
    help = "Raise and close guard-post alerts (unstaffed post, empty CCTV seat, missed handover)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="ISO datetime to evaluate at (default: now)")
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            now = dt.datetime.fromisoformat(options["now"]) if options["now"] else timezone.now()
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
            self.stdout.write(json.dumps({"at": now.isoformat(), **refresh_alerts(now=now)}))
            if not options["every"]:
                return
            time.sleep(options["every"])
