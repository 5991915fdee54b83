"""The Sprin PDF names every officer with his TPS; the XLSX matches the plan; GeoJSON colours teams."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from siaga.deployment import documents, selectors
from siaga.deployment.models import DeploymentPlan, TeamTps


def test_sprin_pdf_names_every_officer_with_his_tps(subset_plan: DeploymentPlan) -> None:
    pdf = documents.render_sprin_pdf(subset_plan)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = re.sub(r"\s+", " ", text)
    assert "SURAT PERINTAH" in flat and "Pertimbangan" in flat and "Dasar" in flat and "Untuk" in flat
    officers: dict[str, list[dict[str, Any]]] = {}
    for r in selectors.plan_rows(subset_plan):
        officers.setdefault(r["nrp"], []).append(r)
    assert officers
    for nrp, rows in officers.items():
        at = flat.find(nrp)
        assert at >= 0, nrp
        assert rows[0]["name"] in flat
        # The officer's own row lists his first TPS (number and desa) right after his NRP.
        window = flat[at : at + 600]
        first = min(rows, key=lambda r: r["order"])
        assert first["tps"] in window and first["desa"].split()[0] in window, (nrp, first["tps"])


def test_xlsx_matches_the_plan(subset_plan: DeploymentPlan) -> None:
    wb = load_workbook(io.BytesIO(documents.render_xlsx(subset_plan)))
    ws = wb["Plotting"]
    header = [c.value for c in ws[1]]
    assert header == [str(h) for h in documents.XLSX_HEADERS]
    rows = {
        (r[header.index("NRP")], r[header.index("Kode TPS")], r[header.index("Tim")])
        for r in ws.iter_rows(min_row=2, values_only=True)
    }
    expected = {
        (m.personnel.nrp, s.tps.code, t.code)
        for t in selectors.teams_for_all(subset_plan)
        for m in t.members.all()
        for s in t.stops.all()
    }
    assert rows == expected
    shortfall = wb["Kekurangan"]
    assert shortfall.max_row - 1 == subset_plan.shortfall.count()


def test_geojson_colours_teams_and_highlights_uncovered(subset_plan: DeploymentPlan, kabagops: Any) -> None:
    data = documents.plan_geojson(subset_plan, user=kabagops)
    kinds: dict[str, int] = {}
    for f in data["features"]:
        kinds[f["properties"]["kind"]] = kinds.get(f["properties"]["kind"], 0) + 1
    assert kinds["tps"] == TeamTps.objects.filter(plan=subset_plan).count()
    assert kinds["route"] == subset_plan.teams.count()
    assert kinds["uncovered"] == subset_plan.shortfall.filter(tps__isnull=False).count() > 0
    assert all(
        f["properties"]["color"] == documents.UNCOVERED_COLOR
        for f in data["features"]
        if f["properties"]["kind"] == "uncovered"
    )
