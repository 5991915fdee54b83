"""The apel report: PDF (WeasyPrint, Indonesian layout) and XLSX (openpyxl) from the same readiness figures, in
the user's language."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from siaga.personnel.models import ApelEntry
from siaga.personnel.selectors import STATUS_KEYS, Readiness

if TYPE_CHECKING:
    from openpyxl import Workbook

STATUS_LABELS = dict(ApelEntry.Status.choices)
OTHER_STATUSES = [s for s in STATUS_KEYS if s != ApelEntry.Status.PRESENT]


def render_pdf(request: HttpRequest | None, readiness: Readiness, *, operation: str) -> bytes:
    from weasyprint import HTML

    # The signed apel report is an official document: Bahasa Indonesia by law (UU 24/2009 Pasal 27) whatever the
    # screen's language, values included. The XLSX below is a working file and follows the user's language.
    with translation.override("id"):
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
    summary.title = str(_("Ringkasan"))
    total = readiness.total
    for label, value in [
        (_("Laporan apel kesiapan"), session.get_kind_display()),
        (_("Operasi"), operation),
        (_("Tanggal"), session.held_on.isoformat()),
        (_("Tempat"), session.place),
        (_("Status"), _("dikunci") if session.is_locked else _("belum dikunci")),
        (_("Jumlah personel (roster)"), total.roster),
        (_("Hadir"), total.present),
        *[(str(STATUS_LABELS[s]).capitalize(), total.counts.get(s, 0)) for s in OTHER_STATUSES],
        (_("BKO masuk"), total.bko_in),
        (_("Kekuatan riil"), total.real_strength),
        (_("Persentase hadir"), total.percent),
    ]:
        summary.append([label, value])
    header = [
        _("satuan"),
        _("roster"),
        _("hadir"),
        *[str(STATUS_LABELS[s]) for s in OTHER_STATUSES],
        _("BKO masuk"),
        _("kekuatan riil"),
        _("% hadir"),
    ]
    _sheet(
        wb, _("Per Polsek"), header, [*_strength_rows(readiness.by_police_unit), _strength_rows([total])[0]]
    )
    _sheet(wb, _("Per satuan"), header, [*_strength_rows(readiness.by_unit), _strength_rows([total])[0]])
    _sheet(
        wb,
        _("Peralatan"),
        [_("jenis"), _("jumlah"), _("siap"), _("rusak"), _("tidak ada"), _("belum dicek"), _("% siap")],
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
        _("Perlengkapan"),
        [_("perlengkapan"), _("kurang")],
        [[i["name"], i["missing"]] for i in readiness.kit["items"]]
        + [[_("personel dicek"), readiness.kit["checked"]], [_("lengkap"), readiness.kit["complete"]]],
    )
    _sheet(
        wb,
        _("Kehadiran"),
        [
            _("NRP"),
            _("nama"),
            _("pangkat"),
            _("satuan"),
            _("kehadiran"),
            _("alasan"),
            _("kesehatan"),
            _("perlengkapan kurang"),
            _("sintetis"),
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
                _("ya") if e.personnel.is_synthetic else "",
            ]
            for e in roster
        ),
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
