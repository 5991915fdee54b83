"""`siaga plan --election SLUG [--polres CODE] [--time-limit S] [--seed N] [--workers W] --json`: plan the PAM
TPS deployment, save it as a draft version and print its figures (one JSON object with --json)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.core.management.base import SiagaCommand
from siaga.deployment import services
from siaga.operations.models import Election
from siaga.territory.models import PoliceUnit


class Command(SiagaCommand):
    help = "Plan PAM TPS for an election and Polres, save a draft plan and print its figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--election", required=True, help="election slug, e.g. pemilu-2024")
        parser.add_argument("--polres", default="", help="Polres code (default: the only Polres)")
        parser.add_argument("--time-limit", type=float, default=60.0)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--polsek", action="append", default=[], help="plan only these Polsek codes")
        parser.add_argument("--no-lending", action="store_true", help="officers serve only their own Polsek")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            raise CommandError(f"Pemilihan tidak ditemukan / election not found: {options['election']}")
        polres_qs = PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES)
        polres = polres_qs.filter(code=options["polres"]).first() if options["polres"] else polres_qs.first()
        if polres is None or (not options["polres"] and polres_qs.count() > 1):
            raise CommandError("Sebutkan --polres / give --polres CODE")
        parameters: dict[str, Any] = {"allow_officer_lending": not options["no_lending"]}
        if options["polsek"]:
            parameters["polsek_ids"] = list(
                PoliceUnit.objects.filter(code__in=options["polsek"]).values_list("pk", flat=True)
            )
        run = services.create_run(
            actor=None,
            election=election,
            polres=polres,
            time_limit=options["time_limit"],
            seed=options["seed"],
            workers=options["workers"],
            parameters=parameters,
        )
        quiet = options["json"] or options["verbosity"] < 1
        plan = services.execute_run(run=run, report=None if quiet else self.progress)
        run.refresh_from_db()
        out = {
            "plan_id": plan.pk,
            "version": plan.version,
            "election": election.slug,
            "polres": polres.code,
            "tps_total": plan.tps_total,
            "tps_covered": plan.tps_covered,
            "tps_uncovered": plan.tps_uncovered,
            "officers_available": plan.parameters.get("officers_available"),
            "officers_used": plan.officers_used,
            "teams": plan.teams.count(),
            "padal": plan.padal.count(),
            "first_valid_s": run.first_valid_s,
            "final_s": run.final_s,
            "total_route_km": plan.total_route_km,
            "max_route_km": plan.max_route_km,
            "valid": plan.is_valid,
            "violations": plan.violations,
            "officer_source": plan.parameters.get("officer_source"),
        }
        if options["json"]:
            self.stdout.write(json.dumps(out))
        else:
            for key, value in out.items():
                self.stdout.write(f"{key:>18}: {value}")
