"""The roll-call screen in Debian Chromium at phone size: 100 officers marked present one tap at a time."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from siaga.accounts.models import Role, User
from siaga.personnel import reference, services
from siaga.personnel.models import ApelEntry, ApelSession, KitItem, Personnel, Rank
from siaga.territory.models import PoliceUnit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
def test_marking_100_officers_present_one_tap_at_a_time(live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    reference.seed(Rank, KitItem)
    polres = PoliceUnit.objects.get(code="polres-jember")
    operator = User.objects.create_user(
        username="op.apel", password="x-test-password-123", role=Role.OPS_STAFF, police_unit=polres
    )
    units = {u.function or u.police_unit.code: u for u in services.ensure_units(polres=polres)}
    bripda = Rank.objects.get(code="bripda")
    Personnel.objects.bulk_create(
        [
            Personnel(
                nrp=f"{70000000 + i}",
                name=f"Anggota {i:03d}",
                rank=bripda,
                unit=units[unit],
                is_synthetic=True,
            )
            for i, unit in enumerate(
                ["sat_samapta"] * 60 + ["polsek-tempurejo"] * 30 + ["polsek-ambulu"] * 20
            )
        ]
    )
    session = services.create_apel_session(
        actor=operator,
        polres=polres,
        operation_slug="mantap-praja-2024",
        kind=ApelSession.Kind.GELAR_PASUKAN,
        held_on=dt.date(2024, 8, 19),
        place="Lapangan Mapolres Jember",
    )
    client = Client()
    client.force_login(operator)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
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
    page.goto(f"{live_server.url}/personel/apel/{session.pk}/")
    expect(page.locator('[data-count="roster"]')).to_have_text("110")
    # A marker that a page reload would wipe out.
    page.evaluate("window.__notReloaded = true")

    rows = page.locator(".rc-row")
    assert rows.count() == 110
    for i in range(100):
        row = rows.nth(i)
        row.locator('.rc-mark[data-status="present"]').click()
        expect(row).to_have_attribute("data-status", "present")
        expect(page.locator('[data-count="present"]')).to_have_text(str(i + 1))
    expect(page.locator('[data-count="unmarked"]')).to_have_text("10")
    assert page.evaluate("window.__notReloaded === true")
    assert page.locator(".rc-mark[data-status=present][aria-pressed=true]").count() == 100
    assert not errors

    assert ApelEntry.objects.filter(session=session, status=ApelEntry.Status.PRESENT).count() == 100
    page.reload()
    expect(page.locator('[data-count="present"]')).to_have_text("100")
    assert page.locator('.rc-row[data-status="present"]').count() == 100
    assert page.evaluate("window.__notReloaded === undefined")
    # Phone width: the buttons fit without horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    context.close()
