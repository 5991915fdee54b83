from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.accounts.models import User
from siaga.accounts.services import ACCOUNT_COLUMNS_HELP, import_accounts
from siaga.core.management.base import SiagaCommand


class Command(SiagaCommand):
    help = (
        "Import accounts from CSV or XLSX as an administrator (--as), within that administrator's Polres; "
        f"any bad row refuses the file. Columns: {ACCOUNT_COLUMNS_HELP}"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as",
            dest="actor",
            required=True,
            help="username of the administrator doing the import (its Polres bounds the units; it is audited)",
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ada / File not found: {path}")
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(f"Akun aktif tidak ada / No active account: {options['actor']}")
        with path.open("rb") as fh:
            result = import_accounts(
                actor=actor,
                source=fh,
                filename=path.name,
                report=(lambda p, m="": None) if options["json"] else self.progress,
            )
        self.stdout.write(json.dumps(result) if options["json"] else self.style.SUCCESS(str(result)))
