"""The plan's documents: the Sprin (PDF, WeasyPrint, Indonesian layout), the plotting table (XLSX, openpyxl)
and GeoJSON (teams' TPS with a colour per team, uncovered TPS highlighted)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from siaga.deployment import selectors
from siaga.deployment.models import DeploymentPlan

XLSX_HEADERS = [
    "tim",
    "polsek",
    "kategori",
    "pola",
    "urutan",
    "kode_tps",
    "tps",
    "desa",
    "kecamatan",
    "alamat",
    "lintang",
    "bujur",
    "pangkat",
    "nama",
    "nrp",
    "telepon",
    "padal",
    "telepon_padal",
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


def render_sprin_pdf(
    plan: DeploymentPlan, *, base_url: str = "http://localhost/", polsek_id: int | None = None
) -> bytes:
    """The Sprin with its lampiran; `polsek_id` limits the lampiran to one Polsek (a whole Polres runs to
    hundreds of pages and minutes of layout)."""
    from weasyprint import HTML

    rows = selectors.plan_rows(plan, polsek_id=polsek_id)
    officers: dict[int, dict[str, Any]] = {}
    for r in rows:
        o = officers.setdefault(r["personnel_id"], {**r, "stops": []})
        o["stops"].append(r)
    padal_qs = plan.padal.select_related("personnel__rank", "polsek").prefetch_related("teams")
    padal = list(padal_qs.filter(polsek_id=polsek_id) if polsek_id else padal_qs)
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
    # The template references no external resource; base_url only stops WeasyPrint from guessing one.
    return HTML(string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]


def render_xlsx(plan: DeploymentPlan, *, user: Any = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Plotting"
    ws.append(XLSX_HEADERS)
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
    short = wb.create_sheet("Kekurangan")
    short.append(["jenis", "polsek", "kode_tps", "desa", "kategori", "tim", "alasan"])
    for s in (
        selectors.shortfall_for(user, plan)
        if user is not None
        else plan.shortfall.select_related("polsek", "tps__desa").defer("tps__desa__boundary")
    ):
        short.append(
            [
                s.get_kind_display(),
                s.polsek.name if s.polsek else "",
                s.tps.code if s.tps else "",
                s.tps.desa.name if s.tps else "",
                s.category_code,
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
            [team.polsek.lng, team.polsek.lat],
            *[[s.tps.lng, s.tps.lat] for s in stops],
            [team.polsek.lng, team.polsek.lat],
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
                    "geometry": {"type": "Point", "coordinates": [s.tps.lng, s.tps.lat]},
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
                "geometry": {"type": "Point", "coordinates": [row.tps.lng, row.tps.lat]},
                "properties": {
                    "kind": "uncovered",
                    "id": row.tps.pk,
                    "color": UNCOVERED_COLOR,
                    "label": f"TPS {row.tps.number:03d} {row.tps.desa.name}: {row.reason}",
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
