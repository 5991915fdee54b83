"""Jember demo territory: the real kabupaten, kecamatan, desa, Polres, Polsek and election offices."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from siaga.territory.importers import TerritoryFiles, import_territory

JEMBER_DIR = Path(__file__).resolve().parent / "data" / "jember"


def jember_files() -> TerritoryFiles:
    return TerritoryFiles(
        desa=JEMBER_DIR / "jember_desa.csv",
        boundaries=JEMBER_DIR / "jember_desa_boundaries.geojson",
        kecamatan_boundaries=JEMBER_DIR / "jember_kecamatan_boundaries.geojson",
        kabupaten_boundary=JEMBER_DIR / "jember_kabupaten_boundary.geojson",
        police_units=JEMBER_DIR / "jember_police_units.csv",
        offices=JEMBER_DIR / "jember_election_offices.csv",
    )


def load_demo(*, report: Callable[[float, str], None]) -> None:
    import_territory(files=jember_files(), report=report)
