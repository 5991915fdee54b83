"""`siaga bench roster-curtois FILE --time-limit S --json`: the roster engine on a Curtois & Qu instance."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from siaga.optimization.roster.curtois import run_curtois


class Command(BaseCommand):
    help = "Curtois & Qu shift-scheduling benchmark: prints instance, objective, status and seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="benchmark file (InstanceN.txt)")
        parser.add_argument("--time-limit", type=float, default=30.0, help="seconds")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        row = run_curtois(
            options["path"], options["time_limit"], seed=options["seed"], workers=options["workers"]
        )
        out = {k: row[k] for k in ("instance", "objective", "status", "seconds")}
        if options["json"]:
            self.stdout.write(json.dumps(out))
        else:
            self.stdout.write(
                f"{out['instance']}: objective={out['objective']} status={out['status']} seconds={out['seconds']}"
            )
