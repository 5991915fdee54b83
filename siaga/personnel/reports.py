"""The apel report: PDF (WeasyPrint, Indonesian layout) and XLSX (openpyxl) from the same readiness figures."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from siaga.personnel.models import ApelEntry
from siaga.personnel.selectors import STATUS_KEYS, Readiness

if TYPE_CHECKING:
    from openpyxl import Workbook

STATUS_LABELS = dict(ApelEntry.Status.choices)
OTHER_STATUSES = [s for s in STATUS_KEYS if s != ApelEntry.Status.PRESENT]


def render_pdf(request: HttpRequest | None, readiness: Readiness, *, operation: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "personnel/apel_report_pdf.html",
        {
            "r": readiness,
            "session": readiness.session,
            "operation": operation,
            "statuses": [(s, STATUS_LABELS[s]) for s in OTHER_STATUSES],
            "printed_at": timezone.localtime(),
        },
    )
    # No external resources are referenced; the base URL only keeps WeasyPrint from guessing one.
    base_url = request.build_absolute_uri("/") if request is not None else "http://localhost/"
    return HTML(string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]


def _sheet(wb: Workbook, title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(title=title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))


def _strength_rows(rows: Iterable[Any]) -> list[list[Any]]:
    return [
        [
            r.label,
            r.roster,
            r.present,
            *[r.counts.get(s, 0) for s in OTHER_STATUSES],
            r.bko_in,
            r.real_strength,
            r.percent,
        ]
        for r in rows
    ]


def render_xlsx(readiness: Readiness, *, roster: Iterable[ApelEntry], operation: str) -> bytes:
    from openpyxl import Workbook  # loaded on use, not at web server start (issue 15)

    session = readiness.session
    wb = Workbook()
    summary = wb.active
    summary.title = "Ringkasan"
    total = readiness.total
    for label, value in [
        ("Laporan apel kesiapan", session.get_kind_display()),
        ("Operasi", operation),
        ("Tanggal", session.held_on.isoformat()),
        ("Tempat", session.place),
        ("Status", "dikunci" if session.is_locked else "belum dikunci"),
        ("Jumlah personel (roster)", total.roster),
        ("Hadir", total.present),
        *[(str(STATUS_LABELS[s]).capitalize(), total.counts.get(s, 0)) for s in OTHER_STATUSES],
        ("BKO masuk", total.bko_in),
        ("Kekuatan riil", total.real_strength),
        ("Persentase hadir", total.percent),
    ]:
        summary.append([label, value])
    header = [
        "satuan",
        "roster",
        "hadir",
        *[str(STATUS_LABELS[s]) for s in OTHER_STATUSES],
        "BKO masuk",
        "kekuatan riil",
        "% hadir",
    ]
    _sheet(wb, "Per Polsek", header, [*_strength_rows(readiness.by_police_unit), _strength_rows([total])[0]])
    _sheet(wb, "Per satuan", header, [*_strength_rows(readiness.by_unit), _strength_rows([total])[0]])
    _sheet(
        wb,
        "Peralatan",
        ["jenis", "jumlah", "siap", "rusak", "tidak ada", "belum dicek", "% siap"],
        (
            [
                e["label"],
                e["total"],
                e["ready"],
                e["unserviceable"],
                e["missing"],
                e["unchecked"],
                e["percent_ready"],
            ]
            for e in readiness.equipment
        ),
    )
    _sheet(
        wb,
        "Perlengkapan",
        ["perlengkapan", "kurang"],
        [[i["name"], i["missing"]] for i in readiness.kit["items"]]
        + [["personel dicek", readiness.kit["checked"]], ["lengkap", readiness.kit["complete"]]],
    )
    _sheet(
        wb,
        "Kehadiran",
        [
            "nrp",
            "nama",
            "pangkat",
            "satuan",
            "kehadiran",
            "alasan",
            "kesehatan",
            "perlengkapan kurang",
            "sintetis",
        ],
        (
            [
                e.personnel.nrp,
                e.personnel.name,
                e.personnel.rank.abbreviation,
                e.unit.name,
                e.get_status_display(),
                e.reason,
                e.get_health_display() if e.health else "",
                ", ".join(k.name for k in e.kit_missing.all()),
                "ya" if e.personnel.is_synthetic else "",
            ]
            for e in roster
        ),
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
