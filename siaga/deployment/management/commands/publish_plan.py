"""`siaga publish-plan --plan ID --sprin-number N --sprin-on YYYY-MM-DD [--json]`: review a valid draft and
publish it with its Sprin number and date (the plan's status machine, audited; the older version is amended)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.core.management.base import SiagaCommand
from siaga.deployment import services
from siaga.deployment.models import DeploymentPlan
from siaga.operations.management.commands.create_election import iso_date


class Command(SiagaCommand):
    help = "Publish a PAM TPS plan (draft -> reviewed -> published) with its Sprin number and date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="plan id (printed by `siaga plan`)")
        parser.add_argument("--sprin-number", required=True, help="e.g. Sprin/123/XI/OPS.1.3./2029")
        parser.add_argument("--sprin-on", required=True, help="Sprin date, YYYY-MM-DD")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = DeploymentPlan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Rencana tidak ada / No plan {options['plan']}")
        S = DeploymentPlan.Status
        if plan.status == S.DRAFT:
            plan = services.transition_plan(actor=None, plan=plan, to=S.REVIEWED)
        plan = services.transition_plan(
            actor=None,
            plan=plan,
            to=S.PUBLISHED,
            sprin_number=options["sprin_number"],
            sprin_on=iso_date(options["sprin_on"]),
        )
        out = {
            "plan_id": plan.pk,
            "version": plan.version,
            "status": plan.status,
            "sprin_number": plan.sprin_number,
        }
        self.stdout.write(json.dumps(out) if options["json"] else self.style.SUCCESS(str(out)))
