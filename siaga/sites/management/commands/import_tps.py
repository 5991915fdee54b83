from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.core.jobs import no_progress
from siaga.core.management.base import SiagaCommand
from siaga.sites.services import TPS_COLUMNS_HELP, get_election, import_tps


class Command(SiagaCommand):
    help = f"Import an election's TPS list from CSV or XLSX. Columns: {TPS_COLUMNS_HELP}"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--election", required=True, help="election slug, e.g. pemilu-2024")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--overwrite-captured",
            action="store_true",
            help="replace coordinates, address and access notes captured by officers when the file differs "
            "(default: keep them and list the conflicts)",
        )
        parser.add_argument("--json", action="store_true", help="print the result (or the error) as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ada / File not found: {path}")
        election = get_election(options["election"])
        with path.open("rb") as fh:
            result = import_tps(
                election=election,
                source=fh,
                filename=path.name,
                overwrite_captured=options["overwrite_captured"],
                report=no_progress if options["json"] else self.progress,
            )
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        conflicts = result.pop("conflicts")
        self.stdout.write(self.style.SUCCESS(str(result)))
        for c in conflicts:
            self.stdout.write(
                f"  konflik / conflict: baris {c['row']} TPS {c['tps']} {c['column']}: "
                f"Siaga={c['siaga']!r} berkas/file={c['file']!r} -> {c['resolution']}"
            )
