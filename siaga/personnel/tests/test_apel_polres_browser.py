"""A whole Polres apel in Debian Chromium at phone size: units start collapsed, "Semua hadir" marks a unit,
then the exceptions are tapped, without a reload and within 390 px."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Count
from django.test import Client

from siaga.accounts.models import Role, User
from siaga.core.models import AuditEvent
from siaga.personnel import reference, services
from siaga.personnel.models import ApelEntry, ApelSession, KitItem, Personnel, Rank
from siaga.territory.models import PoliceUnit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
def test_a_unit_all_present_then_its_exceptions(live_server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    reference.seed(Rank, KitItem)
    polres = PoliceUnit.objects.get(code="polres-jember")
    operator = User.objects.create_user(
        username="op.apel.polres", password="x-test-password-123", role=Role.OPS_STAFF, police_unit=polres
    )
    units = services.ensure_units(polres=polres)[:30]
    bripda = Rank.objects.get(code="bripda")
    Personnel.objects.bulk_create(
        [
            Personnel(nrp=f"{72000000 + i}", name=f"Anggota {i:03d}", rank=bripda, unit=units[i % 30])
            for i in range(600)
        ]
    )
    session = services.create_apel_session(
        actor=operator,
        polres=polres,
        operation_slug="mantap-praja-2024",
        kind=ApelSession.Kind.GELAR_PASUKAN,
        held_on=dt.date(2024, 2, 13),
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
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/personel/apel/{session.pk}/")
    page.evaluate("window.__notReloaded = true")
    expect(page.locator('[data-count="roster"]')).to_have_text("600")
    assert page.locator(".rc-row").count() == 0  # collapsed: no officer rows yet
    assert page.evaluate("document.documentElement.scrollHeight") < 6000  # was 112,000 px for the demo Polres

    first = page.locator(".rc-unit").first
    first.locator(".rc-all-present").click()
    expect(first.locator(".rc-unit-present")).to_have_text("20")
    expect(first.locator(".rc-unit-unmarked")).to_have_text("0")
    expect(page.locator('[data-count="present"]')).to_have_text("20")
    expect(first.locator(".rc-all-present")).to_be_disabled()
    # The unit opens by itself so that the exceptions come next.
    rows = first.locator(".rc-row")
    expect(rows).to_have_count(20)
    expect(first.locator('.rc-row[data-status="present"]')).to_have_count(20)

    rows.nth(2).locator('.rc-mark[data-status="sick"]').click()
    expect(rows.nth(2)).to_have_attribute("data-status", "sick")
    rows.nth(5).locator('.rc-mark[data-status="absent"]').click()
    page.locator("#rc-reason").fill("tidak ada kabar")
    page.locator('[data-panel="absent"]').click()
    expect(rows.nth(5)).to_have_attribute("data-status", "absent")
    expect(first.locator(".rc-unit-present")).to_have_text("18")
    expect(page.locator('[data-count="present"]')).to_have_text("18")
    expect(page.locator('[data-count="sick"]')).to_have_text("1")
    expect(page.locator('[data-count="absent"]')).to_have_text("1")

    # A second unit, opened first and then marked: its rows follow.
    second = page.locator(".rc-unit").nth(1)
    second.locator(".rc-unit-toggle").click()
    expect(second.locator(".rc-row")).to_have_count(20)
    second.locator(".rc-all-present").click()
    expect(second.locator('.rc-row[data-status="present"]')).to_have_count(20)
    expect(page.locator('[data-count="present"]')).to_have_text("38")

    # Search across the whole Polres asks the server.
    page.locator("#rc-search").fill("Anggota 599")
    expect(page.locator("#rc-results .rc-row")).to_have_count(1)

    assert page.evaluate("window.__notReloaded === true")
    assert page.evaluate("document.documentElement.scrollWidth <= 390")
    assert not errors
    statuses = dict(
        ApelEntry.objects.filter(session=session).values_list("status").order_by().annotate(n=Count("id"))
    )
    assert statuses == {"present": 38, "sick": 1, "absent": 1, "unmarked": 560}
    assert AuditEvent.objects.filter(object_type="personnel.apelentry", action="update").count() == 42
    context.close()
