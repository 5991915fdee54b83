"""`siaga import-territory`: counts, idempotence, and all-or-nothing refusal with row-level messages."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from siaga.core.errors import ImportRejected
from siaga.core.models import AuditEvent
from siaga.sites.models import VitalObject
from siaga.territory.demo import JEMBER_DIR, jember_files
from siaga.territory.importers import import_territory
from siaga.territory.models import Desa, Kabupaten, Kecamatan, PoliceUnit

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Kabupaten.objects.count(),
        Kecamatan.objects.count(),
        Desa.objects.count(),
        PoliceUnit.objects.count(),
        VitalObject.objects.count(),
    )


def _cli(**files: Path) -> None:
    args = []
    for key, path in files.items():
        args += [f"--{key.replace('_', '-')}", str(path)]
    call_command("import_territory", *args, verbosity=0)


def test_cli_import_into_an_empty_database_gives_jember_counts_and_twice_changes_nothing(
    tmp_path: Path,
) -> None:
    """End to end through the `siaga` console script, on a new empty SQLite database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["SIAGA_DATA_DIR"] = str(tmp_path)
    siaga = str(Path(sys.executable).parent / "siaga")
    subprocess.run([siaga, "migrate", "-v", "0"], env=env, check=True)
    args = [
        siaga,
        "import-territory",
        "--json",
        "--desa",
        str(JEMBER_DIR / "jember_desa.csv"),
        "--boundaries",
        str(JEMBER_DIR / "jember_desa_boundaries.geojson"),
        "--kecamatan-boundaries",
        str(JEMBER_DIR / "jember_kecamatan_boundaries.geojson"),
        "--police-units",
        str(JEMBER_DIR / "jember_police_units.csv"),
        "--offices",
        str(JEMBER_DIR / "jember_election_offices.csv"),
    ]
    first = json.loads(subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout)
    assert first["created"] == {
        "kabupaten/kota": 1,
        "kecamatan": 31,
        "desa/kelurahan": 248,
        "satuan kewilayahan": 32,
        "objek vital": 2,
    }
    second = json.loads(subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout)
    assert second["created"] == {} and second["updated"] == {}
    assert sum(second["unchanged"].values()) == 1 + 31 + 248 + 32 + 2
    with sqlite3.connect(tmp_path / "siaga.sqlite3") as db:
        tempurejo = db.execute(
            "SELECT k.name FROM territory_policeunit u JOIN territory_policeunit_jurisdiction j ON j.policeunit_id = u.id "
            "JOIN territory_kecamatan k ON k.id = j.kecamatan_id WHERE u.code = 'polsek-tempurejo'"
        ).fetchall()
        assert tempurejo == [("Tempurejo",)]
        assert db.execute("SELECT count(*) FROM territory_desa WHERE kind = 'kelurahan'").fetchone() == (22,)


def test_session_database_holds_the_whole_territory(db: Any) -> None:
    # 32 units from the file, plus Polda Jawa Timur and Mabes Polri that the demo puts above Polres Jember.
    assert _counts() == (1, 31, 248, 32 + 2, 2)
    polres = PoliceUnit.objects.get(level=PoliceUnit.Level.POLRES)
    assert polres.jurisdiction.count() == 31
    assert Kecamatan.objects.exclude(boundary=None).count() == 31


def test_importing_twice_changes_nothing(db: Any) -> None:
    # The session database already holds the same import: a second run must write nothing.
    before = (_counts(), AuditEvent.objects.count())
    summary = import_territory(files=jember_files())
    assert dict(summary.created) == {}
    assert dict(summary.updated) == {}
    assert sum(summary.unchanged.values()) == 1 + 31 + 248 + 32 + 2
    assert (_counts(), AuditEvent.objects.count()) == before
    # Re-importing the kabupaten keeps its Polres under the Polda it was attached to.
    assert PoliceUnit.objects.get(code="polres-jember").parent.code == "polda-jatim"


def _copy(tmp_path: Path, name: str, edit: Any = None) -> Path:
    target = tmp_path / name
    shutil.copy(JEMBER_DIR / name, target)
    if edit:
        target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def _reject(files: Any) -> ImportRejected:
    with pytest.raises(ImportRejected) as info:
        import_territory(files=files)
    return info.value


def test_bad_desa_code_is_refused_with_its_row_and_nothing_changes(db: Any, tmp_path: Path) -> None:
    desa = _copy(tmp_path, "jember_desa.csv", lambda t: t.replace("35.09.01.2002,", "35.09.01.20X2,", 1))
    files = jember_files()
    files.desa = desa
    Desa.objects.filter(code="35.09.01.2001").update(name="Edited")
    before = (_counts(), AuditEvent.objects.count())
    error = _reject(files)
    assert [r.row for r in error.rows] == [3]
    assert "35.09.01.20X2" in str(error.rows[0])
    assert (_counts(), AuditEvent.objects.count()) == before
    assert Desa.objects.get(code="35.09.01.2001").name == "Edited"


def test_missing_column_is_refused(db: Any, tmp_path: Path) -> None:
    desa = _copy(tmp_path, "jember_desa.csv", lambda t: t.replace("nama_desa", "nama_dusun", 1))
    files = jember_files()
    files.desa = desa
    error = _reject(files)
    assert error.rows[0].column == "nama_desa"
    assert "nama_desa" in error.message


def test_coordinates_outside_indonesia_are_refused_per_row(db: Any, tmp_path: Path) -> None:
    lines = (JEMBER_DIR / "jember_desa.csv").read_text(encoding="utf-8").splitlines()
    # Rows 5 and 9 (spreadsheet numbering, header = 1) get a point in the Indian Ocean off Africa.
    for idx in (4, 8):
        cells = lines[idx].split(",")
        cells[8], cells[9] = "-8.2", "60.1"
        lines[idx] = ",".join(cells)
    path = tmp_path / "desa.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    files = jember_files()
    files.desa = path
    before = _counts()
    error = _reject(files)
    assert sorted({r.row for r in error.rows}) == [5, 9]
    assert all("Indonesia" in r.message for r in error.rows)
    assert _counts() == before


def test_unknown_kecamatan_in_police_units_is_refused(db: Any, tmp_path: Path) -> None:
    units = _copy(
        tmp_path,
        "jember_police_units.csv",
        lambda t: t.replace("Polsek Arjasa,polsek,35.09.22", "Polsek Arjasa,polsek,35.09.99", 1),
    )
    files = jember_files()
    files.police_units = units
    error = _reject(files)
    assert [r.row for r in error.rows] == [3]
    assert "35.09.99" in error.rows[0].message


def test_cli_prints_row_errors_not_a_traceback(db: Any, tmp_path: Path) -> None:
    desa = _copy(tmp_path, "jember_desa.csv", lambda t: t.replace("35.09.01.2002,", "BAD,", 1))
    with pytest.raises(CommandError) as info:
        _cli(desa=desa, boundaries=JEMBER_DIR / "jember_desa_boundaries.geojson")
    assert "baris 3" in str(info.value)
    assert "Traceback" not in str(info.value)
