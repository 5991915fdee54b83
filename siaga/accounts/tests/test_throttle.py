"""Login throttling without a lock-out an attacker controls (ASVS 6.1.1, issue 21 item 3, G17).

Buckets: account+address pair (5 failures), address over all accounts (20), a known browser's own device
bucket (5); a global anomaly alert instead of an account lock.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from siaga.accounts.models import User
from siaga.accounts.services import ANOMALY_OBJECT_TYPE
from siaga.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "test-password-123"


def _login(client: Client, username: str, password: str, ip: str) -> Any:
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def _throttled(response: Any) -> bool:
    return response.status_code == 200 and "Terlalu banyak percobaan" in response.content.decode()


def test_guesses_from_another_address_do_not_lock_the_owner_out(kabagops: User) -> None:
    attacker = Client()
    for _ in range(12):
        _login(attacker, kabagops.username, "wrong-password", "198.51.100.66")
    assert _throttled(_login(attacker, kabagops.username, PASSWORD, "198.51.100.66"))
    # The owner, from the office, with the right password: in (it refused this before: issue 21 item 3).
    assert _login(Client(), kabagops.username, PASSWORD, "10.20.0.7").status_code == 302


def test_a_known_browser_logs_in_behind_a_shared_address_that_is_throttled(
    kabagops: User, commander: User
) -> None:
    """Behind a proxy without SIAGA_TRUST_X_FORWARDED_FOR every client has the proxy's address: 20 failures from
    anybody throttle that address, but a browser that logged in before (device cookie) still gets in."""
    proxy = "10.0.0.1"
    office = Client()
    assert _login(office, kabagops.username, PASSWORD, proxy).status_code == 302
    office.post("/keluar/", REMOTE_ADDR=proxy)
    sprayer = Client()
    for i in range(20):
        _login(sprayer, f"user{i}", "wrong-password", proxy)
    assert _throttled(_login(Client(), commander.username, PASSWORD, proxy))  # unknown browser: throttled
    assert _login(office, kabagops.username, PASSWORD, proxy).status_code == 302  # known browser: in


def test_the_device_bucket_is_the_owners_own(kabagops: User) -> None:
    owner = Client()
    assert _login(owner, kabagops.username, PASSWORD, "10.20.0.7").status_code == 302
    owner.post("/keluar/", REMOTE_ADDR="10.20.0.7")
    # Someone at the same address without the cookie exhausts the pair bucket...
    for _ in range(6):
        _login(Client(), kabagops.username, "wrong-password", "10.20.0.7")
    assert _throttled(_login(Client(), kabagops.username, PASSWORD, "10.20.0.7"))
    # ...the owner's browser is not throttled; its own five wrong tries are.
    assert _login(owner, kabagops.username, PASSWORD, "10.20.0.7").status_code == 302
    owner.post("/keluar/", REMOTE_ADDR="10.20.0.7")
    for _ in range(5):
        _login(owner, kabagops.username, "wrong-password", "10.20.0.7")
    assert _throttled(_login(owner, kabagops.username, PASSWORD, "10.20.0.7"))


def test_a_forged_device_cookie_counts_as_an_unknown_browser(kabagops: User) -> None:
    c = Client()
    c.cookies["siaga_device"] = "forged"
    for _ in range(5):
        _login(c, kabagops.username, "wrong-password", "198.51.100.9")
    assert _throttled(_login(c, kabagops.username, PASSWORD, "198.51.100.9"))


@override_settings(SIAGA_LOGIN_ALERT_ACCOUNT=8)
def test_many_failures_for_one_account_raise_one_alert_not_a_lock(kabagops: User, caplog: Any) -> None:
    for i in range(12):
        _login(Client(), kabagops.username, "wrong-password", f"198.51.100.{i + 1}")
    alerts = AuditEvent.objects.filter(object_type=ANOMALY_OBJECT_TYPE)
    assert [a.object_repr for a in alerts] == [f"account {kabagops.username}"]
    assert any("login anomaly" in r.getMessage() for r in caplog.records)
    assert _login(Client(), kabagops.username, PASSWORD, "10.20.0.7").status_code == 302


@override_settings(SIAGA_LOGIN_ALERT_GLOBAL=10)
def test_spraying_over_many_accounts_raises_the_global_alert() -> None:
    for i in range(10):
        _login(Client(), f"nobody{i}", "wrong-password", f"198.51.100.{i + 1}")
    assert AuditEvent.objects.filter(object_type=ANOMALY_OBJECT_TYPE, object_repr="all accounts").count() == 1
