"""Device cookies for login throttling (OWASP "slow down online guessing attacks with device cookies").

After a successful login the browser gets a signed cookie naming the account and a random device id. A later
attempt for that account with the cookie is throttled on its own bucket, so guesses by anybody else (from any
address, or from the same shared proxy address) cannot lock the account's owner out.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.http.response import HttpResponseBase

_SALT = "siaga.accounts.device"
# One browser may be shared by a few accounts (a Polsek's duty PC): remember the last few.
_MAX_ACCOUNTS = 5


def _known(request: HttpRequest) -> dict[str, str]:
    raw = request.COOKIES.get(settings.SIAGA_LOGIN_DEVICE_COOKIE, "")
    if not raw:
        return {}
    try:
        value = signing.loads(raw, salt=_SALT, max_age=settings.SIAGA_LOGIN_DEVICE_DAYS * 86400)
    except signing.BadSignature:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def device_for(request: HttpRequest | None, username: str) -> str:
    """The device id this browser holds for `username`, or "" (an unknown browser)."""
    if request is None:
        return ""
    return _known(request).get(username.lower(), "")


def remember_device(request: HttpRequest, response: HttpResponseBase, username: str) -> None:
    known = _known(request)
    known.pop(username.lower(), None)
    known[username.lower()] = secrets.token_hex(16)
    known = dict(list(known.items())[-_MAX_ACCOUNTS:])
    response.set_cookie(
        settings.SIAGA_LOGIN_DEVICE_COOKIE,
        signing.dumps(known, salt=_SALT),
        max_age=settings.SIAGA_LOGIN_DEVICE_DAYS * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
