"""`siaga create-operation --slug S --name N --election S --starts-on D --ends-on D [--polres CODE]
[--no-satgas] [--json]`: create the Polres's operation for an election with its window and satgas."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from siaga.core.management.base import SiagaCommand
from siaga.operations import services, setup
from siaga.operations.management.commands.create_election import iso_date


class Command(SiagaCommand):
    help = "Create a Polres operation (e.g. Operasi Mantap Praja) for an election, with the usual satgas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="code, e.g. mantap-praja-2029")
        parser.add_argument("--name", required=True)
        parser.add_argument("--election", required=True, help="election code")
        parser.add_argument("--starts-on", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--ends-on", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--polres", default="", help="Polres code (default: the only Polres)")
        parser.add_argument(
            "--police-available", type=int, default=None, help="officers available for PAM TPS"
        )
        parser.add_argument("--no-satgas", action="store_true", help="do not add the usual satgas structure")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        operation = setup.create_operation(
            actor=None,
            slug=options["slug"],
            name=options["name"],
            election=services.get_election(options["election"]),
            polres=setup.get_polres(options["polres"]),
            starts_on=iso_date(options["starts_on"]),
            ends_on=iso_date(options["ends_on"]),
            police_available=options["police_available"],
            with_satgas=not options["no_satgas"],
        )
        out = {
            "slug": operation.slug,
            "election": operation.election.slug,
            "polres": operation.polres.code,
            "starts_on": operation.starts_on.isoformat(),
            "ends_on": operation.ends_on.isoformat(),
            "satgas": operation.satgas.count(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(out))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Operasi / operation {out['slug']} ({out['starts_on']} - {out['ends_on']}), "
                    f"{out['satgas']} satgas"
                )
            )
