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

from siaga.core.errors import DomainError, ImportRejected, RowError

# What makes a spreadsheet read a CSV cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = "=+-@\t\r"


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
        _("Berkas impor terlalu besar (maks. %(mb)d MB); bagi menjadi beberapa berkas") % {"mb": mb},
        code="file_too_large",
    )


def _too_many_rows() -> DomainError:
    return ImportTooLarge(
        _("Berkas impor lebih dari %(n)d baris; bagi menjadi beberapa berkas")
        % {"n": settings.SIAGA_IMPORT_MAX_ROWS},
        code="too_many_rows",
    )


def read_table(source: str | Path | IO[bytes], *, filename: str | None = None) -> tuple[list[str], list[Row]]:
    """Read a CSV (UTF-8, else cp1252/latin-1; comma or semicolon) or XLSX file into headers and rows.

    Reads back Siaga's own exports unchanged: the formula guard's leading apostrophe is removed again.
    Bounded (issue 21 item 8): at most SIAGA_IMPORT_MAX_BYTES are read (the rest is never loaded) and at most
    SIAGA_IMPORT_MAX_ROWS rows parsed; a larger file is refused before any row is checked.
    """
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


# Bytes 0x80-0x9F that cp1252 leaves undefined: in latin-1 they are C1 control codes, never text.
_UNDEFINED_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (a superset of latin-1's letters,
    what Excel on Indonesian Windows writes as "CSV"); anything else is refused with the byte position."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    bad = next((i for i, byte in enumerate(data) if byte in _UNDEFINED_IN_CP1252 or byte == 0), None)
    if bad is None:
        return data.decode("cp1252")
    position = utf8_error.start
    raise DomainError(
        _(
            "Berkas bukan teks UTF-8 maupun Windows-1252/latin-1: byte %(pos)s (baris %(line)s) bernilai 0x%(byte)02X. Simpan ulang sebagai CSV UTF-8."
        )
        % {"pos": position, "line": data[:position].count(b"\n") + 1, "byte": data[position]},
        code="bad_encoding",
    )


def _unguard(cell: str) -> str:
    """Undo the export's formula guard ("'=x" -> "=x"), so an exported list re-imports unchanged."""
    if cell[:1] == "'" and cell[1:2] in FORMULA_TRIGGERS and cell[1:2] != "":
        return cell[1:]
    return cell


def _read_csv(data: bytes) -> tuple[list[str], list[Row]]:
    text = decode_text(data)
    del data  # the text is all that is kept from here on
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    max_rows = settings.SIAGA_IMPORT_MAX_ROWS
    try:
        header = [_norm(h) for h in next(reader)]
    except StopIteration as exc:
        raise DomainError(_("Berkas kosong"), code="empty_file") from exc
    rows: list[Row] = []
    for i, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(rows) >= max_rows:
            raise _too_many_rows()
        rows.append(
            Row(i, {h: (_unguard(raw[j].strip()) if j < len(raw) else "") for j, h in enumerate(header) if h})
        )
    return header, rows


def _load_xlsx(data: bytes, *, data_only: bool) -> Any:
    # openpyxl loads on first use, not when the web server starts (issue 15: restart to healthy <= 5 s).
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:
        raise DomainError(_("Berkas XLSX tidak dapat dibaca"), code="bad_xlsx") from exc


def _read_xlsx(data: bytes) -> tuple[list[str], list[Row]]:
    # First pass without cached values, to see formula cells; most files have none and need no second pass.
    wb = _load_xlsx(data, data_only=False)
    grid: list[list[tuple[Any, bool]]] = []
    for raw in wb.worksheets[0].iter_rows():
        if len(grid) > settings.SIAGA_IMPORT_MAX_ROWS:  # the header and the rows, blank ones included
            wb.close()
            raise _too_many_rows()
        grid.append([(cell.value, getattr(cell, "data_type", "n") == "f") for cell in raw])
    wb.close()
    if any(is_formula for raw in grid for _v, is_formula in raw):
        wb = _load_xlsx(data, data_only=True)
        cached = [list(raw) for raw in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        uncomputed: list[RowError] = []
        for i, raw in enumerate(grid):
            for j, (formula, is_formula) in enumerate(raw):
                if not is_formula:
                    continue
                value = cached[i][j] if i < len(cached) and j < len(cached[i]) else None
                if value is None:
                    uncomputed.append(
                        RowError(
                            i + 1,
                            _("rumus tanpa nilai tersimpan: %(f)s") % {"f": formula},
                            column=_column_letter(j + 1),
                        )
                    )
                raw[j] = (value, True)
        if uncomputed:
            raise ImportRejected(
                _(
                    "Berkas XLSX berisi rumus yang belum dihitung; buka dan simpan di Excel/LibreOffice lalu unggah lagi."
                ),
                uncomputed,
            )
    if not grid:
        raise DomainError(_("Berkas kosong"), code="empty_file")
    header = [_norm(v) for v, _f in grid[0]]
    rows = []
    for i, raw in enumerate(grid[1:], start=2):
        if not any(v not in (None, "") for v, _f in raw):
            continue
        values = {}
        for j, h in enumerate(header):
            if not h:
                continue
            cell = raw[j][0] if j < len(raw) else None
            if isinstance(cell, float) and cell.is_integer() and h not in {"lat", "lng"}:
                cell = int(cell)
            values[h] = "" if cell is None else str(cell).strip()
        rows.append(Row(i, values))
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
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=filename[:31])
        ws.append(list(headers))
        for row in rows:
            ws.append([_xlsx_cell(ws, v) for v in row])
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
        # Neutralise spreadsheet formulas in exported text (CSV injection); read_table removes the
        # apostrophe again, so the export re-imports unchanged. An empty cell has nothing to neutralise.
        writer.writerow([f"'{v}" if _is_formula_like(v) else v for v in row])
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _is_formula_like(value: Any) -> bool:
    return (
        isinstance(value, str) and value[:1] != "" and value[0] in FORMULA_TRIGGERS and not _is_number(value)
    )


def _xlsx_cell(ws: Any, value: Any) -> Any:
    """Text always goes out as a text cell: openpyxl would otherwise write "=..." as a live formula."""
    if isinstance(value, str) and value[:1] == "=":
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))
