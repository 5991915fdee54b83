"""CSV and XLSX exports of the TPS and vital-object lists: filtered, scoped, audited."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from siaga.core.models import AuditEvent
from siaga.sites.models import Tps

pytestmark = pytest.mark.django_db


def read_csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_rows_match_the_filtered_list(client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get("/situs/tps/", {"election": "pilkada-2024", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tps-pilkada-2024.csv"'
    header, *rows = read_csv(response)
    assert header[:3] == ["kode_tps", "nomor_tps", "kode_desa"]
    assert len(rows) == 4046
    expected = set(Tps.objects.filter(election__slug="pilkada-2024").values_list("code", flat=True))
    assert {r[0] for r in rows} == expected


def test_xlsx_export_opens_with_openpyxl(client_for: Any, kabagops: Any) -> None:
    response = client_for(kabagops).get("/situs/tps/", {"kecamatan": "", "q": "Sumber", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    expected = Tps.objects.filter(election__slug="pemilu-2024", desa__name__icontains="Sumber").count()
    assert len(rows) - 1 == expected > 0
    assert rows[0][0] == "kode_tps"
    assert all("sumber" in str(r[3]).lower() for r in rows[1:])


def test_polsek_export_holds_only_tempurejo(client_for: Any, polsek_tempurejo: Any) -> None:
    header, *rows = read_csv(client_for(polsek_tempurejo).get("/situs/tps/", {"export": "csv"}))
    kecamatan = header.index("kecamatan")
    assert rows and {r[kecamatan] for r in rows} == {"Tempurejo"}
    assert len(rows) == Tps.objects.filter(kecamatan__name="Tempurejo", election__slug="pemilu-2024").count()


def test_export_is_recorded_in_the_audit_trail(client_for: Any, kabagops: Any) -> None:
    client_for(kabagops).get("/situs/tps/", {"election": "pilkada-2024", "export": "xlsx"})
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("at")
    assert event.actor == kabagops
    assert event.object_type == "sites.tps"
    assert event.after == {"format": "xlsx", "rows": 4046, "filters": {"election": "pilkada-2024"}}


def test_field_officer_may_not_export(client_for: Any, field_officer: Any) -> None:
    assert client_for(field_officer).get("/situs/tps/", {"export": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize(
    ("url", "expected_rows"),
    [
        ("/wilayah/kecamatan/", 31),
        ("/wilayah/desa/", 248),
        ("/situs/objek-vital/", None),
        ("/wilayah/satuan/", None),
    ],
)
def test_every_registry_exports_csv_and_xlsx(
    client_for: Any, kabagops: Any, url: str, expected_rows: int | None
) -> None:
    client = client_for(kabagops)
    _header, *rows = read_csv(client.get(url, {"export": "csv"}))
    assert rows
    if expected_rows is not None:
        assert len(rows) == expected_rows
    sheet = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content), read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == len(rows) + 1


def test_polsek_territory_exports_are_scoped(client_for: Any, polsek_tempurejo: Any) -> None:
    client = client_for(polsek_tempurejo)
    _, *kecamatan = read_csv(client.get("/wilayah/kecamatan/", {"export": "csv"}))
    assert [r[2] for r in kecamatan] == ["Tempurejo"]
    header, *desa = read_csv(client.get("/wilayah/desa/", {"export": "csv"}))
    assert {r[header.index("kecamatan")] for r in desa} == {"Tempurejo"}
