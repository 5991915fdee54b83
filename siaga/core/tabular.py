"""Reading and writing tables: CSV and XLSX imports with row numbers, and list exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from siaga.core.errors import DomainError


@dataclass(frozen=True)
class Row:
    number: int  # the row number a user sees in a spreadsheet (header is row 1)
    values: dict[str, str]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default) or default


def _norm(header: Any) -> str:
    return str(header or "").strip().lower().replace(" ", "_")


def read_table(source: str | Path | IO[bytes], *, filename: str | None = None) -> tuple[list[str], list[Row]]:
    """Read a CSV (UTF-8, comma or semicolon) or XLSX file into normalised headers and rows."""
    name = (
        filename or (str(source) if isinstance(source, (str, Path)) else getattr(source, "name", ""))
    ).lower()
    data = Path(source).read_bytes() if isinstance(source, (str, Path)) else source.read()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> tuple[list[str], list[Row]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            _("Berkas bukan CSV UTF-8 / The file is not UTF-8 CSV"), code="bad_encoding"
        ) from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [_norm(h) for h in next(reader)]
    except StopIteration as exc:
        raise DomainError(_("Berkas kosong / The file is empty"), code="empty_file") from exc
    rows = []
    for i, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        rows.append(Row(i, {h: (raw[j].strip() if j < len(raw) else "") for j, h in enumerate(header) if h}))
    return header, rows


def _read_xlsx(data: bytes) -> tuple[list[str], list[Row]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise DomainError(
            _("Berkas XLSX tidak dapat dibaca / The XLSX file cannot be read"), code="bad_xlsx"
        ) from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        header = [_norm(h) for h in next(it)]
    except StopIteration as exc:
        raise DomainError(_("Berkas kosong / The file is empty"), code="empty_file") from exc
    rows = []
    for i, raw in enumerate(it, start=2):
        if raw is None or not any(c not in (None, "") for c in raw):
            continue
        values = {}
        for j, h in enumerate(header):
            if not h:
                continue
            cell = raw[j] if j < len(raw) else None
            if isinstance(cell, float) and cell.is_integer() and h not in {"lat", "lng"}:
                cell = int(cell)
            values[h] = "" if cell is None else str(cell).strip()
        rows.append(Row(i, values))
    wb.close()
    return header, rows


def require_columns(
    header: Sequence[str], required: Iterable[str], *, any_of: Sequence[Sequence[str]] = ()
) -> list[str]:
    """Names of required columns missing from the header (each `any_of` group needs one of its names)."""
    missing = [c for c in required if c not in header]
    for group in any_of:
        if not any(c in header for c in group):
            missing.append(" / ".join(group))
    return missing


def export_response(
    *, filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str
) -> HttpResponse:
    """A CSV or XLSX download of a list page's rows."""
    if fmt == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=filename[:31])
        ws.append(list(headers))
        for row in rows:
            ws.append(list(row))
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        # Neutralise spreadsheet formulas in exported text (CSV injection).
        writer.writerow(
            [f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" and not _is_number(v) else v for v in row]
        )
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
