"""`siaga import-equipment FILE [--polres CODE] [--json]`: equipment (vehicles, HT, Almatsus) from CSV/XLSX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.core.jobs import no_progress
from siaga.core.management.base import SiagaCommand
from siaga.operations.setup import get_polres
from siaga.personnel.imports import SPECS, import_resources


class ResourceImportCommand(SiagaCommand):
    """Shared by the equipment, BKO and partner-force imports."""

    kind = "equipment"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--polres", default="", help="Polres code (default: the only Polres)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ada / File not found: {path}")
        with path.open("rb") as fh:
            result = import_resources(
                kind=self.kind,
                polres=get_polres(options["polres"]),
                source=fh,
                filename=path.name,
                report=no_progress if options["json"] else self.progress,
            )
        self.stdout.write(json.dumps(result) if options["json"] else self.style.SUCCESS(str(result)))


class Command(ResourceImportCommand):
    kind = "equipment"
    help = f"Import a Polres's equipment; any bad row refuses the file. Columns: {SPECS['equipment'].help}"
