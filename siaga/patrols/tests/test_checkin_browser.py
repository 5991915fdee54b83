"""The phone check-in page in Debian Chromium at 390 px: check in by GPS, get flagged for a 30 km jump, and
queue a check-in offline that is sent once when the phone is back online."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from siaga.patrols.models import PatrolCheckIn, PatrolPoint

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_check_in_by_gps_flag_a_jump_and_send_an_offline_checkin_once(
    live_server: Any, browser: Any, kabagops: Any, points: list[PatrolPoint]
) -> None:
    from playwright.sync_api import expect

    kpu = points[0]
    far = next(p for p in points if p.code == "t-sepi-tp-3")
    near = next(p for p in points if p.code == "t-sepi-tp-2")
    client = Client()
    client.force_login(kabagops)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", geolocation={"latitude": kpu.lat, "longitude": kpu.lng, "accuracy": 8},
        permissions=["geolocation"],
    )  # fmt: skip
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/patroli/absen/")
    page.locator("details summary").click()

    page.locator(f'button[data-point-id="{kpu.pk}"]').click()
    results = page.locator("#checkin-results li")
    expect(results).to_have_count(1)
    expect(results.first).to_have_attribute("data-flags", "")

    # Thirty km away a moment later: stored, but flagged.
    context.set_geolocation({"latitude": far.lat, "longitude": far.lng, "accuracy": 8})
    page.locator(f'button[data-point-id="{far.pk}"]').click()
    expect(results).to_have_count(2)
    expect(results.first).to_have_attribute("data-flags", "IMPOSSIBLE_SPEED")

    # Offline: the check-in waits in the phone's outbox, then goes exactly once.
    context.set_offline(True)
    context.set_geolocation({"latitude": near.lat, "longitude": near.lng, "accuracy": 8})
    page.locator(f'button[data-point-id="{near.pk}"]').click()
    expect(page.locator("#patrol-checkin")).to_have_attribute("data-outbox", "1")
    assert PatrolCheckIn.objects.count() == 2
    assert page.evaluate("JSON.parse(localStorage.getItem('siaga.patrol.outbox.v1')).length") == 1
    context.set_offline(False)  # the page's "online" listener flushes the outbox
    expect(page.locator("#patrol-checkin")).to_have_attribute("data-outbox", "0")
    expect(results).to_have_count(3)
    page.evaluate(
        "document.getElementById('outbox-retry').click()"
    )  # a second flush has nothing left to send
    page.wait_for_timeout(300)
    assert PatrolCheckIn.objects.count() == 3
    assert PatrolCheckIn.objects.filter(point=near).count() == 1
    assert PatrolCheckIn.objects.get(point=far).flags == ["IMPOSSIBLE_SPEED"]
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    assert not errors
    context.close()
