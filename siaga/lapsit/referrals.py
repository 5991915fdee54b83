"""The referral packet to Bawaslu (Sentra Gakkumdu) as documents: cover letter and incident record as PDF, the
same data as XLSX and JSON, all from the snapshot frozen in the packet when it was sent."""

from __future__ import annotations

import io
import json
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from siaga.core.models import AuditEvent
from siaga.lapsit import partners
from siaga.lapsit.models import ReferralPacket, ReferralStatus


def status_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in ReferralStatus.choices]


def present(data: dict[str, Any]) -> dict[str, Any]:
    """The packet's incident as (label, value) rows in catalogue order, and its timeline."""
    record = data.get("incident", {})
    labels = {name: spec.label for name, spec in partners.FIELDS["incident"].items()}
    labels["lat"], labels["lng"] = _("lintang"), _("bujur")
    rows = [(labels[name], record.get(name)) for name in labels if record.get(name) not in (None, "")]
    return {"rows": rows, "timeline": data.get("timeline", [])}


def history(packet: ReferralPacket) -> list[dict[str, Any]]:
    """The packet's audit records (sent, each status change, downloads), oldest first, in words."""
    statuses = dict(ReferralStatus.choices)
    events = AuditEvent.objects.filter(
        object_type="lapsit.referralpacket", object_id=str(packet.pk)
    ).order_by("at", "id")
    return [
        {
            "at": e.at,
            "action": e.get_action_display(),
            "actor": e.actor_label,
            "status": statuses.get((e.after or {}).get("status", ""), ""),
            "message": e.message,
        }
        for e in events
    ]


def render_pdf(packet: ReferralPacket) -> bytes:
    from weasyprint import HTML

    html = render_to_string("lapsit/referral_pdf.html", {"packet": packet, "p": present(packet.data)})
    return HTML(string=html, base_url="http://localhost/").write_pdf()  # type: ignore[no-any-return]


def render_xlsx(packet: ReferralPacket) -> bytes:
    p = present(packet.data)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Kejadian")[:31]
    ws.append([_("Nomor"), packet.number])
    ws.append([_("Status"), str(packet.get_status_display())])
    for label, value in p["rows"]:
        ws.append([str(label), value])
    sheet = wb.create_sheet(_("Linimasa")[:31])
    sheet.append([_("Waktu"), _("Jenis"), _("Catatan")])
    for t in p["timeline"]:
        sheet.append([t["at"], t["kind_label"], t["note"]])
    for ws_ in wb.worksheets:
        for cell in ws_[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def render_json(packet: ReferralPacket) -> bytes:
    body = {
        "number": packet.number,
        "status": packet.status,
        "sent_at": packet.sent_at.isoformat(),
        **packet.data,
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode()
