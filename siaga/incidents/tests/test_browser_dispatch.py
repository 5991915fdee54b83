"""The Posko dispatches a unit from an incident page in Indonesian (issue 14 item 1: the decimal comma in
the ETA made this an HTTP 500). Playwright + Debian Chromium against live_server."""

from __future__ import annotations

import os
from typing import Any

import pytest

from siaga.incidents.models import Dispatch, Incident, Status
from siaga.incidents.tests.factories import make_incident, make_unit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _login(page: Any, base: str, username: str, password: str, next_url: str) -> None:
    page.goto(f"{base}/masuk/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(f"{base}{next_url}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_kirim_dispatches_the_unit_in_indonesian(jember_data: None, live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    from siaga.accounts.models import User
    from siaga.territory.models import PoliceUnit

    User.objects.create_user(
        username="posko",
        password="posko-password-123",
        role="ops_staff",
        police_unit=PoliceUnit.objects.get(code="polres-jember"),
    )
    incident = make_incident()
    unit = make_unit(call_sign="TMP-BROWSER", offset=(0.013, 0.0))  # about 2 km: the ETA has decimals
    context = browser.new_context(locale="id-ID")
    try:
        page = context.new_page()
        _login(page, live_server.url, "posko", "posko-password-123", f"/kejadian/{incident.pk}/")
        row = page.locator("#recommendations li", has_text="TMP-BROWSER")
        expect(row).to_contain_text(",")  # shown the Indonesian way: "± 4,8 mnt"
        row.get_by_role("button", name="Kirim").click()
        page.wait_for_url(f"{live_server.url}/kejadian/{incident.pk}/")
        expect(page.locator("#incident-status")).to_have_text("unit dikirim")
    finally:
        context.close()
    dispatch = Dispatch.objects.get(incident=incident)
    assert dispatch.unit_id == unit.pk and dispatch.eta_minutes is not None and dispatch.eta_minutes > 0
    assert Incident.objects.get(pk=incident.pk).status == Status.DISPATCHED
