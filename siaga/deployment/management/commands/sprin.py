"""`siaga sprin --plan ID --out FILE.pdf [--polsek CODE]`: print a plan's Sprin with its lampiran to a PDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.core.audit import record_change
from siaga.core.jobs import no_progress
from siaga.core.management.base import SiagaCommand
from siaga.core.models import AuditEvent
from siaga.deployment.documents import build_sprin
from siaga.deployment.models import DeploymentPlan
from siaga.territory.models import PoliceUnit


class Command(SiagaCommand):
    help = "Write a plan's Sprin (whole Polres, or one Polsek) as a PDF file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="plan id")
        parser.add_argument("--out", type=Path, required=True, help="PDF file to write")
        parser.add_argument("--polsek", default="", help="only this Polsek's lampiran (its code)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = DeploymentPlan.objects.select_related("election", "polres").filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Rencana tidak ada / No plan {options['plan']}")
        polsek_id = None
        if options["polsek"]:
            polsek = PoliceUnit.objects.filter(code=options["polsek"]).first()
            if polsek is None:
                raise CommandError(f"Polsek tidak ada / No Polsek {options['polsek']}")
            polsek_id = polsek.pk
        quiet = options["json"] or options["verbosity"] < 1
        sprin = build_sprin(plan, polsek_id=polsek_id, report=no_progress if quiet else self.progress)
        options["out"].write_bytes(sprin.data)
        # A Sprin names officers and their TPS: printing it is recorded, as the download is on the web.
        record_change(
            actor=None,
            action=AuditEvent.Action.EXPORT,
            obj=plan,
            message=f"Sprin PDF -> {options['out'].name}",
        )
        out = {"plan_id": plan.pk, "pages": sprin.pages, "officers": sprin.officers, "bytes": len(sprin.data)}
        self.stdout.write(json.dumps(out) if options["json"] else self.style.SUCCESS(str(out)))
