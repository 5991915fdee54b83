"""`siaga bench routing DIR... --time-limit S --seeds N [--workers W] --json`: the routing core on VRPLIB instances
(`.vrp`/`.vrptw`, with the `.sol` beside it when present); one JSON object per instance."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.core.management.base import SiagaCommand
from siaga.optimization.routing import run_vrplib_benchmark


class Command(SiagaCommand):
    help = "Run the routing core on VRPLIB instances and print the gap to the best-known solution."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="folders or instance files")
        parser.add_argument("--time-limit", type=float, default=10.0)
        parser.add_argument("--seeds", type=int, default=10)
        parser.add_argument(
            "--workers", type=int, default=1, help="seeds run at once, one process each (at most the cores)"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = run_vrplib_benchmark(
                options["paths"],
                time_limit=options["time_limit"],
                seeds=options["seeds"],
                workers=options["workers"],
            )
        except ValueError as exc:  # a file whose cost convention the runner does not know: no made-up gap
            raise CommandError(str(exc)) from None
        for row in rows:
            if options["json"]:
                self.stdout.write(json.dumps(row))
            else:
                self.stdout.write(
                    f"{row['instance']}: BKS {row['bks']}, mean {row['mean_cost']}, "
                    f"gap {row['mean_gap_pct']} % (worst {row['worst_gap_pct']} %)"
                )
