"""`siaga apply-pattern-template --election S --template T [--polres CODE] [--json]`, or `--list`: copy a
published security pattern (domain.md 1.4) into a Polres and election."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.core.management.base import SiagaCommand
from siaga.operations import services, setup


class Command(SiagaCommand):
    help = "Copy a published TPS security pattern into a Polres and election; --list shows the templates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="list the templates and stop")
        parser.add_argument("--election", default="", help="election code")
        parser.add_argument("--template", default="", help="template key (see --list)")
        parser.add_argument("--polres", default="", help="Polres code (default: the only Polres)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            rows = [
                {
                    "key": t.key,
                    "title": t.title,
                    "lines": [
                        f"{line.category} {line.name}: {line.police} Polri / {line.tps} TPS / {line.linmas} Linmas"
                        for line in t.lines
                    ],
                    "source": t.source,
                }
                for t in setup.pattern_templates()
            ]
            if options["json"]:
                self.stdout.write(json.dumps(rows))
                return
            for row in rows:
                self.stdout.write(f"{row['key']:<18} {row['title']}")
                for line in row["lines"]:
                    self.stdout.write(f"{'':<18}   {line}")
            return
        if not options["election"] or not options["template"]:
            raise CommandError("--election dan --template wajib / are required (or --list)")
        saved = services.copy_pattern_template(
            actor=None,
            key=options["template"],
            polres=setup.get_polres(options["polres"]),
            election=services.get_election(options["election"]),
        )
        out = [
            {
                "category": p.category.code,
                "name": p.name,
                "police": p.police,
                "tps": p.tps,
                "linmas": p.linmas,
            }
            for p in saved
        ]
        if options["json"]:
            self.stdout.write(json.dumps(out))
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(out)} sub-pola disalin / sub-patterns copied"))
