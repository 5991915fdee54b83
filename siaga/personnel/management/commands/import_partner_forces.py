"""`siaga import-partner-forces FILE [--polres CODE] [--json]`: TNI, Linmas, Satpol PP from CSV/XLSX."""

from __future__ import annotations

from siaga.personnel.imports import SPECS
from siaga.personnel.management.commands.import_equipment import ResourceImportCommand


class Command(ResourceImportCommand):
    kind = "partner_forces"
    help = (
        "Import partner forces (TNI, Linmas, Satpol PP); any bad row refuses the file. "
        f"Columns: {SPECS['partner_forces'].help}"
    )
