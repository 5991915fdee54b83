"""The demo walk-through of docs/user-guide.md ("Tur demo"), in Indonesian, in Debian Chromium: the Kabag Ops
at a desk, the Polsek officer, a field officer on a 390 px phone, a citizen on a phone and a partner (KPU).
Every page on the way speaks Indonesian only: no "Indonesian / English" pair, no internal code."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from siaga.core.tests.test_screen_language import _one_language
from siaga.incidents.models import Incident, Status
from siaga.incidents.tests.factories import make_incident, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "test-password-123"  # the root conftest's personas
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "id-ID"}
DESK = {"viewport": {"width": 1366, "height": 800}, "locale": "id-ID"}


class Walk:
    """One persona's browser, checking every page it shows."""

    def __init__(self, chromium: Any, base: str, **context: Any) -> None:
        self.context = chromium.new_context(**context)
        self.context.set_default_timeout(120_000)  # a shared, loaded CI machine: wait, do not flake
        self.page = self.context.new_page()
        self.base = base
        self.problems: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def log_in(self, username: str, next_url: str) -> None:
        self.page.goto(f"{self.base}/masuk/?next={next_url}")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.press("input[name=password]", "Enter")
        self.page.wait_for_url(f"{self.base}{next_url}")
        self.check()

    def open(self, url: str) -> None:
        self.page.goto(f"{self.base}{url}")
        self.check()

    def check(self) -> None:
        text = self.page.inner_text("body")
        self.problems += [(self.page.url, p) for p in _one_language(text, "id")]
        # Made for a phone: nothing wider than the screen.
        width = self.page.evaluate("document.documentElement.scrollWidth")
        viewport = self.page.viewport_size["width"]
        if width > viewport + 1:
            self.problems.append((self.page.url, f"{width} px wide on a {viewport} px screen"))

    def close(self) -> list[Any]:
        self.context.close()
        return self.problems + self.errors


def test_demo_walkthrough_in_indonesian(
    live_url: str,
    chromium: Any,
    kabagops: Any,
    polsek_tempurejo: Any,
    field_officer: Any,
    partner_kpu: Any,
) -> None:
    from playwright.sync_api import expect

    incident = make_incident(category="violence", description="Keributan di depan TPS 3, massa berkumpul")
    make_unit(call_sign="TMP-1", offset=(0.013, 0.0))
    problems: list[Any] = []

    # 1. Kabag Ops: the map, an election chosen once for every page, a report verified and a unit sent.
    kabag = Walk(chromium, live_url, **DESK)
    kabag.log_in(kabagops.username, "/peta/")
    kabag.page.wait_for_selector("#command-map[data-state=ready]", timeout=60_000)
    kabag.open(reverse("operations:category_list"))
    kabag.page.select_option("#pick-election", "pilkada-2024")
    kabag.page.get_by_role("button", name="Tampilkan").click()
    kabag.check()
    expect(kabag.page.locator("main")).to_contain_text("Pilkada Jember 2024")
    kabag.page.get_by_role("link", name="Kebutuhan personel").first.click()
    expect(kabag.page.locator("#pick-election")).to_have_value("pilkada-2024")  # remembered
    kabag.check()
    kabag.open(reverse("incidents:queue"))
    kabag.page.get_by_role("link", name=re.compile(incident.receipt)).first.click()
    kabag.page.get_by_role("button", name="→ terverifikasi").click()
    expect(kabag.page.locator("#incident-status")).to_have_text("terverifikasi")
    kabag.page.locator("#recommendations li", has_text="TMP-1").get_by_role("button", name="Kirim").click()
    expect(kabag.page.locator("#incident-status")).to_have_text("unit dikirim")
    kabag.check()
    problems += kabag.close()

    # 2. The Polsek officer sees the report of his kecamatan in the queue.
    polsek = Walk(chromium, live_url, **DESK)
    polsek.log_in(polsek_tempurejo.username, reverse("incidents:queue"))
    expect(polsek.page.locator("main")).to_contain_text(incident.receipt)
    problems += polsek.close()

    # 3. A field officer reports from his phone.
    field = Walk(
        chromium,
        live_url,
        **PHONE,
        geolocation={"latitude": -8.41, "longitude": 113.76},
        permissions=["geolocation"],
    )
    field.log_in(field_officer.username, reverse("field:report"))
    field.page.fill("#f-description", "Spanduk kampanye dirusak di dekat balai desa")
    field.page.click("#incident-form button[type=submit]")
    expect(field.page.locator("#outbox-count")).to_have_text("0", timeout=30_000)
    field.check()
    problems += field.close()
    assert Incident.objects.filter(source="field", description__startswith="Spanduk").count() == 1

    # 4. A citizen reports from a phone and gets a receipt code.
    citizen = Walk(chromium, live_url, **PHONE)
    citizen.open(reverse("public:report"))
    citizen.page.select_option("#id_category", "money_politics")
    citizen.page.fill("#id_description", "Ada pembagian amplop di rumah warga malam ini")
    desa = citizen.page.locator("#id_desa option", has_text=re.compile(r"^Tempurejo - ")).first
    citizen.page.select_option("#id_desa", desa.get_attribute("value"))
    citizen.page.check("#id_consent")
    citizen.page.click("#send-report")
    citizen.page.wait_for_url(re.compile(r".*/lapor/status/.+/$"))
    citizen.check()
    receipt = citizen.page.url.rstrip("/").rsplit("/", 1)[1]
    problems += citizen.close()
    assert Incident.objects.filter(receipt=receipt, source="public").exists()

    # 5. The KPU partner sees the map, but no personnel.
    partner = Walk(chromium, live_url, **DESK)
    partner.log_in(partner_kpu.username, "/peta/")
    partner.page.wait_for_selector("#command-map[data-state=ready]", timeout=60_000)
    assert partner.page.goto(f"{live_url}{reverse('personnel:list')}").status == 403
    problems += partner.close()

    assert Incident.objects.get(pk=incident.pk).status == Status.DISPATCHED
    assert problems == []
