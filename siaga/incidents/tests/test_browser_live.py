"""A new P1 report appears in the open queue and on the command map within 5 s, without a reload (issue 14
item 4). Playwright + Debian Chromium against live_server."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from siaga.incidents.tests.factories import make_incident

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _while_polling(write: Any) -> Any:
    """The test's own write, retried while the live server's threads read the shared in-memory SQLite
    database (its table locks, unlike a real server's database, make a concurrent writer wait)."""
    from django.db import OperationalError

    for _ in range(50):
        try:
            return write()
        except OperationalError:
            time.sleep(0.05)
    return write()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_new_report_shows_in_the_queue_and_on_the_map_without_reload(
    jember_data: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    from siaga.accounts.models import User
    from siaga.territory.models import PoliceUnit

    User.objects.create_user(
        username="posko",
        password="posko-password-123",
        role="ops_staff",
        police_unit=PoliceUnit.objects.get(code="polres-jember"),
    )
    make_incident(category="other")
    context = browser.new_context(locale="id-ID")
    try:
        queue = context.new_page()
        queue.goto(f"{live_server.url}/masuk/?next=/kejadian/")
        queue.fill("input[name=username]", "posko")
        queue.fill("input[name=password]", "posko-password-123")
        queue.press("input[name=password]", "Enter")
        queue.wait_for_url(f"{live_server.url}/kejadian/")
        expect(queue.locator("#incident-queue tbody tr[data-receipt]")).to_have_count(1)
        command_map = context.new_page()
        command_map.goto(f"{live_server.url}/peta/")
        expect(command_map.locator("[data-loaded-incidents]")).to_have_attribute(
            "data-loaded-incidents", "1", timeout=20000
        )
        navigations = []
        queue.on("framenavigated", lambda frame: navigations.append(frame.url))
        urgent = _while_polling(lambda: make_incident(category="violence"))  # a P1 report
        expect(queue.locator(f'tr[data-receipt="{urgent.receipt}"]')).to_be_visible(timeout=5000)
        expect(command_map.locator("[data-loaded-incidents]")).to_have_attribute(
            "data-loaded-incidents", "2", timeout=5000
        )
        assert navigations == []  # updated in place, not reloaded
    finally:
        context.close()
