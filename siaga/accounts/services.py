"""Writes about users: API tokens, login throttling, demo accounts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from siaga.accounts.models import ApiToken, LoginFailure, Role, User
from siaga.core.audit import record_change, snapshot
from siaga.core.models import AuditEvent
from siaga.territory.models import PoliceUnit


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


def is_login_throttled(*, username: str, ip_address: str | None) -> bool:
    """Too many recent failures for this username or this address (ASVS 6.1.1).

    Throttling expires with the window, so an attacker cannot lock a commander out for good.
    """
    since = timezone.now() - dt.timedelta(seconds=settings.SIAGA_LOGIN_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.SIAGA_LOGIN_MAX_FAILURES
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= limit * 4


def record_login_failure(*, username: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip_address)
    record_change(
        actor=None,
        action=AuditEvent.Action.LOGIN_FAILED,
        object_type="accounts.user",
        object_repr=username[:150],
        message="login failed",
    )


def clear_login_failures(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


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
    {
        "username": "propam",
        "role": Role.PROPAM,
        "unit": "polres-jember",
        "first_name": "Si Propam",
        "last_name": "(demo)",
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
