"""A field officer files three reports with no signal; back online, each reaches the server exactly once and the
phone's outbox is emptied. Playwright + Debian Chromium against live_server."""

from __future__ import annotations

import os
from typing import Any

import pytest

from siaga.incidents.models import Incident

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_offline_field_reports_are_sent_exactly_once(
    jember_data: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    from siaga.accounts.models import User
    from siaga.territory.models import PoliceUnit

    User.objects.create_user(
        username="bripda",
        password="bripda-password-123",
        role="field_officer",
        police_unit=PoliceUnit.objects.get(code="polsek-tempurejo"),
    )
    try:
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            geolocation={"latitude": -8.41, "longitude": 113.76},
            permissions=["geolocation"],
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/masuk/?next=/kejadian/lapor-lapangan/")
        page.fill("input[name=username]", "bripda")
        page.fill("input[name=password]", "bripda-password-123")
        page.press("input[name=password]", "Enter")
        page.wait_for_url(f"{live_server.url}/kejadian/lapor-lapangan/")
        page.wait_for_selector("#f-location:not(:empty)")
        context.set_offline(True)
        for i in range(3):
            page.fill("#f-description", f"Laporan lapangan nomor {i} tanpa sinyal di dusun")
            page.click("#field-form button[type=submit]")
        expect(page.locator("#outbox-count")).to_have_text("3")
        stored = page.evaluate("JSON.parse(localStorage.getItem('siaga.outbox.v1')).length")
        assert stored == 3
        assert Incident.objects.filter(source="field").count() == 0
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#outbox-count")).to_have_text("0", timeout=30000)
        assert page.evaluate("JSON.parse(localStorage.getItem('siaga.outbox.v1')).length") == 0
        # A second flush (timer, another online event) sends nothing again.
        page.evaluate("window.dispatchEvent(new Event('online'))")
        page.wait_for_timeout(500)
    finally:
        for context in browser.contexts:
            context.close()
    texts = sorted(Incident.objects.filter(source="field").values_list("description", flat=True))
    assert texts == [f"Laporan lapangan nomor {i} tanpa sinyal di dusun" for i in range(3)]
