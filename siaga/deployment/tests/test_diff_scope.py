"""The plan comparison ("beda") page shows a Polsek account only its own Polsek's officers (issue 14 item 3:
it listed names, NRP and TPS of the whole Polres)."""

from __future__ import annotations

from typing import Any

from siaga.deployment import services
from siaga.deployment.models import DeploymentPlan, TeamMember


def test_diff_page_is_scoped_to_the_polsek(
    subset_plan: DeploymentPlan, client_for: Any, kabagops: Any, polsek_tempurejo: Any, outsider: Any
) -> None:
    new = services.amend_plan(actor=kabagops, plan=subset_plan)
    gone = {}
    for code in ("polsek-tempurejo", "polsek-ambulu"):
        member = (
            TeamMember.objects.filter(plan=new, team__polsek__code=code).select_related("personnel").first()
        )
        assert member is not None
        gone[code] = member.personnel
        member.delete()
    url = f"/plotting/rencana/{new.pk}/beda/{subset_plan.pk}/"
    whole = client_for(kabagops).get(url).content.decode()
    assert gone["polsek-tempurejo"].nrp in whole and gone["polsek-ambulu"].nrp in whole
    own = client_for(polsek_tempurejo).get(url)
    assert own.status_code == 200
    text = own.content.decode()
    assert gone["polsek-tempurejo"].nrp in text
    assert gone["polsek-ambulu"].nrp not in text and gone["polsek-ambulu"].name not in text
    assert "Ambulu" not in text
    # Kaliwates has no team in the plan: it sees the page, with nobody on it.
    other = client_for(outsider).get(url).content.decode()
    assert gone["polsek-tempurejo"].nrp not in other and gone["polsek-ambulu"].nrp not in other


def test_plan_page_offers_only_the_polseks_in_scope(
    subset_plan: DeploymentPlan, client_for: Any, polsek_tempurejo: Any
) -> None:
    page = client_for(polsek_tempurejo).get(f"/plotting/rencana/{subset_plan.pk}/").content.decode()
    assert "Tempurejo" in page and "Ambulu" not in page
