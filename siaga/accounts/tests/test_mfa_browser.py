"""Two-step login in Debian Chromium (ASVS 6.3.3, G17; issue 15): a staff account enrols an authenticator from
the key shown on the page, logs out, logs in again with password and code, and a wrong code is refused with an
Indonesian message. Codes are computed as an authenticator app would, from the key the page shows."""

from __future__ import annotations

import os
import re
import time
from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import TOTP

from siaga.accounts.models import User

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "test-password-123"


def _code(secret: str, at: float) -> str:
    """What an authenticator app shows at `at` for the key typed in by hand (RFC 6238: 30 s, 6 digits)."""
    generator = TOTP(b32decode(secret), step=30, t0=0, digits=6)
    generator.time = at
    return f"{generator.token():06d}"


def _password_step(page: Any, base: str, user: User) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    expect(page.locator("h1")).to_have_text("Masuk ke Siaga")  # Indonesian, as the phone asks
    page.get_by_role("button", name="Masuk", exact=True).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_enrols_totp_logs_out_and_back_in_and_a_wrong_code_is_refused(
    live_server: Any, browser: Any, kabagops: User, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.SIAGA_MFA_REQUIRED_ROLES = ["ops_staff"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    base = live_server.url

    # Password only: the account has no authenticator yet, so it is sent to enrol one.
    _password_step(page, base, kabagops)
    expect(page).to_have_url(re.compile(r"/masuk/dua-langkah/daftar/"))
    expect(page.locator("h1")).to_have_text("Pasang masuk dua langkah")
    expect(page.locator("img.mfa-qr")).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    secret = page.locator("#mfa-secret").inner_text().strip()
    enrolled_at = time.time()
    page.fill("#id_token", _code(secret, enrolled_at))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.locator("h1")).to_have_text("Kode cadangan")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Saya sudah menyimpannya").click()
    expect(page.locator("#nav-user")).to_have_text(kabagops.username)

    # Log out through the user menu.
    page.locator("#nav-user").click()
    page.get_by_role("button", name="Keluar").click()
    page.goto(f"{base}/pekerjaan/")
    expect(page).to_have_url(re.compile(r"/masuk/\?next="))

    # Log in again: the password leads to the second step, which refuses a wrong code in Indonesian.
    _password_step(page, base, kabagops)
    expect(page.locator("h1")).to_have_text("Masuk dua langkah")
    right_now = _code(secret, time.time())
    wrong = "000000" if right_now != "000000" else "111111"
    page.fill("#id_token", wrong)
    page.get_by_role("button", name="Lanjut").click()
    expect(page.locator(".alert-danger")).to_have_text("Kode salah atau sudah dipakai. Coba kode yang baru.")
    page.goto(f"{base}/pekerjaan/")
    expect(page).to_have_url(re.compile(r"/masuk/dua-langkah/"))  # still not through

    # django-otp slows guessing after a failure (1 s, doubling); then the next code of the app works. The code
    # used to enrol is spent (a code works once), so the app's next one (30 s later; one step of clock drift
    # is allowed) is typed.
    time.sleep(1.2)
    page.fill("#id_token", _code(secret, enrolled_at + 30))
    page.get_by_role("button", name="Lanjut").click()
    expect(page.locator("#nav-user")).to_have_text(kabagops.username)
    page.goto(f"{base}/pekerjaan/")
    expect(page).to_have_url(f"{base}/pekerjaan/")
    assert errors == []
    context.close()
