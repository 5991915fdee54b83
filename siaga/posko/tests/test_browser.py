"""In Debian Chromium: the Posko board on a wall-display-sized screen shows the alerts one scheduler tick
raises, without a reload, and an officer acknowledges one from the board."""

from __future__ import annotations

import os
from typing import Any

import pytest

from siaga.accounts.models import Role, User
from siaga.posko import scheduler, services
from siaga.posko.models import Alert
from siaga.territory.models import PoliceUnit

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_board_shows_new_alerts_live_and_takes_an_acknowledgement(
    live_server: Any, browser: Any, jember_data: Any, world: Any
) -> None:
    from playwright.sync_api import expect

    from siaga.posko.tests.conftest import NOW

    User.objects.create_user(
        username="posko.bagops", password="x-test-password-123", role=Role.OPS_STAFF,
        police_unit=PoliceUnit.objects.get(code="polres-jember"),
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/masuk/?next=/posko/")
    page.fill("input[name=username]", "posko.bagops")
    page.fill("input[name=password]", "x-test-password-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.locator("#no-alerts")).to_be_visible()
    page.evaluate("window.__sameDocument = true")

    scheduler.run_due(now=NOW, tasks=[services.ALERT_TICK])  # what the worker's scheduler does on its tick

    incident = page.locator('[data-kind="incidents.new_urgent"]')
    expect(incident).to_be_visible(timeout=15_000)
    expect(page.locator('[data-kind="guard.unstaffed"]')).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True  # updated in place, not reloaded
    expect(page.locator("#alert-total")).to_have_text(str(Alert.objects.exclude(source="neutrality").count()))
    expect(page.locator("#command-map")).to_have_attribute("data-state", "ready", timeout=15_000)

    incident.get_by_role("button", name="Terima").click()
    expect(page.locator('[data-kind="incidents.new_urgent"]')).to_contain_text("diterima posko.bagops")
    alert = Alert.objects.get(kind="incidents.new_urgent")
    assert alert.status == Alert.Status.ACKNOWLEDGED and alert.acknowledged_by.username == "posko.bagops"
    context.close()
