"""Two-factor login with TOTP (django-otp; ASVS 6.3.3, 6.5.1, 6.5.5; G17).

After the password, an account whose role needs a second factor (SIAGA_MFA_REQUIRED_ROLES) must enter a code
from its authenticator app; an account without one enrols first (QR code rendered here, no outside service),
and gets recovery codes shown once. A code is accepted once (django-otp remembers the last time step).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from siaga.core.audit import record_change
from siaga.core.models import AuditEvent

# Paths an account that still owes its second factor may reach: the second-factor pages, logging out, the public
# parts and static files.
ALLOWED_PREFIXES = ("/masuk/", "/keluar/", "/static/", "/i18n/", "/healthz", "/lapor/", "/media/public/")


def mfa_required(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_demo", False) and settings.SIAGA_DEMO_MODE and settings.SIAGA_MFA_EXEMPT_DEMO:
        return False
    return user.role in settings.SIAGA_MFA_REQUIRED_ROLES or (
        user.is_superuser and "admin" in settings.SIAGA_MFA_REQUIRED_ROLES
    )


class MfaRequiredMiddleware:
    """Send a password-only session to the second-factor page; refuse it on the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and mfa_required(user)
            and not user.is_verified()
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "message": "Masuk dengan kode dua langkah dulu. / Complete the two-step login first.",
                        "code": "mfa_required",
                        "fields": {},
                    },
                    status=401,
                )
            target = "mfa_verify" if user_has_device(user, confirmed=True) else "mfa_setup"
            response = redirect(target)
            if request.method == "GET":
                response["Location"] += "?next=" + request.get_full_path()
            return response
        return self.get_response(request)


def new_totp_device(*, user: Any) -> TOTPDevice:
    """An unconfirmed authenticator for `user` (the previous unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code as an inline SVG (data: URI), drawn on the server: no CDN, no outside service."""
    url = device.config_url.replace("otpauth://totp/", f"otpauth://totp/{settings.SIAGA_MFA_ISSUER}:", 1)
    return str(segno.make(url, error="m").svg_data_uri(scale=5, border=2))


@transaction.atomic
def confirm_totp_device(*, user: Any, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh recovery codes (shown once) or None."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(user=user)
    record_change(actor=user, action=AuditEvent.Action.CREATE, obj=user, message="mfa enrolled")
    return codes


def new_recovery_codes(*, user: Any) -> list[str]:
    """Replace the account's recovery codes; each works once."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(settings.SIAGA_MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify_second_factor(*, request: HttpRequest, token: str) -> bool:
    """Check a TOTP or recovery code for the logged-in user; on success mark the session verified."""
    token = token.strip().replace(" ", "")
    user: Any = request.user
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, confirmed=True):  # type: ignore[attr-defined]
            if device.verify_token(token):
                otp_login(request, device)
                record_change(
                    actor=user, action=AuditEvent.Action.LOGIN, obj=user, message=f"mfa {device.name} ok"
                )
                return True
    record_change(actor=user, action=AuditEvent.Action.LOGIN_FAILED, obj=user, message="mfa code wrong")
    return False


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return str(settings.LOGIN_REDIRECT_URL)


def wrong_code_message() -> str:
    return _("Kode salah atau sudah dipakai. Coba kode yang baru.")


@transaction.atomic
def reset_mfa(*, actor: Any, user: Any) -> int:
    """Remove every second-factor device of `user` (lost phone and codes); audited."""
    removed = (
        TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    )
    record_change(actor=actor, action=AuditEvent.Action.DELETE, obj=user, message="mfa reset")
    return removed
