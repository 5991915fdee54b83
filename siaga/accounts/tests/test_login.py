"""Login: throttling, audit of authentication events, demo accounts, session idle timeout, jurisdiction."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from siaga.accounts.models import LoginFailure, Role, User
from siaga.accounts.roles import CAPABILITIES, can
from siaga.accounts.selectors import scope_for
from siaga.accounts.services import create_api_token, ensure_demo_accounts
from siaga.core.models import AuditEvent
from siaga.territory.models import Kecamatan

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/masuk/", {"username": username, "password": password})


def test_login_succeeds_and_is_audited(kabagops: User) -> None:
    c = Client()
    response = _login(c, kabagops.username, PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=kabagops).count() == 1


def test_sixth_wrong_password_is_throttled_even_with_the_right_password(kabagops: User) -> None:
    c = Client()
    for _ in range(5):
        response = _login(c, kabagops.username, "wrong-password")
        assert response.status_code == 200
        assert "salah" in response.content.decode()
    response = _login(c, kabagops.username, PASSWORD)
    assert response.status_code == 200
    assert "Terlalu banyak percobaan" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_failed").count() == 5


def test_throttle_expires_with_the_window_so_nobody_is_locked_out_for_good(kabagops: User) -> None:
    c = Client()
    for _ in range(5):
        _login(c, kabagops.username, "wrong-password")
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(hours=1))
    assert _login(c, kabagops.username, PASSWORD).status_code == 302


def test_pages_need_login_but_landing_and_health_do_not() -> None:
    c = Client()
    assert c.get("/").status_code == 200
    assert c.get("/healthz").json() == {"status": "ok", "database": True}
    response = c.get("/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


@override_settings(SIAGA_SESSION_IDLE_SECONDS=60)
def test_idle_session_is_logged_out(kabagops: User) -> None:
    c = Client()
    c.force_login(kabagops)
    assert c.get("/pekerjaan/").status_code == 200
    session = c.session
    session["last_seen"] = int(time.time()) - 3600
    session.save()
    response = c.get("/pekerjaan/")
    assert response.status_code == 302
    assert c.get("/pekerjaan/").status_code == 302


@override_settings(SIAGA_DEMO_MODE=True)
def test_demo_accounts_are_created_in_demo_mode() -> None:
    users = ensure_demo_accounts()
    assert [u.username for u in users] == [
        "admin",
        "kabagops",
        "polsek.tempurejo",
        "mitra.kpu",
        "propam",
        "polda",
        "mabes",
    ]
    assert all(u.is_demo for u in users)


@override_settings(SIAGA_DEMO_MODE=False)
def test_demo_accounts_cannot_be_created_or_used_outside_demo_mode() -> None:
    with pytest.raises(RuntimeError):
        ensure_demo_accounts()
    demo = User.objects.create_user("kabagops", password=PASSWORD, role=Role.OPS_STAFF, is_demo=True)
    assert _login(Client(), "kabagops", PASSWORD).status_code == 200  # refused: the form is shown again
    token = create_api_token(user=demo)
    assert Client().get("/api/v1/kecamatan", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_scope_of_each_persona(
    admin_user: User, kabagops: User, polsek_tempurejo: User, partner_kpu: User
) -> None:
    assert scope_for(admin_user).kecamatan_ids is None
    assert len(scope_for(kabagops).kecamatan_ids or ()) == 31
    tempurejo = Kecamatan.objects.get(name="Tempurejo")
    assert scope_for(polsek_tempurejo).kecamatan_ids == frozenset({tempurejo.pk})
    assert scope_for(partner_kpu).is_partner


def test_account_without_a_unit_sees_nothing() -> None:
    user = User.objects.create_user("nobody", password=PASSWORD, role=Role.OPS_STAFF)
    assert scope_for(user).kecamatan_ids == frozenset()


def test_inactive_user_can_do_nothing(kabagops: User) -> None:
    kabagops.is_active = False
    assert not any(can(kabagops, cap) for cap in CAPABILITIES)


def test_partner_viewer_cannot_edit_or_import(partner_kpu: User) -> None:
    assert can(partner_kpu, "view_map")
    assert not can(partner_kpu, "edit_sites")
    assert not can(partner_kpu, "import_data")
    assert not can(partner_kpu, "view_audit")
