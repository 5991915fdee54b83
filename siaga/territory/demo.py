"""Jember demo territory: the real kabupaten, kecamatan, desa, Polres, Polsek and election offices."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from siaga.territory import services
from siaga.territory.importers import TerritoryFiles, import_territory
from siaga.territory.models import PoliceUnit

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
    load_polda(actor=None)


def load_polda(*, actor: object) -> PoliceUnit:
    """Mabes Polri and Polda Jawa Timur above Polres Jember (issue 20), at their real headquarters."""
    mabes = services.save_unit_above_polres(
        actor=actor,
        code="mabes-polri",
        name="Mabes Polri",
        level=PoliceUnit.Level.MABES,
        lat=-6.2402,  # Jl. Trunojoyo 3, Kebayoran Baru, Jakarta Selatan
        lng=106.8013,
        address="Jl. Trunojoyo No. 3, Kebayoran Baru, Jakarta Selatan",
    )
    polda = services.save_unit_above_polres(
        actor=actor,
        code="polda-jatim",
        name="Polda Jawa Timur",
        level=PoliceUnit.Level.POLDA,
        lat=-7.3470,  # Jl. Ahmad Yani 116, Surabaya
        lng=112.7295,
        parent=mabes,
        address="Jl. Ahmad Yani No. 116, Surabaya",
    )
    services.attach_polres(actor=actor, polres=PoliceUnit.objects.get(code="polres-jember"), polda=polda)
    return polda
