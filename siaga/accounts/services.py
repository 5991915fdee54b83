"""Writes about users: API tokens, login throttling, demo accounts."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from siaga.accounts.models import ApiToken, LoginFailure, Role, User
from siaga.core.audit import record_change, snapshot
from siaga.core.models import AuditEvent
from siaga.territory.models import PoliceUnit

logger = logging.getLogger("siaga.security")


@transaction.atomic
def create_api_token(*, user: User, name: str = "cli") -> str:
    """Create a token for `user` and return it; only its hash is stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], digest=ApiToken.hash(raw))
    record_change(actor=user, action=AuditEvent.Action.CREATE, obj=token, after=snapshot(token))
    return raw


def user_for_token(raw: str) -> User | None:
    tokens = ApiToken.objects.select_related("user", "user__police_unit").filter(
        digest=ApiToken.hash(raw), revoked_at__isnull=True, user__is_active=True
    )
    if not settings.SIAGA_DEMO_MODE:
        tokens = tokens.exclude(user__is_demo=True)
    token = tokens.first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.SIAGA_LOGIN_WINDOW_SECONDS)


def is_login_throttled(*, username: str, ip_address: str | None, device: str = "") -> bool:
    """Too many recent failures for this attempt's own bucket (ASVS 6.1.1, G17).

    Never a lock-out an attacker controls:
    - an attempt from a browser the account logged in from before (`device`, a signed cookie) counts only that
      device's failures, so nobody else's guesses can lock its owner out;
    - any other attempt counts the failures of this account from this address (5), then of this address for
      every account (20). Guesses from elsewhere do not lock the account; an address shared by everyone (a
      proxy without SIAGA_TRUST_X_FORWARDED_FOR) throttles only browsers without a device cookie.
    Every bucket expires with the window.
    """
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    limit = settings.SIAGA_LOGIN_MAX_FAILURES
    if device:
        return recent.filter(device=device).count() >= limit
    anonymous = recent.filter(device="")
    if anonymous.filter(username=username.lower(), ip_address=ip_address).count() >= limit:
        return True
    return bool(ip_address) and anonymous.filter(ip_address=ip_address).count() >= limit * 4


def record_login_failure(*, username: str, ip_address: str | None, device: str = "") -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip_address, device=device)
    record_change(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username[:150],
        message="login failed",
    )
    _alert_on_anomaly(username=username.lower()[:150])


ANOMALY_OBJECT_TYPE = "accounts.login_anomaly"


def _alert_on_anomaly(*, username: str) -> None:
    """The global anomaly alert: one audit record and one log warning per window when an account collects
    failures from many attempts, or the whole site does (credential stuffing, password spraying)."""
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    checks = [
        (f"account {username}", recent.filter(username=username).count(), settings.SIAGA_LOGIN_ALERT_ACCOUNT),
        ("all accounts", recent.count(), settings.SIAGA_LOGIN_ALERT_GLOBAL),
    ]
    for subject, count, threshold in checks:
        if count != threshold:  # exactly at the threshold: one alert per window, not one per later failure
            continue
        if AuditEvent.objects.filter(
            object_type=ANOMALY_OBJECT_TYPE, object_repr=subject, at__gte=since
        ).exists():
            continue
        record_change(
            actor=None,
            action=AuditEvent.Action.LOGIN_FAILED,
            object_type=ANOMALY_OBJECT_TYPE,
            object_repr=subject,
            message=f"login anomaly: {count} failures in {settings.SIAGA_LOGIN_WINDOW_SECONDS} s",
        )
        logger.warning("login anomaly: %s failed logins for %s in the window", count, subject)


def clear_login_failures(*, username: str, ip_address: str | None, device: str = "") -> None:
    """A successful login clears its own bucket only; others' failures stay for the anomaly alert."""
    failures = LoginFailure.objects.filter(username=username.lower())
    if device:
        failures.filter(device=device).delete()
    else:
        failures.filter(device="", ip_address=ip_address).delete()


DEMO_ACCOUNTS: list[dict[str, str]] = [
    {"username": "admin", "role": Role.ADMIN, "unit": "", "first_name": "Admin", "last_name": "Demo"},
    {
        "username": "kabagops",
        "role": Role.OPS_STAFF,
        "unit": "polres-jember",
        "first_name": "Kabag Ops",
        "last_name": "(demo)",
    },
    {
        "username": "polsek.tempurejo",
        "role": Role.POLSEK_OFFICER,
        "unit": "polsek-tempurejo",
        "first_name": "Operator Polsek",
        "last_name": "Tempurejo (demo)",
    },
    {
        "username": "mitra.kpu",
        "role": Role.PARTNER_VIEWER,
        "unit": "polres-jember",
        "first_name": "KPU Jember",
        "last_name": "(demo)",
        "partner": "kpu",
    },
]

DEFAULT_DEMO_PASSWORD = "siaga-demo-2024"  # noqa: S105 - printed on screen; demo mode only


def demo_password() -> str:
    return settings.SIAGA_DEMO_PASSWORD or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def ensure_demo_accounts() -> list[User]:
    """Create (or reset) the demo accounts. Refuses outside demo mode: they must never exist elsewhere."""
    if not settings.SIAGA_DEMO_MODE:
        raise RuntimeError("Demo accounts can only be created with SIAGA_DEMO_MODE=true")
    users = []
    for spec in DEMO_ACCOUNTS:
        unit = PoliceUnit.objects.get(code=spec["unit"]) if spec["unit"] else None
        user, created = User.objects.get_or_create(username=spec["username"])
        user.role = spec["role"]
        user.police_unit = unit
        user.first_name = spec["first_name"]
        user.last_name = spec["last_name"]
        user.partner = spec.get("partner", "")
        user.is_demo = True
        user.is_staff = spec["role"] == Role.ADMIN
        user.is_superuser = spec["role"] == Role.ADMIN
        user.set_password(demo_password())
        user.save()
        if created:
            record_change(
                actor=None, action=AuditEvent.Action.CREATE, obj=user, after=snapshot(user), message="demo"
            )
        users.append(user)
    return users
