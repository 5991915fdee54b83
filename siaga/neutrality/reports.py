"""The neutrality report for commanders and Propam: cases by step, overdue cases, outcomes and per Polsek, as
PDF (WeasyPrint) and XLSX (openpyxl) from the same figures. It holds no identity and no case text."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from siaga.core.audit import record_change
from siaga.core.models import AuditEvent
from siaga.neutrality import selectors
from siaga.neutrality.models import Case, Classification, Step


@dataclass(frozen=True)
class Report:
    printed_at: dt.datetime
    summary: selectors.Summary
    steps: list[tuple[str, str, int]]  # (code, label, count)
    outcomes: list[tuple[str, int]]  # (label, count)
    overdue: list[tuple[str, str, str, dt.datetime | None]]  # (receipt, step label, kecamatan, due)
    polsek: list[tuple[str, list[int], int]]  # (name, counts per step, total)


def _outcome_label(key: str) -> str:
    if key.startswith("closed:"):
        reason = key.split(":", 1)[1]
        return _("Ditutup: %(reason)s") % {"reason": Case.CloseReason(reason).label if reason else "-"}
    return _("Diputus: %(cls)s") % {"cls": Classification(key).label if key else "-"}


def build(user: Any, *, now: dt.datetime | None = None) -> Report:
    now = now or timezone.now()
    summary = selectors.summary(user, now)
    overdue = [
        (c.receipt, str(Step(c.step).label), c.kecamatan.name, c.step_due_at)
        for c in selectors.cases_for(user, state="overdue", now=now).order_by("step_due_at")[:500]
    ]
    return Report(
        printed_at=timezone.localtime(now),
        summary=summary,
        steps=[(code, str(label), summary.by_step.get(code, 0)) for code, label in Step.choices],
        outcomes=sorted(((_outcome_label(k), n) for k, n in summary.outcomes.items()), key=lambda r: r[0]),
        overdue=overdue,
        polsek=[
            (name, [counts.get(code, 0) for code in Step.values], sum(counts.values()))
            for name, counts in summary.by_polsek.items()
        ],
    )


def audit_export(*, actor: Any, fmt: str) -> None:
    record_change(
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        object_type="neutrality.report",
        object_repr=_("Laporan netralitas"),
        message=fmt,
    )


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string("neutrality/report_pdf.html", {"r": report, "step_labels": Step.choices})
    return HTML(string=html, base_url="http://localhost/").write_pdf()  # type: ignore[no-any-return]


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook  # loaded on use, not at web server start (issue 15)
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Tahap")[:31]
    ws.append([_("Tahap"), _("Jumlah")])
    for _code, label, n in report.steps:
        ws.append([label, n])
    ws.append([_("Lewat batas waktu"), report.summary.overdue])
    ws.append([_("Mendekati batas waktu"), report.summary.warning])
    sheet = wb.create_sheet(_("Hasil")[:31])
    sheet.append([_("Hasil"), _("Jumlah")])
    for label, n in report.outcomes:
        sheet.append([label, n])
    sheet = wb.create_sheet(_("Per Polsek")[:31])
    sheet.append([_("Polsek"), *[str(label) for _c, label in Step.choices], _("Jumlah")])
    for name, counts, total in report.polsek:
        sheet.append([name, *counts, total])
    sheet = wb.create_sheet(_("Lewat batas")[:31])
    sheet.append([_("Kode"), _("Tahap"), _("Kecamatan"), _("Batas")])
    for receipt, step, kecamatan, due in report.overdue:
        sheet.append(
            [receipt, step, kecamatan, timezone.localtime(due).strftime("%Y-%m-%d %H:%M") if due else ""]
        )
    for ws_ in wb.worksheets:
        for cell in ws_[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
