"""Reading and writing tables: CSV and XLSX imports with row numbers, and list exports."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
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


class ImportTooLarge(DomainError):
    """An import file past the size or row limit; refused before any row is checked."""

    code = "import_too_large"
    status = 413


def too_large(max_bytes: int) -> DomainError:
    mb = max_bytes // (1024 * 1024)
    return ImportTooLarge(
        _(
            "Berkas impor terlalu besar (maks. %(mb)d MB); bagi menjadi beberapa berkas / Import file too large (max %(mb)d MB); split it"
        )
        % {"mb": mb},
        code="file_too_large",
    )


def read_table(source: str | Path | IO[bytes], *, filename: str | None = None) -> tuple[list[str], list[Row]]:
    """Read a CSV (UTF-8, comma or semicolon) or XLSX file into normalised headers and rows.

    Bounded (issue 21 item 8): at most SIAGA_IMPORT_MAX_BYTES are read (the rest is never loaded) and at most
    SIAGA_IMPORT_MAX_ROWS rows parsed; a larger file is refused before any row is checked."""
    max_bytes = settings.SIAGA_IMPORT_MAX_BYTES
    name = (
        filename or (str(source) if isinstance(source, (str, Path)) else getattr(source, "name", ""))
    ).lower()
    if isinstance(source, (str, Path)):
        if Path(source).stat().st_size > max_bytes:
            raise too_large(max_bytes)
        data = Path(source).read_bytes()
    else:
        data = source.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise too_large(max_bytes)
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    return _read_csv(data)


def _too_many_rows() -> DomainError:
    return ImportTooLarge(
        _(
            "Berkas impor lebih dari %(n)d baris; bagi menjadi beberapa berkas / Import file has more than %(n)d rows; split it"
        )
        % {"n": settings.SIAGA_IMPORT_MAX_ROWS},
        code="too_many_rows",
    )


def _read_csv(data: bytes) -> tuple[list[str], list[Row]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(
            _("Berkas bukan CSV UTF-8 / The file is not UTF-8 CSV"), code="bad_encoding"
        ) from exc
    del data  # the text is all that is kept from here on
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    max_rows = settings.SIAGA_IMPORT_MAX_ROWS
    try:
        header = [_norm(h) for h in next(reader)]
    except StopIteration as exc:
        raise DomainError(_("Berkas kosong / The file is empty"), code="empty_file") from exc
    rows: list[Row] = []
    for i, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(rows) >= max_rows:
            raise _too_many_rows()
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
    rows: list[Row] = []
    for i, raw in enumerate(it, start=2):
        if raw is None or not any(c not in (None, "") for c in raw):
            continue
        if len(rows) >= settings.SIAGA_IMPORT_MAX_ROWS:
            wb.close()
            raise _too_many_rows()
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
