"""In Debian Chromium at phone size: an officer opens "TPS saya" and sees his TPS numbered on the map."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest

from siaga.accounts.models import Role, User
from siaga.deployment import services
from siaga.deployment.models import TeamMember
from siaga.deployment.tests.conftest import subset_ids
from siaga.operations.models import Election
from siaga.territory.models import PoliceUnit

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_sees_his_tps_on_the_map(live_server: Any, browser: Any, staff: Any) -> None:
    from playwright.sync_api import expect

    polres = PoliceUnit.objects.get(code="polres-jember")
    election = Election.objects.get(slug="pemilu-2024")
    staff({"polsubsektor-ajung": 10})
    ajung = list(PoliceUnit.objects.filter(code="polsubsektor-ajung").values_list("pk", flat=True))
    assert set(ajung) <= set(subset_ids())
    plan = services.execute_run(
        run=services.create_run(
            actor=None,
            election=election,
            polres=polres,
            time_limit=2,
            seed=0,
            workers=1,
            parameters={"polsek_ids": ajung},
        )
    )
    services.transition_plan(actor=None, plan=plan, to="reviewed")
    services.transition_plan(
        actor=None, plan=plan, to="published", sprin_number="Sprin/7/II/2024", sprin_on=dt.date(2024, 2, 10)
    )
    member = TeamMember.objects.filter(plan=plan).select_related("personnel", "team").first()
    stops = list(member.team.stops.order_by("position").select_related("tps"))
    # The account is found by NRP = username (no explicit link needed).
    User.objects.create_user(
        username=member.personnel.nrp,
        password="x-test-password-123",
        role=Role.FIELD_OFFICER,
        police_unit=polres,
    )

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/masuk/?next=/plotting/tps-saya/")
    page.fill("input[name=username]", member.personnel.nrp)
    page.fill("input[name=password]", "x-test-password-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.locator("#my-team")).to_have_text(member.team.code)
    expect(page.locator("#my-tps-map")).to_have_attribute("data-markers", str(len(stops)))
    markers = page.locator("#my-tps-map [data-tps-order]")
    expect(markers).to_have_count(len(stops))
    expect(page.locator('#my-tps-map [data-tps-order="1"]')).to_be_visible()
    expect(page.locator("#my-tps-list li").first).to_contain_text(f"TPS {stops[0].tps.number:03d}")
    box = page.locator("#my-tps-map").bounding_box()
    assert box is not None and box["width"] <= 390
    context.close()
