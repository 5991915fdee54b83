"""Personnel import (DSP): row-level errors, all-or-nothing, idempotent re-import, CLI and background job."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from siaga.core.errors import ImportRejected
from siaga.core.models import AuditEvent, Job
from siaga.personnel.models import Personnel
from siaga.personnel.services import import_personnel
from siaga.territory.models import PoliceUnit

pytestmark = pytest.mark.django_db

HEADER = ["NRP", "Nama", "Pangkat", "Satuan", "Jabatan", "Telepon", "Status", "kode_desa_binaan"]
GOOD = [
    ["85010001", "Andi Wijaya", "AKP", "Bag Ops", "Kabag Ops", "081200000001", "aktif", ""],
    ["90020002", "Budi Santoso", "Bripka", "Sat Samapta", "Banit Turjawali", "", "", ""],
    [
        "95030003",
        "Citra Lestari",
        "Brigadir",
        "Polsek Tempurejo",
        "Bhabinkamtibmas",
        "",
        "aktif",
        "35.09.18.2001",
    ],
    ["97040004", "Dedi Kurniawan", "Bripda", "sat. lantas", "Banit Gatur", "", "pendidikan", ""],
]


def csv_bytes(rows: list[list[str]]) -> io.BytesIO:
    text = "\n".join(",".join(r) for r in [HEADER, *rows]) + "\n"
    return io.BytesIO(text.encode())


def xlsx_bytes(rows: list[list[str]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    for r in [HEADER, *rows]:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


@pytest.fixture
def polres(db: Any) -> PoliceUnit:
    return PoliceUnit.objects.get(code="polres-jember")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_good_file_imports_and_reimporting_changes_nothing(polres: PoliceUnit, fmt: str) -> None:
    make: Callable[[list[list[str]]], io.BytesIO] = csv_bytes if fmt == "csv" else xlsx_bytes
    result = import_personnel(polres=polres, source=make(GOOD), filename=f"dsp.{fmt}")
    assert result == {"created": 4, "updated": 0, "unchanged": 0, "rows": 4}
    citra = Personnel.objects.select_related("rank", "unit", "desa").get(nrp="95030003")
    assert (citra.rank.code, citra.unit.name, citra.position, citra.desa.code) == (
        "brigpol",
        "Polsek Tempurejo",
        "Bhabinkamtibmas",
        "35.09.18.2001",
    )  # type: ignore[union-attr]
    assert Personnel.objects.get(nrp="97040004").status == Personnel.Status.TRAINING
    events = AuditEvent.objects.count()
    again = import_personnel(polres=polres, source=make(GOOD), filename=f"dsp.{fmt}")
    assert again == {"created": 0, "updated": 0, "unchanged": 4, "rows": 4}
    # Only the import itself is recorded; unchanged rows leave no audit record.
    assert AuditEvent.objects.count() == events + 1


def test_three_bad_rows_are_named_and_nothing_is_imported(polres: PoliceUnit) -> None:
    rows = [
        *GOOD,
        ["98050005", "Eka Putri", "Kapten", "Sat Reskrim", "", "", "", ""],  # row 6: unknown rank
        ["90020002", "Budi Santoso Lagi", "Bripka", "Sat Samapta", "", "", "", ""],  # row 7: duplicate NRP
        ["99060006", "Fajar Nugroho", "Briptu", "Sat Siber", "", "", "", ""],  # row 8: unknown unit
        ["99070007", "Gita Ayu", "Briptu", "Sat Binmas", "", "", "", ""],
    ]
    with pytest.raises(ImportRejected) as exc:
        import_personnel(polres=polres, source=csv_bytes(rows), filename="dsp.csv")
    assert sorted(e.row for e in exc.value.rows) == [6, 7, 8]
    by_row = {e.row: e for e in exc.value.rows}
    assert by_row[6].column == "pangkat" and "Kapten" in by_row[6].message
    assert by_row[7].column == "nrp" and "90020002" in by_row[7].message
    assert by_row[8].column == "satuan" and "Sat Siber" in by_row[8].message
    assert not Personnel.objects.exists()


def test_missing_columns_are_refused(polres: PoliceUnit) -> None:
    with pytest.raises(ImportRejected) as exc:
        import_personnel(polres=polres, source=io.BytesIO(b"nrp,nama\n85010001,Andi\n"), filename="dsp.csv")
    assert {e.column for e in exc.value.rows} == {"pangkat", "satuan"}


def test_cli_imports_and_reports_bad_rows(polres: PoliceUnit, tmp_path: Path) -> None:
    good = tmp_path / "dsp.xlsx"
    good.write_bytes(xlsx_bytes(GOOD).getvalue())
    out = io.StringIO()
    call_command("import_personnel", str(good), "--json", stdout=out)
    assert '"created": 4' in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["85010009", "X", "Kapten", "Bag Ops", "", "", "", ""]]).getvalue())
    with pytest.raises(CommandError, match="baris 2"):
        call_command("import_personnel", str(bad))


def test_upload_runs_as_a_job_with_progress(
    client_for: Any,
    kabagops: Any,
    polsek_tempurejo: Any,
    run_tasks: Any,
    polres: PoliceUnit,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    assert client_for(polsek_tempurejo).get("/personel/impor/").status_code == 403
    c = client_for(kabagops)
    upload = SimpleUploadedFile("dsp.csv", csv_bytes(GOOD).getvalue(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post("/personel/impor/", {"file": upload})
    job = Job.objects.get(kind="import_personnel")
    assert response.status_code == 302 and response["Location"] == f"/pekerjaan/{job.pk}/"
    run_tasks()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.progress == 100
    assert job.result["created"] == 4
    assert Personnel.objects.count() == 4
