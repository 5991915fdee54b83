"""In Debian Chromium at phone size: an escort reports "departed"; sending the same form again (back button on a
bad line) stores the report once."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from django.utils import timezone

from siaga.accounts.models import Role, User
from siaga.logistics.models import Hop, Leg, StatusUpdate
from siaga.operations.models import Election
from siaga.territory.models import Kecamatan, PoliceUnit

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_escort_reports_departure_once_from_a_phone(live_server: Any, browser: Any, jember_data: Any) -> None:
    from playwright.sync_api import expect

    kec = Kecamatan.objects.get(name__iexact="Tempurejo")
    now = timezone.now()
    leg = Leg.objects.create(
        election=Election.objects.get(slug="pemilu-2024"), key="pps_tps:uji", hop=Hop.PPS_TPS, trip="uji:1",
        kecamatan=kec, origin="PPS Andongrejo", origin_lat=kec.lat, origin_lng=kec.lng, destination="TPS 001",
        dest_lat=kec.lat + 0.01, dest_lng=kec.lng, planned_depart=now, planned_arrive=now + dt.timedelta(minutes=20),
        boxes=5, seals=20,
    )  # fmt: skip
    User.objects.create_user(
        username="kawal.tempurejo", password="x-test-password-123", role=Role.FIELD_OFFICER,
        police_unit=PoliceUnit.objects.get(code="polsek-tempurejo"),
    )  # fmt: skip
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/masuk/?next=/logistik/ruas/{leg.pk}/")
    page.fill("input[name=username]", "kawal.tempurejo")
    page.fill("input[name=password]", "x-test-password-123")
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.select_option("select[name=status]", "departed")
    form = page.locator(f"form[action='/logistik/ruas/{leg.pk}/status/']")
    fields = {
        name: form.locator(f"input[name={name}]").input_value() for name in ("csrfmiddlewaretoken", "key")
    }
    button = page.get_by_role("button", name="Kirim status")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] <= 390
    button.click()
    expect(page.get_by_text("Status dikirim.")).to_be_visible()
    # The same form sent again (a resend on a bad line): same one-time key, same session.
    resent = page.request.post(
        f"{live_server.url}/logistik/ruas/{leg.pk}/status/",
        form={**fields, "status": "departed", "note": ""},
        headers={"Referer": page.url},
    )
    assert resent.ok and "Status ini sudah diterima sebelumnya." in resent.text()
    assert StatusUpdate.objects.filter(leg=leg).count() == 1
    leg.refresh_from_db()
    assert leg.status == Leg.Status.DEPARTED
    context.close()
