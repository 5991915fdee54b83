"""The plan's documents: the Sprin (PDF, WeasyPrint, Indonesian layout), the plotting table (XLSX, openpyxl)
and GeoJSON (teams' TPS with a colour per team, uncovered TPS highlighted)."""

from __future__ import annotations

import contextlib
import io
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.core.jobs import Progress, no_progress
from siaga.core.maplayers import position
from siaga.deployment import selectors
from siaga.deployment.models import DeploymentPlan

XLSX_HEADERS = [
    gettext_lazy("Tim"),
    gettext_lazy("Polsek"),
    gettext_lazy("Kategori"),
    gettext_lazy("Pola"),
    gettext_lazy("Urutan"),
    gettext_lazy("Kode TPS"),
    gettext_lazy("TPS"),
    gettext_lazy("Desa"),
    gettext_lazy("Kecamatan"),
    gettext_lazy("Alamat"),
    gettext_lazy("Lintang"),
    gettext_lazy("Bujur"),
    gettext_lazy("Pangkat"),
    gettext_lazy("Nama"),
    gettext_lazy("NRP"),
    gettext_lazy("Telepon"),
    gettext_lazy("Padal"),
    gettext_lazy("Telepon Padal"),
]
SHORTFALL_HEADERS = [
    gettext_lazy("Jenis"),
    gettext_lazy("Polsek"),
    gettext_lazy("Kode TPS"),
    gettext_lazy("Desa"),
    gettext_lazy("Kategori"),
    gettext_lazy("Tim"),
    gettext_lazy("Alasan"),
]

PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
]
UNCOVERED_COLOR = "#d62728"


def team_color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


# Progress of a Sprin print: reading and HTML up to LAYOUT_FROM, WeasyPrint's layout (most of the time) up to
# LAYOUT_TO, then writing the PDF and storing it.
LAYOUT_FROM, LAYOUT_TO = 12, 90
# Lampiran lines (one per officer per TPS) per A4 page: the Jember Sprin (7,706 TPS, about 15,400 lines) ran to
# 386 pages.
LINES_PER_PAGE = 40


@dataclass(frozen=True)
class SprinPdf:
    """A printed Sprin: the PDF and what the job reports about it."""

    data: bytes
    pages: int
    officers: int


def render_sprin_pdf(
    plan: DeploymentPlan,
    *,
    base_url: str = "http://localhost/",
    polsek_id: int | None = None,
    user: Any = None,
) -> bytes:
    """The Sprin's PDF bytes, for the quick (per-Polsek) print in the request."""
    return build_sprin(plan, base_url=base_url, polsek_id=polsek_id, user=user).data


def build_sprin(
    plan: DeploymentPlan,
    *,
    base_url: str = "http://localhost/",
    polsek_id: int | None = None,
    user: Any = None,
    report: Progress = no_progress,
) -> SprinPdf:
    """The Sprin with its lampiran. `polsek_id` limits the lampiran to one Polsek (a whole Polres runs to
    hundreds of pages and minutes of layout); `user` limits it to what that user may see (None: the whole plan,
    for documents the system prints). `report` hears the phases and, while WeasyPrint lays out, the pages."""
    from weasyprint import HTML

    report(2, _("membaca rencana"))
    rows = selectors.plan_rows(plan, user=user, polsek_id=polsek_id)
    officers: dict[int, dict[str, Any]] = {}
    for r in rows:
        o = officers.setdefault(r["personnel_id"], {**r, "stops": []})
        o["stops"].append(r)
    padal_qs = (
        selectors.padal_for(user, plan)
        if user is not None
        else plan.padal.select_related("personnel__rank", "polsek")
    ).prefetch_related("teams")
    padal = list(padal_qs.filter(polsek_id=polsek_id) if polsek_id else padal_qs)
    report(
        8,
        _("%(o)d personel, %(r)d baris TPS, %(p)d Padal")
        % {"o": len(officers), "r": len(rows), "p": len(padal)},
    )
    # A Sprin is an official state document: Bahasa Indonesia by law (UU 24/2009 Pasal 27) whatever the
    # language of the screen that asks for it, so its values (ranks, labels) are Indonesian too, never mixed.
    with translation.override("id"):
        html = render_to_string(
            "deployment/sprin_pdf.html",
            {
                "plan": plan,
                "officers": list(officers.values()),
                "padal": padal,
                "shortfall_count": plan.shortfall.filter(kind="uncovered_tps").count(),
                "printed_at": timezone.localtime(),
            },
        )
    expected = estimated_pages(stop_lines=len(rows), padal=len(padal))
    report(LAYOUT_FROM, _("WeasyPrint: membaca HTML dan CSS"))
    with _weasyprint_pages(_page_reporter(report, expected)):
        # The template references no external resource; base_url only stops WeasyPrint from guessing one.
        document = HTML(string=html, base_url=base_url).render()
    pages = len(document.pages)
    report(
        LAYOUT_TO,
        _("%(n)d halaman tertata; menulis PDF") % {"n": pages},
    )
    return SprinPdf(data=document.write_pdf(), pages=pages, officers=len(officers))


def estimated_pages(*, stop_lines: int, padal: int) -> int:
    """How many pages WeasyPrint will lay out, for the progress bar only (the message counts real pages)."""
    return 1 + math.ceil(stop_lines / LINES_PER_PAGE) + math.ceil(padal / LINES_PER_PAGE)


def _page_reporter(report: Progress, expected: int) -> Callable[[int], None]:
    last = 0.0

    def on_page(page: int) -> None:
        nonlocal last
        # One Job update a second at most: a 386-page Sprin would otherwise write 386 log lines.
        if page > 1 and time.monotonic() - last < 1:
            return
        last = time.monotonic()
        share = min(1.0, page / max(1, expected))
        report(
            LAYOUT_FROM + (LAYOUT_TO - LAYOUT_FROM - 1) * share,
            _("menata halaman %(p)d dari sekitar %(n)d") % {"p": page, "n": max(page, expected)},
        )

    return on_page


_LAYOUT_PAGE = "Step 5 - Creating layout - Page %d"


@contextlib.contextmanager
def _weasyprint_pages(on_page: Callable[[int], None]) -> Iterator[None]:
    """Call `on_page(n)` as WeasyPrint lays out page n of a document rendered in this thread.

    WeasyPrint has no page callback, but it announces each page it lays out on its documented
    `weasyprint.progress` logger; listening there is the only way to see the minutes of layout move.
    """
    logger = logging.getLogger("weasyprint.progress")
    thread = threading.get_ident()

    class _Pages(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == thread and record.msg == _LAYOUT_PAGE and record.args:
                on_page(int(record.args[0]))  # type: ignore[index, call-overload]

    handler = _Pages(logging.INFO)
    level = logger.level
    if not logger.isEnabledFor(logging.INFO):
        logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def render_xlsx(plan: DeploymentPlan, *, user: Any = None) -> bytes:
    from openpyxl import Workbook  # loaded on use, not at web server start (issue 15)
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Plotting"))
    ws.append([str(h) for h in XLSX_HEADERS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in selectors.plan_rows(plan, user=user):
        ws.append(
            [
                r["team"],
                r["polsek"],
                r["category"],
                r["pattern"],
                r["order"],
                r["tps_code"],
                r["tps"],
                r["desa"],
                r["kecamatan"],
                r["address"],
                r["lat"],
                r["lng"],
                r["rank"],
                r["name"],
                r["nrp"],
                r["phone"],
                r["padal"],
                r["padal_phone"],
            ]
        )
    short = wb.create_sheet(str(_("Kekurangan")))
    short.append([str(h) for h in SHORTFALL_HEADERS])
    for s in selectors.shortfall_for(user, plan):
        short.append(
            [
                s.get_kind_display(),
                s.polsek.name if s.polsek else "",
                s.tps.code if s.tps else "",
                s.tps.desa.name if s.tps else "",
                s.category_label or s.category_code,  # type: ignore[attr-defined]
                s.team_code,
                s.reason,
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def plan_geojson(plan: DeploymentPlan, *, user: Any) -> dict[str, Any]:
    """TPS as points coloured per team (with the team's visiting order), team routes as lines, uncovered TPS
    in red. Stations are included so the routes start somewhere visible."""
    features: list[dict[str, Any]] = []
    for i, team in enumerate(selectors.teams_for(user, plan)):
        color = team_color(i)
        stops = [s for s in team.stops.all() if s.tps.lat is not None]
        names = ", ".join(f"{m.personnel.rank.abbreviation} {m.personnel.name}" for m in team.members.all())
        line = [
            position(team.polsek.lng, team.polsek.lat),
            *[position(s.tps.lng, s.tps.lat) for s in stops],
            position(team.polsek.lng, team.polsek.lat),
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {
                    "kind": "route",
                    "team": team.code,
                    "team_id": team.pk,
                    "color": color,
                    "label": f"{team.code}: {names}",
                },
            }
        )
        for s in stops:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": position(s.tps.lng, s.tps.lat)},
                    "properties": {
                        "kind": "tps",
                        "id": s.tps.pk,
                        "team": team.code,
                        "team_id": team.pk,
                        "order": s.position,
                        "color": color,
                        "label": f"{s.position}. TPS {s.tps.number:03d} {s.tps.desa.name} · {team.code} ({names})",
                    },
                }
            )
    for row in selectors.shortfall_for(user, plan).filter(tps__isnull=False, tps__lat__isnull=False):
        if row.tps is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": position(row.tps.lng, row.tps.lat)},
                "properties": {
                    "kind": "uncovered",
                    "id": row.tps.pk,
                    "color": UNCOVERED_COLOR,
                    "label": f"TPS {row.tps.number:03d} {row.tps.desa.name}: {row.reason}",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
