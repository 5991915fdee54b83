from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from siaga.core.management.base import SiagaCommand
from siaga.personnel.services import PERSONNEL_COLUMNS_HELP, import_personnel
from siaga.territory.models import PoliceUnit


class Command(SiagaCommand):
    help = f"Import a Polres personnel list (DSP) from CSV or XLSX; any bad row refuses the file. Columns: {PERSONNEL_COLUMNS_HELP}"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--polres", default="", help="Polres code, e.g. polres-jember (default: the only Polres)"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ada / File not found: {path}")
        polres_units = PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES)
        if options["polres"]:
            polres_units = polres_units.filter(code=options["polres"])
        units = list(polres_units[:2])
        if len(units) != 1:
            raise CommandError("Sebutkan --polres KODE / Give --polres CODE (a Polres that exists)")
        with path.open("rb") as fh:
            result = import_personnel(
                polres=units[0],
                source=fh,
                filename=path.name,
                report=(lambda p, m="": None) if options["json"] else self.progress,
            )
        self.stdout.write(json.dumps(result) if options["json"] else self.style.SUCCESS(str(result)))
