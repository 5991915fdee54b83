"""A citizen on a phone files a report with a photo, gets a receipt code, and the Posko sees it in the queue.
The stored photo has no EXIF GPS. Drives Debian Chromium through Playwright against live_server."""

from __future__ import annotations

import os
import pathlib
from typing import Any

import pytest
from PIL import Image

from siaga.incidents.models import Incident, IncidentPhoto
from siaga.public.tests.test_portal import jpeg_with_gps

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_report_with_photo_reaches_the_triage_queue(
    jember_data: None, live_server: Any, browser: Any, settings: Any, tmp_path: pathlib.Path
) -> None:

    from siaga.accounts.models import User
    from siaga.territory.models import PoliceUnit

    settings.SIAGA_INCIDENT_PHOTO_DIR = tmp_path / "photos"
    photo = tmp_path / "IMG_2024.jpg"
    photo.write_bytes(jpeg_with_gps(1600, 1200))
    User.objects.create_user(
        username="posko",
        password="posko-password-123",
        role="ops_staff",
        police_unit=PoliceUnit.objects.get(code="polres-jember"),
    )
    try:
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="id-ID"
        )
        page = phone.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}/lapor/")
        # Sending an empty form lists what is missing, without a round trip.
        page.click("#send-report")
        assert page.is_visible("#missing")
        missing = page.inner_text("#missing-list")
        assert "jenis kejadian" in missing and "lokasi" in missing
        assert page.url.endswith("/lapor/")

        page.select_option("select[name=category]", "money_politics")
        page.fill(
            "textarea[name=description]",
            "Tim sukses membagikan amplop berisi uang kepada warga di dekat TPS",
        )
        page.locator("#pick-map").tap(position={"x": 195, "y": 120})
        assert page.input_value("input[name=lat]") != ""
        page.set_input_files("input[name=photos]", str(photo))
        page.check("#id_consent")
        page.click("#send-report")
        page.wait_for_url("**/lapor/status/**")
        receipt = page.inner_text("#receipt-code").strip()
        assert len(receipt) == 9
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "the status page fits a phone screen"
        assert not [e for e in errors if "Content Security Policy" in e], errors

        desk = browser.new_context(viewport={"width": 1280, "height": 900})
        posko = desk.new_page()
        posko.goto(f"{live_server.url}/masuk/?next=/kejadian/")
        posko.fill("input[name=username]", "posko")
        posko.fill("input[name=password]", "posko-password-123")
        posko.press("input[name=password]", "Enter")
        posko.wait_for_url(f"{live_server.url}/kejadian/")
        assert posko.locator(f"tr[data-receipt='{receipt}']").count() == 1
    finally:
        for context in browser.contexts:
            context.close()

    incident = Incident.objects.get(receipt=receipt)
    assert incident.source == "public" and incident.category == "money_politics" and incident.lat is not None
    stored = IncidentPhoto.objects.get(incident=incident)
    with Image.open(settings.SIAGA_INCIDENT_PHOTO_DIR / stored.file_name) as img:
        assert 0x8825 not in img.getexif() and not img.info.get("exif")
        assert img.format == "JPEG"
