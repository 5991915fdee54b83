"""The export's formula guard and the reader undo each other, so a list exported by Siaga reads back as it was."""

from __future__ import annotations

import csv
import io

import pytest

from siaga.core.tabular import decode_text, export_response, read_table

VALUES = ["", "=1+2", "+62 812", "-RT 02", "@SUM(A1)", "\tx", "-8.25", "Balai 'Desa'", "'quoted"]


def test_csv_guard_neutralises_formulas_and_the_reader_restores_them() -> None:
    response = export_response(filename="t", headers=["a"], rows=[[v] for v in VALUES], fmt="csv")
    written = [row[0] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))][1:]
    assert written == [
        "",
        "'=1+2",
        "'+62 812",
        "'-RT 02",
        "'@SUM(A1)",
        "'\tx",
        "-8.25",
        "Balai 'Desa'",
        "'quoted",
    ]
    _header, rows = read_table(io.BytesIO(response.content), filename="t.csv")
    # Blank rows are skipped by the reader; every other value comes back exactly (the tab one stripped of
    # its surrounding whitespace only).
    assert [r.values["a"] for r in rows] == [v for v in VALUES if v.strip()]


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Kaum\u00e2n".encode(), "Kaum\u00e2n"),
        ("Kaum\u00e2n \u2019".encode("cp1252"), "Kaum\u00e2n \u2019"),
        ("\ufeffKaum\u00e2n".encode("utf-16"), "Kaum\u00e2n"),
    ],
)
def test_decode_text_reads_utf8_cp1252_and_utf16(data: bytes, text: str) -> None:
    assert decode_text(data).lstrip("\ufeff") == text
