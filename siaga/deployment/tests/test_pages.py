"""Pages and API per persona (200 / 403 / 404), query counts, edits through the page, exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from siaga.deployment import services
from siaga.deployment.models import DeploymentPlan, OfficerAccount, Team, TeamMember


def test_plan_pages_per_persona(
    subset_plan: DeploymentPlan,
    client_for: Any,
    kabagops: Any,
    partner_kpu: Any,
    field_officer: Any,
    outsider: Any,
) -> None:
    url = f"/plotting/rencana/{subset_plan.pk}/"
    assert client_for(kabagops).get("/plotting/").status_code == 200
    page = client_for(kabagops).get(url)
    assert page.status_code == 200 and b"plotting-table" in page.content
    assert client_for(partner_kpu).get(url).status_code == 403
    assert client_for(field_officer).get(url).status_code == 403
    # A Polsek outside the plan's teams sees the Polres plan but none of another Polsek's teams.
    other = client_for(outsider).get(url)
    assert other.status_code == 200
    assert Team.objects.filter(plan=subset_plan).first().code.encode() not in other.content
    geo = client_for(outsider).get(f"/plotting/rencana/{subset_plan.pk}/peta.geojson").json()
    assert geo["features"] == []
    assert client_for(kabagops).get("/plotting/rencana/999999/").status_code == 404


def test_plan_page_query_count_does_not_grow_with_teams(
    subset_plan: DeploymentPlan, client_for: Any, kabagops: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(kabagops)
    client.get(f"/plotting/rencana/{subset_plan.pk}/")
    with django_assert_max_num_queries(25):
        assert client.get(f"/plotting/rencana/{subset_plan.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/plotting/rencana/{subset_plan.pk}/peta.geojson").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(f"/api/v1/deployment/plans/{subset_plan.pk}/teams?limit=100").status_code == 200


def test_refused_edit_on_the_page_shows_the_rule(
    subset_plan: DeploymentPlan, client_for: Any, kabagops: Any
) -> None:
    member = (
        TeamMember.objects.filter(plan=subset_plan, team__category__code="rawan")
        .select_related("personnel")
        .first()
    )
    page = client_for(kabagops).post(
        f"/plotting/rencana/{subset_plan.pk}/personel/",
        {"action": "remove", "nrp": member.personnel.nrp},
        follow=True,
    )
    assert page.status_code == 200 and b"body system" in page.content and b"alert-danger" in page.content


def test_exports_and_shortfall_page(
    subset_plan: DeploymentPlan, client_for: Any, kabagops: Any, polsek_tempurejo: Any
) -> None:
    client = client_for(kabagops)
    pdf = client.get(f"/plotting/rencana/{subset_plan.pk}/sprin.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    xlsx = client.get(f"/plotting/rencana/{subset_plan.pk}/plotting.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    short = client_for(polsek_tempurejo).get(f"/plotting/rencana/{subset_plan.pk}/kekurangan/")
    assert short.status_code == 200 and b"Tempurejo" in short.content
    csv = client.get(f"/plotting/rencana/{subset_plan.pk}/kekurangan/?export=csv")
    assert csv.status_code == 200 and csv.content.count(b"\n") == subset_plan.shortfall.count() + 1
    from siaga.core.models import AuditEvent

    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, actor=kabagops).count() == 3


def test_my_tps_shows_the_officers_published_tps_in_order(
    subset_plan: DeploymentPlan, client_for: Any, field_officer: Any, kabagops: Any, commander: Any
) -> None:
    member = TeamMember.objects.filter(plan=subset_plan).select_related("personnel", "team").first()
    OfficerAccount.objects.create(user=field_officer, personnel=member.personnel)
    before = client_for(field_officer).get("/plotting/tps-saya/")
    assert before.status_code == 200 and b"Belum ada Sprin" in before.content  # drafts are not orders
    services.transition_plan(actor=kabagops, plan=subset_plan, to="reviewed")
    services.transition_plan(
        actor=commander,
        plan=subset_plan,
        to="published",
        sprin_number="Sprin/9",
        sprin_on=dt.date(2024, 2, 10),
    )
    page = client_for(field_officer).get("/plotting/tps-saya/")
    assert page.status_code == 200 and member.team.code.encode() in page.content
    first = member.team.stops.order_by("position").first()
    assert f"TPS {first.tps.number:03d}".encode() in page.content
    api = client_for(field_officer).get("/api/v1/deployment/my-tps").json()
    assert api["team"]["code"] == member.team.code and api["team"]["tps"][0]["order"] == 1


def test_plan_map_is_compressed_with_one_metre_positions(
    subset_plan: DeploymentPlan, client_for: Any, kabagops: Any
) -> None:
    import gzip
    import json

    client = client_for(kabagops)
    url = f"/plotting/rencana/{subset_plan.pk}/peta.geojson"
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    # Before: 2.6 MB of plain JSON for the Jember plan (the plan page's 3.2 MB).
    assert packed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) * 5 < len(plain.content)
    positions = [
        f["geometry"]["coordinates"] for f in plain.json()["features"] if f["geometry"]["type"] == "Point"
    ]
    assert positions and all(round(v, 5) == v for xy in positions for v in xy)
    teams = client.get("/plotting/peta/tim.geojson?election=pemilu-2024", HTTP_ACCEPT_ENCODING="gzip")
    assert teams.status_code == 200 and teams["Content-Encoding"] == "gzip"
