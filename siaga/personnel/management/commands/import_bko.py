"""`siaga import-bko FILE [--polres CODE] [--json]`: BKO in and out from CSV/XLSX."""

from __future__ import annotations

from siaga.personnel.imports import SPECS
from siaga.personnel.management.commands.import_equipment import ResourceImportCommand


class Command(ResourceImportCommand):
    kind = "bko"
    help = f"Import a Polres's BKO (in and out); any bad row refuses the file. Columns: {SPECS['bko'].help}"
