"""Session lifetime and caching (ASVS 7.3.1/7.3.2/7.4.2/14.3.2; issue 21 item 9; G16/G17).

Idle 30 min (administrators 15), absolute 12 h from the login that activity does not extend, a disabled
account stopped on its next request, and `Cache-Control: no-store` on every answer to a logged-in user.
"""

from __future__ import annotations

import time
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from siaga.accounts.models import User
from siaga.accounts.services import create_api_token

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"


def _logged_in(user: User, *, at: float) -> Client:
    c = Client()
    with mock.patch("time.time", return_value=at):
        assert c.post("/masuk/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return c


def _get(c: Client, url: str, *, at: float) -> Any:
    with mock.patch("time.time", return_value=at):
        return c.get(url)


def test_settings_match_the_goals() -> None:
    assert settings.SIAGA_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SIAGA_SESSION_IDLE_SECONDS_ADMIN == 15 * 60
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_idle_timeout_is_30_minutes_for_staff(kabagops: User) -> None:
    t0 = time.time()
    c = _logged_in(kabagops, at=t0)
    assert _get(c, "/pekerjaan/", at=t0 + 29 * 60).status_code == 200
    # 29 min after the last request: still in; 31 min idle: out.
    assert _get(c, "/pekerjaan/", at=t0 + 58 * 60).status_code == 200
    response = _get(c, "/pekerjaan/", at=t0 + 90 * 60)
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_idle_timeout_is_15_minutes_for_administrators(admin_user: User) -> None:
    t0 = time.time()
    c = _logged_in(admin_user, at=t0)
    assert _get(c, "/pekerjaan/", at=t0 + 14 * 60).status_code == 200
    assert _get(c, "/pekerjaan/", at=t0 + 30 * 60).status_code == 302


def test_absolute_lifetime_does_not_slide_with_activity(kabagops: User) -> None:
    t0 = time.time()
    c = _logged_in(kabagops, at=t0)
    # Busy all day: a request every 20 minutes keeps the idle timer fresh...
    minute = 0
    while minute < 12 * 60 - 20:
        minute += 20
        assert _get(c, "/pekerjaan/", at=t0 + minute * 60).status_code == 200, minute
    # ...but 12 h after the login the session ends anyway.
    response = _get(c, "/pekerjaan/", at=t0 + 12 * 3600 + 60)
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_the_stored_session_expires_at_the_absolute_limit(kabagops: User) -> None:
    c = Client()
    c.post("/masuk/", {"username": kabagops.username, "password": PASSWORD})
    c.get("/pekerjaan/")
    session = Session.objects.get(session_key=c.session.session_key)
    auth_at = c.session["auth_at"]
    assert abs(session.expire_date.timestamp() - (auth_at + 12 * 3600)) < 2


def test_a_disabled_account_stops_on_its_next_request(kabagops: User) -> None:
    c = Client()
    c.post("/masuk/", {"username": kabagops.username, "password": PASSWORD})
    token = create_api_token(user=kabagops)
    assert c.get("/pekerjaan/").status_code == 200
    assert c.get("/api/v1/kecamatan").status_code == 200
    User.objects.filter(pk=kabagops.pk).update(is_active=False)
    assert c.get("/pekerjaan/").status_code == 302
    assert c.get("/api/v1/kecamatan").status_code == 401
    assert Client().get("/api/v1/kecamatan", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_authenticated_answers_are_never_stored(kabagops: User, client_for: Any) -> None:
    c = client_for(kabagops)
    token = create_api_token(user=kabagops)
    answers = [
        c.get("/pekerjaan/"),
        c.get("/tidak-ada/"),
        c.get("/wilayah/peta/kecamatan.geojson"),
        c.get("/api/v1/kecamatan"),
        Client().get("/api/v1/kecamatan", HTTP_AUTHORIZATION=f"Bearer {token}"),
    ]
    assert [r["Cache-Control"] for r in answers] == ["no-store"] * len(answers)
    # The public landing page is not personal: no rule forced on it.
    assert "no-store" not in Client().get("/").get("Cache-Control", "")
