"""The Lapsit as a document: labels for its codes (in the reader's language), charts, PDF (WeasyPrint) and XLSX
(openpyxl), and the versioned JSON a Polda ingests. All three are made from the same stored figures."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from siaga.lapsit import charts

ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def _choice(choices: Any, code: Any) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


def alert_label(code: str) -> str:
    """A posko alert kind ("guard.unstaffed") in words, from the kinds the apps declare (siaga.core.alerts)."""
    from siaga.core.alerts import alert_kinds

    kind = alert_kinds().get(code)
    return str(kind.label) if kind else code


def obstacle_label(item: dict[str, Any]) -> str:
    texts = {
        "polri_short": _("%(unit)s kekurangan %(n)d personel Polri"),
        "linmas_short": _("Linmas kurang %(n)d dari kebutuhan"),
        "tni_short": _("TNI kurang %(n)d dari kebutuhan"),
        "siaga_share": _("Porsi status siaga belum terpenuhi: kurang %(n)d personel"),
        "patrols_missed": _("%(n)d kunjungan patroli tidak terlaksana"),
        "alerts_open": _("%(n)d peringatan posko masih terbuka"),
        "legs_late": _("%(n)d ruas logistik terlambat"),
        "incidents_open": _("%(n)d kejadian hari ini belum selesai ditangani"),
    }
    text = texts.get(item.get("kind", ""), "%(unit)s: %(n)d")
    return text % {"unit": item.get("unit", ""), "n": item.get("n", 0)}


def present(data: dict[str, Any]) -> dict[str, Any]:
    """The stored figures with labels added for display; the input is not changed. A section left out (a
    partner's extract) stays out: None."""
    from siaga.events.models import Event
    from siaga.incidents.models import Category, Priority
    from siaga.operations.models import SiagaLevel

    s = data["sections"]
    out: dict[str, Any] = {**data, "day_date": dt.date.fromisoformat(data["day"]), "charts": {}}
    # The period as clock times: a whole day ends at 24.00 (the next day's 00.00).
    start, end = data["window"]["from"], data["window"]["to"]
    out["period"] = (start[11:16], "24:00" if end[:10] > start[:10] else end[11:16])
    situation = dict(s["situation"]) if "situation" in s else None
    if situation is not None:
        situation["siaga_label"] = _choice(SiagaLevel, situation["siaga"]["level"])
    out["situation"] = situation
    incidents = dict(s["incidents"]) if "incidents" in s else None
    if incidents is not None:
        incidents["by_category"] = [
            dict(r, label=_choice(Category, r["code"])) for r in incidents["by_category"]
        ]
        incidents["by_priority"] = [
            dict(r, label=_choice(Priority, r["code"])) for r in incidents["by_priority"]
        ]
        incidents["notable"] = [
            dict(
                r,
                category_label=_choice(Category, r["category"]),
                priority_label=_choice(Priority, r["priority"]),
            )
            for r in incidents["notable"]
        ]
        out["charts"]["incidents"] = charts.bars(
            _("Kejadian per kategori"),
            [(r["label"], r["n"]) for r in incidents["by_category"]],
            color=charts.ORANGE,
        )
    out["incidents"] = incidents
    activities = dict(s["activities"]) if "activities" in s else None
    if activities is not None:
        events = dict(activities["events"])
        events["items"] = [
            dict(
                e,
                kind_label=_choice(Event.Kind, e["kind"]),
                status_label=_choice(Event.Status, e["status"]),
                risk_label=_choice(Event.Risk, e["risk"]),
                time=e["starts_at"][11:16],
            )
            for e in events["items"]
        ]
        activities["events"] = events
        alerts = dict(activities["alerts"])
        alerts["by_kind"] = [dict(r, label=alert_label(r["code"])) for r in alerts["by_kind"]]
        activities["alerts"] = alerts
        out["charts"]["patrols"] = charts.paired_bars(
            _("Patroli terlaksana vs rencana"),
            [(r["name"], r["done"], r["planned"]) for r in activities["patrols"]["by_polsek"]],
            (_("terlaksana"), _("rencana")),
        )
    out["activities"] = activities
    strength = s.get("strength")
    if strength is not None:
        basis_labels = {
            "apel": _("apel terkunci terakhir"),
            "roster": _("personel aktif (belum ada apel terkunci)"),
            "none": _("belum ada operasi"),
        }
        out["basis_label"] = basis_labels.get(strength["basis"]["source"], strength["basis"]["source"])
        out["charts"]["strength"] = charts.paired_bars(
            _("Polri tersedia vs kebutuhan per Polsek"),
            # Units with a requirement only: the Polres's HQ functions (no TPS of their own) would flatten the scale.
            [
                (r["name"], r["polri_available"], r["polri_required"])
                for r in strength["rows"]
                if r["polri_required"]
            ],
            (_("tersedia"), _("kebutuhan")),
        )
    out["strength"] = strength
    out["obstacles"] = [obstacle_label(o) for o in s["obstacles"]] if "obstacles" in s else None
    out["plans"] = s.get("plans")
    journal = s.get("journal")
    if journal is not None:
        from siaga.posko.models import JournalEntry

        journal = {
            "entries": [dict(e, kind_label=_choice(JournalEntry.Kind, e["kind"])) for e in journal["entries"]]
        }
    out["journal"] = journal
    return out


def lapsit_number(*, seq: int, day: dt.date) -> str:
    return f"R/LAPSIT/{seq}/{ROMAN[day.month]}/{day.year}"


def export_json(data: dict[str, Any]) -> bytes:
    """The file a Polda ingests: the same envelope as the API (`schema`, `version`), sorted keys, UTF-8."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode()


def render_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("lapsit/lapsit_pdf.html", {"l": present(data)})
    return HTML(string=html, base_url="http://localhost/").write_pdf()  # type: ignore[no-any-return]


def render_xlsx(data: dict[str, Any]) -> bytes:
    p = present(data)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Situasi")[:31]
    sit = p["situation"]
    ws.append([_("LAPORAN SITUASI"), p.get("number", "")])
    ws.append([_("Polres"), p["polres"]["name"]])
    ws.append([_("Tanggal"), p["day"]])
    ws.append([_("Pemilihan"), (sit.get("election") or {}).get("name", "")])
    ws.append([_("Hari H"), sit.get("h_label", "")])
    ws.append([_("Tahapan"), sit.get("stage") or ""])
    ws.append([_("Status siaga"), sit["siaga_label"]])
    st = p["strength"]
    sheet = wb.create_sheet(_("Kekuatan")[:31])
    sheet.append(
        [
            _("Satuan"),
            _("Polri kebutuhan"),
            _("Polri tersedia"),
            _("PAM TPS (Sprin)"),
            _("Linmas kebutuhan"),
            _("Linmas tersedia"),
            _("TNI kebutuhan"),
            _("TNI tersedia"),
        ]
    )
    for r in [*st["rows"], st["total"]]:
        sheet.append(
            [
                r["name"],
                r["polri_required"],
                r["polri_available"],
                r["pam_tps_deployed"],
                r["linmas_required"],
                r["linmas_available"],
                r["tni_required"],
                r["tni_available"],
            ]
        )
    check = st["siaga_check"]
    sheet.append([])
    sheet.append([_("Kekuatan Polri (DSP + BKO)"), check["polri_strength"]])
    sheet.append([_("Disiagakan"), check["polri_siaga"]])
    sheet.append([_("Porsi yang diminta"), check["fraction"]])
    sheet.append([_("Minimal"), check["needed"]])
    sheet.append([_("Terpenuhi"), _("ya") if check["ok"] else _("tidak")])
    sheet.append([_("Cadangan"), st["reserve"]["total"]])
    for item in st["reserve"]["items"]:
        sheet.append([item["name"], item["count"], item["origin_label"], item["stationed_at"]])
    dep = st["deployed"]
    sheet.append([_("Dikerahkan: PAM TPS"), dep["pam_tps"]])
    sheet.append([_("Dikerahkan: pos jaga"), dep["guard_posts"]])
    sheet.append([_("Dikerahkan: pengamanan kegiatan"), dep["events"]])
    sheet.append([_("Dikerahkan: pengawalan logistik"), dep["escorts"]])
    act = p["activities"]
    sheet = wb.create_sheet(_("Kegiatan")[:31])
    sheet.append([_("Patroli"), _("Rencana"), _("Terlaksana")])
    for r in act["patrols"]["by_polsek"]:
        sheet.append([r["name"], r["planned"], r["done"]])
    sheet.append([_("Jumlah"), act["patrols"]["planned"], act["patrols"]["done"]])
    sheet.append([])
    sheet.append([_("Peringatan posko"), act["alerts"]["raised"]])
    for r in act["alerts"]["by_kind"]:
        sheet.append([r["label"], r["n"]])
    sheet.append([_("Masih terbuka"), act["alerts"]["open_at_end"]])
    sheet.append([])
    sheet.append([_("Logistik: ruas dijadwalkan tiba"), act["logistics"]["legs_due"]])
    sheet.append([_("Logistik: tiba"), act["logistics"]["arrived"]])
    sheet.append([_("Logistik: terlambat"), act["logistics"]["late"]])
    sheet.append([])
    sheet.append([_("Kegiatan"), _("Jenis"), _("Kecamatan"), _("Jam"), _("Status")])
    for e in act["events"]["items"]:
        sheet.append([e["title"], e["kind_label"], e["kecamatan"], e["time"], e["status_label"]])
    inc = p["incidents"]
    sheet = wb.create_sheet(_("Kejadian")[:31])
    sheet.append([_("Kategori"), _("Jumlah")])
    for r in inc["by_category"]:
        sheet.append([r["label"], r["n"]])
    sheet.append([_("Jumlah"), inc["total"]])
    sheet.append([])
    sheet.append([_("Polsek"), _("Jumlah")])
    for r in inc["by_polsek"]:
        sheet.append([r["name"], r["n"]])
    sheet.append([])
    sheet.append([_("Prioritas"), _("Jumlah")])
    for r in inc["by_priority"]:
        sheet.append([r["label"], r["n"]])
    sheet = wb.create_sheet(_("Kendala dan rencana")[:31])
    sheet.append([_("Kendala")])
    for text in p["obstacles"]:
        sheet.append([text])
    plans = p["plans"]
    sheet.append([])
    sheet.append([_("Rencana besok"), plans["day"]])
    sheet.append([_("Kegiatan"), plans["events"]])
    sheet.append([_("Kunjungan patroli"), plans["patrol_visits"]])
    sheet.append([_("Ruas logistik"), plans["legs_due"]])
    sheet.append([_("Personel pos jaga"), plans["guard_officers"]])
    sheet = wb.create_sheet(_("Buku mutasi")[:31])
    sheet.append([_("Waktu"), _("Jenis"), _("Isi"), _("Penulis")])
    for e in p["journal"]["entries"]:
        sheet.append([e["at"][11:16], e["kind_label"], e["text"], e["author"]])
    for ws_ in wb.worksheets:
        for cell in ws_[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
