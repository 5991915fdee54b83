"""A citizen files a neutrality complaint on a phone, a Propam officer takes it to a decision, and the citizen
sees the status change. Debian Chromium through Playwright."""

from __future__ import annotations

import os
from typing import Any

import pytest

from siaga.accounts.models import User
from siaga.neutrality.models import Case, Step
from siaga.territory.models import Desa, PoliceUnit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.browser
def test_citizen_complaint_to_propam_decision(live_server: Any, browser: Any) -> None:
    User.objects.create_user(
        username="propam.jember",
        password="propam-password-123",
        role="propam",
        police_unit=PoliceUnit.objects.get(code="polres-jember"),
    )
    desa = Desa.objects.filter(kecamatan__name__iexact="Tempurejo").order_by("name").first()
    try:
        phone = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="id-ID"
        )
        citizen = phone.new_page()
        errors: list[str] = []
        citizen.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        citizen.goto(f"{live_server.url}/lapor/")
        citizen.click("#neutrality-link")
        citizen.wait_for_url("**/lapor/netralitas/")
        citizen.fill("input[name=officer_description]", "Bripka berseragam dari Polsek Tempurejo")
        citizen.fill(
            "textarea[name=summary]",
            "Berjoget di panggung kampanye calon dengan pose dua jari, memakai seragam.",
        )
        citizen.select_option("select[name=desa]", str(desa.pk))
        citizen.fill("input[name=nik]", "3509010101010001")
        citizen.check("input[name=consent]")
        citizen.click("#submit-complaint")
        citizen.wait_for_url("**/lapor/netralitas/status/**")
        receipt = citizen.inner_text("#receipt-code").strip()
        assert citizen.get_attribute("#public-status", "data-step") == Step.RECEIVED
        assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
        status_url = citizen.url

        desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        propam = desk.new_page()
        propam.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        propam.goto(f"{live_server.url}/masuk/?next=/netralitas/")
        propam.fill("input[name=username]", "propam.jember")
        propam.fill("input[name=password]", "propam-password-123")
        propam.press("input[name=password]", "Enter")
        propam.wait_for_url(f"{live_server.url}/netralitas/")
        propam.click(f"tr[data-receipt='{receipt}'] a")
        propam.click("#show-identity")
        assert "3509010101010001" in propam.inner_text("#complainant")
        moves = [
            {"to": "clarification", "note": "Terlapor dan pengadu diklarifikasi"},
            {"to": "gelar_perkara", "note": "Gelar perkara di Si Propam"},
            {"to": "classified", "classification": "sedang"},
            {"to": "hearing", "note": "Sidang KKEP"},
            {
                "to": "decided",
                "decision": "Terbukti tidak netral (Perpol 7/2022 Pasal 4 huruf h)",
                "sanction": "Penempatan khusus 14 hari",
            },
        ]
        for move in moves:
            propam.select_option("#id_to", move["to"])
            if "note" in move:
                propam.fill("#id_note", move["note"])
            if "classification" in move:
                propam.select_option("#id_classification", move["classification"])
            if "decision" in move:
                propam.fill("#id_decision", move["decision"])
                propam.fill("#id_sanction", move["sanction"])
            propam.click("#move-form button[type=submit]")
            propam.wait_for_load_state()
            assert propam.get_attribute("#case-step", "data-step") == move["to"]
        assert Case.objects.get(receipt=receipt).step == Step.DECIDED

        citizen.goto(status_url)
        assert citizen.get_attribute("#public-status", "data-step") == Step.DECIDED
        assert "diputus" in citizen.inner_text("#public-status")
        assert "3509010101010001" not in citizen.content()
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        for context in browser.contexts:
            context.close()
