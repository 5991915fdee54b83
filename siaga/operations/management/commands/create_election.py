"""`siaga create-election --slug S --name N --kind pemilu|pilkada --voting-day YYYY-MM-DD [--calendar KEY]
[--polres CODE] [--json]`: create an election with its stage calendar from a PKPU template."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.core.management.base import SiagaCommand
from siaga.operations import reference, setup


def iso_date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"Tanggal harus YYYY-MM-DD / Date must be YYYY-MM-DD: {raw}") from exc


class Command(SiagaCommand):
    help = "Create an election (Pemilu or Pilkada) with its voting day and its PKPU stage calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="code, e.g. pilkada-2029 (a-z, 0-9, -)")
        parser.add_argument("--name", required=True, help="name, e.g. 'Pilkada Kabupaten Contoh 2029'")
        parser.add_argument("--kind", required=True, choices=["pemilu", "pilkada"])
        parser.add_argument("--voting-day", required=True, help="voting day, YYYY-MM-DD")
        parser.add_argument(
            "--calendar",
            default=None,
            help="stage calendar template ("
            + ", ".join(t.key for t in reference.CALENDAR_TEMPLATES)
            + "; default: the one of the kind; 'none' for no stages)",
        )
        parser.add_argument("--max-voters", type=int, default=None, help="voters per TPS (default 300 / 600)")
        parser.add_argument("--polres", default="", help="Polres code named in the audit trail")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        polres = setup.get_polres(options["polres"]) if options["polres"] else None
        calendar = options["calendar"]
        election = setup.create_election(
            actor=None,
            slug=options["slug"],
            name=options["name"],
            kind=options["kind"],
            voting_on=iso_date(options["voting_day"]),
            calendar="" if calendar == "none" else calendar,
            max_voters_per_tps=options["max_voters"],
            polres=polres,
        )
        out = {
            "slug": election.slug,
            "name": election.name,
            "kind": election.kind,
            "voting_day": election.voting_on.isoformat(),
            "stages": election.stages.count(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(out))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Pemilihan / election {out['slug']} ({out['voting_day']}): {out['stages']} tahapan / stages"
                )
            )
