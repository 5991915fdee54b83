"""Plan editing under time pressure: TPS and officers picked as the table shows them (no 13-digit code), the
filters kept after an edit, refusals as readable alerts without internal IDs (issue 14 item 7)."""

from __future__ import annotations

import re
from typing import Any

from siaga.deployment.models import DeploymentPlan, Team, TeamMember, TeamTps


def test_move_a_tps_by_what_the_table_shows_and_keep_the_filters(
    subset_plan: DeploymentPlan, client_for: Any, kabagops: Any
) -> None:
    stop = TeamTps.objects.filter(plan=subset_plan).select_related("tps__desa", "team").first()
    label = f"TPS {stop.tps.number:03d} {stop.tps.desa.name}"  # as in the plotting table
    filtered = f"/plotting/rencana/{subset_plan.pk}/?polsek={stop.team.polsek_id}&q="
    client = client_for(kabagops)
    page = client.get(filtered).content.decode()
    assert 'name="next" value="' in page
    answer = client.post(
        f"/plotting/rencana/{subset_plan.pk}/pindah-tps/", {"tps_code": label, "team": "", "next": filtered}
    )
    assert answer.status_code == 302 and answer["Location"] == filtered
    assert not TeamTps.objects.filter(plan=subset_plan, tps=stop.tps).exists()
    # A label that fits several TPS is refused with the candidates named, not with an error code.
    page = client.post(
        f"/plotting/rencana/{subset_plan.pk}/pindah-tps/",
        {"tps_code": f"TPS {stop.tps.number:03d}", "team": ""},
        follow=True,
    ).content.decode()
    assert "alert-danger" in page and stop.tps.desa.name in page


def test_officers_by_name_and_refusals_are_readable_alerts(
    subset_plan: DeploymentPlan, client_for: Any, kabagops: Any
) -> None:
    member = (
        TeamMember.objects.filter(plan=subset_plan, team__category__code="rawan")
        .select_related("personnel__rank")
        .first()
    )
    person = member.personnel
    page = (
        client_for(kabagops)
        .post(
            f"/plotting/rencana/{subset_plan.pk}/personel/",
            {"action": "remove", "nrp": person.name},  # the name as the table shows it
            follow=True,
        )
        .content.decode()
    )
    alert = re.search(r'<div class="alert alert-danger" role="alert">(.*?)</div>', page, re.S)
    assert alert, "the refusal is a styled alert"
    text = alert.group(1)
    assert "body system" in text and "team_understaffed" not in text
    assert not re.search(rf"\bofficer {person.pk}\b", text) and f"[{person.pk}" not in text
    assert Team.objects.get(pk=member.team_id).code in text
    assert TeamMember.objects.filter(pk=member.pk).exists()
