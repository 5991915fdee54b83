"""`siaga verify-audit`: seal new audit records into the hash chain, then verify every record and seal.

Exit status 1 when anything does not match (a changed, deleted or inserted record). Run it from cron (hourly)
so new records are sealed soon after they are written; `--no-seal` only verifies.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from siaga.core.audit import seal_audit, verify_audit


class Command(BaseCommand):
    help = "Seal new audit records into the hash chain and verify the whole audit trail."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-seal", action="store_true", help="verify only")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            seal = seal_audit()
            if seal is not None:
                self.stdout.write(f"sealed {seal.rows} new record(s) up to id {seal.upto_id}")
        result = verify_audit()
        for problem in result.problems:
            self.stderr.write(problem)
        summary = f"{result.records} record(s), {result.sealed} sealed, {result.unsealed} not yet sealed"
        if not result.ok:
            raise CommandError(f"audit trail NOT intact: {len(result.problems)} problem(s); {summary}")
        self.stdout.write(f"audit trail intact: {summary}")
