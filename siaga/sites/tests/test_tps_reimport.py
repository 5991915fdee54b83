"""Re-importing a KPU TPS list never loses what officers captured; Siaga's own exports re-import unchanged;
files in other encodings and XLSX formulas are read or refused clearly; `--json` errors are JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from siaga.core.errors import DomainError, ImportRejected
from siaga.core.models import Job
from siaga.operations.models import Election
from siaga.sites.models import LocationQuality, Tps
from siaga.sites.services import import_tps, update_tps

pytestmark = pytest.mark.django_db

KPU_HEADER = "kode_desa,nomor_tps,lat,lng,alamat,pemilih,lokasi_khusus\n"
KPU_ROWS = "35.09.18.2001,1,-8.40,113.70,Balai Desa,280,\n35.09.18.2001,2,-8.41,113.71,SDN 1,250,\n"


@pytest.fixture
def election(db: Any) -> Election:
    return Election.objects.create(
        slug="pilkades-2025", name="Uji", kind=Election.Kind.PILKADA, voting_on="2025-06-01"
    )


def _import(election: Election, text: str, **kwargs: Any) -> dict[str, Any]:
    return import_tps(election=election, source=io.BytesIO(text.encode()), filename="tps.csv", **kwargs)


def _officer_corrects_tps_1(election: Election, kabagops: Any) -> Tps:
    tps = Tps.objects.get(election=election, number=1)
    return update_tps(
        actor=kabagops,
        tps=tps,
        data={
            "lat": -8.4012,
            "lng": 113.7021,
            "address": "Balai Desa, belakang masjid",
            "access_notes": "jalan tanah",
        },
    )


def test_reimport_keeps_the_officers_correction_and_reports_the_conflict(
    election: Election, kabagops: Any
) -> None:
    _import(election, KPU_HEADER + KPU_ROWS)
    _officer_corrects_tps_1(election, kabagops)
    # The KPU sends its list again: new voter counts, its own (old) position and address.
    result = _import(election, KPU_HEADER + KPU_ROWS.replace(",280,", ",301,"))
    tps = Tps.objects.get(election=election, number=1)
    assert (tps.lat, tps.lng, tps.address, tps.access_notes) == (
        -8.4012,
        113.7021,
        "Balai Desa, belakang masjid",
        "jalan tanah",
    )
    assert tps.location_quality == LocationQuality.OFFICER
    assert tps.voters == 301  # the KPU field updated
    assert result["updated"] == 1 and result["unchanged"] == 1
    assert [(c["tps"], c["column"], c["siaga"], c["file"], c["resolution"]) for c in result["conflicts"]] == [
        (tps.code, "lat,lng", "-8.4012, 113.7021", "-8.4, 113.7", "kept"),
        (tps.code, "alamat", "Balai Desa, belakang masjid", "Balai Desa", "kept"),
    ]
    assert {c["row"] for c in result["conflicts"]} == {2}


def test_empty_cells_never_blank_what_is_stored(election: Election, kabagops: Any) -> None:
    _import(election, KPU_HEADER + KPU_ROWS)
    _officer_corrects_tps_1(election, kabagops)
    result = _import(election, "kode_desa,nomor_tps,lat,lng,alamat,pemilih\n35.09.18.2001,1,,,,\n")
    tps = Tps.objects.get(election=election, number=1)
    assert (tps.lat, tps.address, tps.voters) == (-8.4012, "Balai Desa, belakang masjid", 280)
    assert result["conflicts"] == [] and result["unchanged"] == 1


def test_the_user_may_choose_to_overwrite_and_the_conflict_says_so(election: Election, kabagops: Any) -> None:
    _import(election, KPU_HEADER + KPU_ROWS)
    _officer_corrects_tps_1(election, kabagops)
    result = _import(election, KPU_HEADER + KPU_ROWS, overwrite_captured=True)
    tps = Tps.objects.get(election=election, number=1)
    assert (tps.lat, tps.lng, tps.address) == (-8.40, 113.70, "Balai Desa")
    assert tps.location_quality == LocationQuality.SURVEYED and tps.address_captured is False
    assert tps.access_notes == "jalan tanah"  # the file has no access notes: nothing to overwrite with
    assert {c["resolution"] for c in result["conflicts"]} == {"overwritten"} and len(result["conflicts"]) == 2


def test_command_json_lists_conflicts_and_errors_are_json(
    election: Election, kabagops: Any, tmp_path: Path
) -> None:
    path = tmp_path / "tps.csv"
    path.write_text(KPU_HEADER + KPU_ROWS, encoding="utf-8")
    call_command("import_tps", "--election", election.slug, str(path), verbosity=0)
    _officer_corrects_tps_1(election, kabagops)
    out = io.StringIO()
    call_command("import_tps", "--election", election.slug, str(path), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert [c["column"] for c in result["conflicts"]] == ["lat,lng", "alamat"]

    path.write_text(KPU_HEADER + "35.09.99.9999,1,,,,,\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_tps", "--election", election.slug, str(path), "--json", stdout=out)
    error = json.loads(out.getvalue())["error"]
    assert error["code"] == "import_rejected"
    assert error["rows"] == [{"row": 2, "column": "kode_desa", "message": error["rows"][0]["message"]}]
    assert "35.09.99.9999" in error["rows"][0]["message"]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_tps", "--election", "nope", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["error"]["code"] == "not_found"


def test_the_import_page_shows_every_conflict(
    client_for: Any,
    kabagops: Any,
    run_tasks: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.DATA_DIR = tmp_path
    tps = Tps.objects.filter(election__slug="pilkada-2024").select_related("desa").first()
    assert tps is not None
    update_tps(actor=kabagops, tps=tps, data={"address": "Depan musala Al-Ikhlas"})
    content = f"kode_desa,nomor_tps,alamat\n{tps.desa.code},{tps.number},Balai Desa\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(kabagops).post(
            "/situs/tps/impor/",
            {
                "election": "pilkada-2024",
                "file": SimpleUploadedFile("tps.csv", content, content_type="text/csv"),
            },
        )
    run_tasks()
    job = Job.objects.get(kind="import_tps")
    assert job.status == Job.Status.SUCCEEDED, job.log
    page = client_for(kabagops).get(f"/pekerjaan/{job.pk}/").content.decode()
    assert "Depan musala Al-Ikhlas" in page and "Balai Desa" in page and tps.code in page
    assert "data petugas dipertahankan" in page
    tps.refresh_from_db()
    assert tps.address == "Depan musala Al-Ikhlas"
    # The same file again, this time choosing to overwrite.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(kabagops).post(
            "/situs/tps/impor/",
            {
                "election": "pilkada-2024",
                "file": SimpleUploadedFile("tps.csv", content, content_type="text/csv"),
                "overwrite_captured": "on",
            },
        )
    run_tasks()
    job = Job.objects.filter(kind="import_tps").latest("pk")
    assert job.params["overwrite_captured"] is True and job.status == Job.Status.SUCCEEDED, job.log
    assert "ditimpa dengan isi berkas" in client_for(kabagops).get(f"/pekerjaan/{job.pk}/").content.decode()
    tps.refresh_from_db()
    assert (tps.address, tps.address_captured) == ("Balai Desa", False)


# --- round trip of Siaga's own exports ---------------------------------------------------------------------


def _prepare_tempurejo(kabagops: Any) -> list[Tps]:
    tps = list(
        Tps.objects.filter(election__slug="pemilu-2024", kecamatan__name="Tempurejo").order_by("code")[:3]
    )
    # An officer's capture, an address a spreadsheet would take for a formula, and an empty address.
    update_tps(
        actor=kabagops, tps=tps[0], data={"lat": -8.3, "lng": 113.71, "access_notes": "jembatan rusak"}
    )
    update_tps(actor=kabagops, tps=tps[1], data={"address": '=HYPERLINK("http://x","klik")'})
    update_tps(actor=kabagops, tps=tps[2], data={"address": "-RT 02"})
    return tps


def _reimport(content: bytes, filename: str) -> dict[str, Any]:
    election = Election.objects.get(slug="pemilu-2024")
    return import_tps(election=election, source=io.BytesIO(content), filename=filename)


def _state() -> list[tuple[Any, ...]]:
    return list(
        Tps.objects.filter(election__slug="pemilu-2024", kecamatan__name="Tempurejo")
        .order_by("pk")
        .values_list(
            "lat",
            "lng",
            "location_quality",
            "address",
            "access_notes",
            "voters",
            "voters_synthetic",
            "lokasi_khusus",
        )
    )


def test_csv_export_reimports_unchanged_with_the_formula_guard_intact(
    client_for: Any, kabagops: Any, polsek_tempurejo: Any
) -> None:
    _prepare_tempurejo(kabagops)
    before = _state()
    response = client_for(polsek_tempurejo).get("/situs/tps/?election=pemilu-2024&export=csv")
    content = response.content
    cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    assert "'" not in cells  # empty cells stay empty
    assert '\'=HYPERLINK("http://x","klik")' in cells and "'-RT 02" in cells  # the guard still neutralises
    result = _reimport(content, "tps.csv")
    assert result["conflicts"] == [] and result["created"] == 0 and result["updated"] == 0
    assert result["unchanged"] == len(before) > 100
    assert _state() == before


def test_xlsx_export_reimports_unchanged_and_writes_formula_text_as_text(
    client_for: Any, kabagops: Any, polsek_tempurejo: Any
) -> None:
    tps = _prepare_tempurejo(kabagops)
    before = _state()
    response = client_for(polsek_tempurejo).get("/situs/tps/?election=pemilu-2024&export=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    formula_like = [c for row in ws.iter_rows() for c in row if c.value == tps[1].address]
    assert [c.data_type for c in formula_like] == ["s"]  # text, never a live formula
    result = _reimport(response.content, "tps.xlsx")
    assert result["conflicts"] == [] and (result["created"], result["updated"]) == (0, 0)
    assert result["unchanged"] == len(before)
    assert _state() == before


# --- encodings and formulas ---------------------------------------------------------------------------------


def test_a_windows_1252_csv_is_read_with_its_accents(election: Election) -> None:
    text = "kode_desa;nomor_tps;alamat\n35.09.18.2001;1;Caf\u00e9 \u2018Pak Har\u2019, Jl. Kaum\u00e2n\n"
    import_tps(election=election, source=io.BytesIO(text.encode("cp1252")), filename="tps.csv")
    assert Tps.objects.get(election=election).address == "Caf\u00e9 \u2018Pak Har\u2019, Jl. Kaum\u00e2n"


def test_a_file_in_no_known_encoding_is_refused_with_the_byte_position(election: Election) -> None:
    data = b"kode_desa,nomor_tps,alamat\n35.09.18.2001,1,Balai \x81\x9d\n"
    with pytest.raises(DomainError) as info:
        import_tps(election=election, source=io.BytesIO(data), filename="tps.csv")
    assert info.value.code == "bad_encoding"
    position = data.index(b"\x81")
    assert f"byte {position}" in info.value.message and "baris 2" in info.value.message


def test_xlsx_formulas_without_stored_values_are_reported_not_read_as_empty(election: Election) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["kode_desa", "nomor_tps", "pemilih"])
    ws.append(["35.09.18.2001", 1, 200])
    ws.append(["35.09.18.2001", 2, "=C2+10"])  # saved by a script: no value was ever calculated
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(ImportRejected) as info:
        import_tps(election=election, source=io.BytesIO(buffer.getvalue()), filename="tps.xlsx")
    (error,) = info.value.rows
    assert (error.row, error.column) == (3, "C") and "=C2+10" in error.message
    assert not Tps.objects.filter(election=election).exists()
