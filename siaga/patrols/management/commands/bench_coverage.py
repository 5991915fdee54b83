"""`siaga bench coverage --points N --resources M --seed S --json`: the patrol coverage benchmark.

Solves a random patrol game with ORIGAMI, checks it against the exact MILP when N is small, and samples
1,000 days to measure the worst gap between visit frequency and coverage (siaga.optimization.patrols.bench).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from siaga.optimization.patrols.bench import run_coverage_bench


class Command(BaseCommand):
    help = "Patrol coverage benchmark: ORIGAMI time, MILP check (small N) and sampling deviation over 1,000 days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--points", type=int, default=200)
        parser.add_argument("--resources", type=float, default=None, help="default: points / 5")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["points"] < 1:
            raise ValueError("--points must be at least 1")
        figures = run_coverage_bench(options["points"], options["resources"], options["seed"])
        if options["json"]:
            self.stdout.write(json.dumps(figures, sort_keys=True))
            return
        for key, value in figures.items():
            self.stdout.write(f"{key:32s} {value}")
