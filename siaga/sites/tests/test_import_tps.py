"""`siaga import-tps`: CSV and XLSX, idempotent, refused with row-level messages when a row is bad."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from siaga.core.errors import ImportRejected
from siaga.core.models import AuditEvent
from siaga.operations.models import Election
from siaga.sites.models import LocationQuality, Tps
from siaga.sites.services import import_tps, largest_remainder

pytestmark = pytest.mark.django_db

HEADER = "kode_desa,nomor_tps,lat,lng,alamat,pemilih,lokasi_khusus\n"


@pytest.fixture
def election(db: Any) -> Election:
    return Election.objects.create(
        slug="pilkades-2025", name="Uji", kind=Election.Kind.PILKADA, voting_on="2025-06-01"
    )


def _csv(tmp_path: Path, body: str, name: str = "tps.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_csv_import_creates_tps_with_codes_and_quality(election: Election, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "35.09.18.2001,1,-8.40,113.70,Balai Desa,280,\n"
        "3509182001,2,,,,,\n"
        "35.09.20.1006,901,-8.15,113.70,Lapas Jember,150,lapas\n",
    )
    call_command("import_tps", "--election", election.slug, str(path), verbosity=0)
    tps = {t.code: t for t in Tps.objects.filter(election=election)}
    assert set(tps) == {"3509182001001", "3509182001002", "3509201006901"}
    assert tps["3509182001001"].location_quality == LocationQuality.SURVEYED
    assert tps["3509182001001"].voters == 280
    # No coordinates: placed at the desa and marked approximate, never presented as surveyed.
    assert tps["3509182001002"].location_quality == LocationQuality.APPROXIMATE
    assert tps["3509201006901"].lokasi_khusus == "lapas"
    assert tps["3509182001001"].kecamatan.name == "Tempurejo"
    assert AuditEvent.objects.filter(object_type="sites.tps", action="create", source="import").count() == 3


def test_reimport_changes_nothing_and_an_edit_is_an_audited_update(
    election: Election, tmp_path: Path
) -> None:
    path = _csv(tmp_path, "35.09.18.2001,1,-8.40,113.70,Balai Desa,280,\n")
    with path.open("rb") as fh:
        import_tps(election=election, source=fh, filename="tps.csv")
    with path.open("rb") as fh:
        assert import_tps(election=election, source=fh, filename="tps.csv") == {
            "created": 0,
            "updated": 0,
            "unchanged": 1,
            "overwrite_captured": False,
            "conflicts": [],
        }
    path = _csv(tmp_path, "35.09.18.2001,1,-8.40,113.70,Balai Desa,295,\n")
    with path.open("rb") as fh:
        assert import_tps(election=election, source=fh, filename="tps.csv")["updated"] == 1
    update = AuditEvent.objects.get(object_type="sites.tps", action="update")
    assert (update.before, update.after) == ({"voters": 280}, {"voters": 295})


def test_xlsx_import(election: Election) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["kode_desa", "nomor_tps", "pemilih"])
    ws.append(["35.09.18.2001", 1, 200])
    ws.append(["35.09.18.2001", 2, 210])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    assert import_tps(election=election, source=buffer, filename="tps.xlsx")["created"] == 2


def test_bad_rows_are_each_reported_and_nothing_is_saved(election: Election, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "35.09.18.2001,1,-8.40,113.70,,,\n"  # row 2: fine
        "35.09.99.9999,1,,,,,\n"  # row 3: unknown desa
        "35.09.18.2001,1,,,,,\n"  # row 4: duplicate
        "35.09.18.2001,2,51.5,-0.12,,,\n"  # row 5: London
        "35.09.18.2001,abc,,,,,\n"  # row 6: bad number
        "35.09.18.2001,7,,,,,penjara\n",  # row 7: unknown lokasi khusus
    )
    with path.open("rb") as fh, pytest.raises(ImportRejected) as info:
        import_tps(election=election, source=fh, filename="tps.csv")
    assert [r.row for r in info.value.rows] == [3, 4, 5, 6, 7]
    assert not Tps.objects.filter(election=election).exists()


def test_missing_column_names_the_expected_columns(election: Election, tmp_path: Path) -> None:
    path = tmp_path / "tps.csv"
    path.write_text("desa,tps\n35.09.18.2001,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("import_tps", "--election", election.slug, str(path), verbosity=0)
    assert "kode_desa" in str(info.value)


def test_unknown_election_is_refused_clearly(tmp_path: Path) -> None:
    path = _csv(tmp_path, "35.09.18.2001,1,,,,,\n")
    with pytest.raises(CommandError) as info:
        call_command("import_tps", "--election", "nope", str(path), verbosity=0)
    assert "nope" in str(info.value)


def test_demo_tps_counts_and_synthetic_flags(db: Any) -> None:
    pemilu = Tps.objects.filter(election__slug="pemilu-2024")
    assert pemilu.count() == 7706
    assert pemilu.exclude(lokasi_khusus="").count() == 4
    assert set(pemilu.exclude(lokasi_khusus="").values_list("desa__name", flat=True)) == {"Jemberlor"}
    assert not pemilu.exclude(location_quality=LocationQuality.SYNTHETIC).exists()
    assert not pemilu.filter(voters_synthetic=False).exists()
    pilkada = Tps.objects.filter(election__slug="pilkada-2024")
    assert pilkada.count() == 4046
    assert pilkada.exclude(lokasi_khusus="").count() == 2
    # every desa keeps at least one TPS
    assert pilkada.values("desa").distinct().count() == 248


def test_demo_tps_lie_inside_their_desa(db: Any) -> None:
    from shapely.geometry import Point

    from siaga.core.geo import geometry

    sample = Tps.objects.filter(election__slug="pemilu-2024").select_related("desa")[::97]
    for tps in sample:
        assert geometry(tps.desa.boundary).buffer(1e-9).contains(Point(tps.lng, tps.lat)), tps.code


def test_largest_remainder_is_exact_and_proportional() -> None:
    parts = largest_remainder([10, 20, 30, 1], 100, minimum=1)
    assert sum(parts) == 100
    assert min(parts) >= 1
    assert parts[2] > parts[1] > parts[0]
