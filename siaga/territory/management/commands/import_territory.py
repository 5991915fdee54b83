from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from siaga.core.jobs import no_progress
from siaga.core.management.base import SiagaCommand
from siaga.territory.importers import TerritoryFiles, import_territory


class Command(SiagaCommand):
    help = "Import a kabupaten's desa, boundaries, police units and election offices (all-or-nothing, idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--desa", required=True, type=Path, help="CSV/XLSX desa list (kode_desa, kode_kecamatan, ...)"
        )
        parser.add_argument(
            "--boundaries", required=True, type=Path, help="GeoJSON desa boundaries (property kode_desa)"
        )
        parser.add_argument(
            "--kecamatan-boundaries", type=Path, help="GeoJSON kecamatan boundaries (property kode_kecamatan)"
        )
        parser.add_argument(
            "--kabupaten-boundary", type=Path, help="GeoJSON kabupaten boundary (properties kode, nama)"
        )
        parser.add_argument(
            "--police-units", type=Path, help="CSV Polres/Polsek/Polsubsektor with kode_kecamatan"
        )
        parser.add_argument("--offices", type=Path, help="CSV KPU/Bawaslu offices")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        files = TerritoryFiles(
            desa=options["desa"],
            boundaries=options["boundaries"],
            kecamatan_boundaries=options["kecamatan_boundaries"],
            kabupaten_boundary=options["kabupaten_boundary"],
            police_units=options["police_units"],
            offices=options["offices"],
        )
        for path in [p for p in vars(files).values() if p is not None]:
            if not Path(path).is_file():
                from django.core.management.base import CommandError

                raise CommandError(f"Berkas tidak ada / File not found: {path}")
        summary = import_territory(files=files, report=no_progress if options["json"] else self.progress)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict()))
        else:
            self.stdout.write(self.style.SUCCESS(summary.text()))
