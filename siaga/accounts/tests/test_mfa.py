"""Two-factor login with TOTP (ASVS 6.3.3, 6.5.1, 6.5.5, 7.5.1; G17): enrolment with a local QR code,
recovery codes, enforcement per role, codes usable once, demo accounts exempt only in demo mode."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from siaga.accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"
ALL_ROLES = ["admin", "commander", "ops_staff", "polsek_officer", "field_officer", "partner_viewer"]


def _code(device: TOTPDevice, at: float | None = None) -> str:
    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    generator.time = at if at is not None else time.time()
    return f"{generator.token():06d}"


def _password_login(user: User) -> Client:
    c = Client()
    assert c.post("/masuk/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return c


def _enrol(c: Client, user: User) -> list[str]:
    page = c.get("/masuk/dua-langkah/daftar/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html  # the QR code is drawn here, nothing loaded from elsewhere
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = c.post("/masuk/dua-langkah/daftar/", {"token": _code(device)})
    assert response.status_code == 200
    return list(response.context["codes"])


@override_settings(SIAGA_MFA_REQUIRED_ROLES=ALL_ROLES)
def test_password_alone_reaches_nothing(kabagops: User) -> None:
    c = _password_login(kabagops)
    response = c.get("/pekerjaan/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/dua-langkah/daftar/")
    api = c.get("/api/v1/kecamatan")
    assert api.status_code == 401 and api.json()["code"] == "mfa_required"


@override_settings(SIAGA_MFA_REQUIRED_ROLES=ALL_ROLES)
def test_enrolment_then_login_with_a_code_that_works_once(kabagops: User) -> None:
    c = _password_login(kabagops)
    codes = _enrol(c, kabagops)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert c.get("/pekerjaan/").status_code == 200  # enrolled and verified in this session

    # Next login: password, then the code.
    c2 = _password_login(kabagops)
    assert c2.get("/pekerjaan/")["Location"].startswith("/masuk/dua-langkah/?next=")
    wrong = c2.post("/masuk/dua-langkah/", {"token": "000000"})
    assert wrong.status_code == 200 and "Kode salah" in wrong.content.decode()
    device = TOTPDevice.objects.get(user=kabagops, confirmed=True)
    # django-otp slows guessing: after a wrong code the device waits (1 s, doubling per failure).
    time.sleep(1.2)
    # The enrolment code is spent; the next time step's code is accepted once.
    later = time.time() + 30
    with mock.patch("time.time", return_value=later):
        code = _code(device, later)
        assert (
            c2.post("/masuk/dua-langkah/", {"token": code, "next": "/pekerjaan/"})["Location"]
            == "/pekerjaan/"
        )
        c3 = _password_login(kabagops)
        replay = c3.post("/masuk/dua-langkah/", {"token": code})
        assert replay.status_code == 200 and "Kode salah" in replay.content.decode()
    assert c2.get("/pekerjaan/").status_code == 200


@override_settings(SIAGA_MFA_REQUIRED_ROLES=ALL_ROLES)
def test_a_recovery_code_works_once(kabagops: User) -> None:
    codes = _enrol(_password_login(kabagops), kabagops)
    c = _password_login(kabagops)
    assert c.post("/masuk/dua-langkah/", {"token": codes[0]}).status_code == 302
    assert c.get("/pekerjaan/").status_code == 200
    again = _password_login(kabagops)
    assert again.post("/masuk/dua-langkah/", {"token": codes[0]}).status_code == 200


@override_settings(SIAGA_MFA_REQUIRED_ROLES=ALL_ROLES)
def test_an_enrolled_account_cannot_replace_its_authenticator_with_the_password_alone(kabagops: User) -> None:
    _enrol(_password_login(kabagops), kabagops)
    c = _password_login(kabagops)
    assert c.get("/masuk/dua-langkah/daftar/")["Location"].startswith("/masuk/dua-langkah/")
    assert TOTPDevice.objects.filter(user=kabagops).count() == 1


@override_settings(SIAGA_MFA_REQUIRED_ROLES=["ops_staff"])
def test_only_the_configured_roles_need_it(kabagops: User, commander: User) -> None:
    assert _password_login(commander).get("/pekerjaan/").status_code == 200
    assert _password_login(kabagops).get("/pekerjaan/").status_code == 302


@override_settings(SIAGA_MFA_REQUIRED_ROLES=ALL_ROLES, SIAGA_DEMO_MODE=True)
def test_demo_accounts_log_in_with_the_password_in_demo_mode() -> None:
    from siaga.accounts.services import demo_password, ensure_demo_accounts

    for user in ensure_demo_accounts():
        c = Client()
        c.post("/masuk/", {"username": user.username, "password": demo_password()})
        assert c.get("/pekerjaan/").status_code == 200, user.username


def test_every_role_needs_it_by_default() -> None:
    from siaga import settings as base
    from siaga.accounts.models import Role

    assert set(base.SIAGA_MFA_REQUIRED_ROLES) == set(Role.values)


@override_settings(SIAGA_MFA_REQUIRED_ROLES=ALL_ROLES)
def test_tokens_for_scripts_are_not_sessions(kabagops: User) -> None:
    """API tokens are issued by an administrator for scripts and stay outside the interactive second factor."""
    from siaga.accounts.services import create_api_token

    token = create_api_token(user=kabagops)
    assert Client().get("/api/v1/kecamatan", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


@override_settings(SIAGA_MFA_REQUIRED_ROLES=ALL_ROLES)
def test_reset_mfa_makes_the_account_enrol_again(kabagops: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    _enrol(_password_login(kabagops), kabagops)
    call_command("reset_mfa", kabagops.username, stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=kabagops).exists()
    assert _password_login(kabagops).get("/pekerjaan/")["Location"].startswith("/masuk/dua-langkah/daftar/")
