"""Request middleware: login everywhere but public paths, idle session timeout, audit context."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from siaga.core.audit import audit_context
from siaga.core.models import AuditEvent

# Paths that answer without a session: the public portal, the API (it has its own token/session auth and
# answers 401 rather than redirecting), health checks, static files and the language switch.
PUBLIC_PREFIXES = ("/static/", "/api/", "/healthz", "/lapor/", "/i18n/", "/media/public/")


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class IdleTimeoutMiddleware:
    """End a session idle for too long or older than its absolute lifetime (ASVS 7.3.1/7.3.2, G17).

    Idle: SIAGA_SESSION_IDLE_SECONDS (30 min), SIAGA_SESSION_IDLE_SECONDS_ADMIN (15 min) for administrators.
    Absolute: SESSION_COOKIE_AGE (12 h) from the login, never extended by activity: the session's own expiry
    is pinned to that moment, so saving the session does not slide it either.
    """

    # Writing the session on every request would be a database write per click; once a minute is enough.
    TOUCH_EVERY_S = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    @staticmethod
    def idle_limit(user: Any) -> int:
        if user.is_superuser or getattr(user, "role", "") == "admin":
            return int(settings.SIAGA_SESSION_IDLE_SECONDS_ADMIN)
        return int(settings.SIAGA_SESSION_IDLE_SECONDS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            auth_at = int(session.get("auth_at", now))
            last = int(session.get("last_seen", now))
            if now - last > self.idle_limit(user) or now - auth_at > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif "auth_at" not in session or now - last >= self.TOUCH_EVERY_S or "last_seen" not in session:
                session["auth_at"] = auth_at
                session["last_seen"] = now
                session.set_expiry(
                    dt.datetime.fromtimestamp(auth_at + settings.SESSION_COOKIE_AGE, tz=dt.UTC)
                )
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer to an authenticated user (ASVS 14.3.2, G16): pages, exports,
    API answers and errors alike, so no browser or proxy cache keeps a copy of plans, names or reports."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Decided before the view: the answer to a logout is still an answer to a logged-in user.
        before = getattr(request, "user", None)
        was_authenticated = before is not None and before.is_authenticated
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if was_authenticated or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response


def client_ip(request: HttpRequest) -> str | None:
    # X-Forwarded-For is only trusted when a proxy is configured to set it (ASVS 4.1.3).
    if settings.SIAGA_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


class AuditActorMiddleware:
    """Tell the audit trail whether a change came through the UI or the API, and from which address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = AuditEvent.Source.API if request.path.startswith("/api/") else AuditEvent.Source.UI
        if request.path.startswith("/admin/"):
            source = AuditEvent.Source.ADMIN
        with audit_context(source=source, ip_address=client_ip(request)):
            return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy for pages; JSON API answers get a fixed, stricter one.

    JSON is never rendered as a page, so nothing may load from it (OWASP REST security cheat sheet). The fixed
    header also spares the policy builder on the API's hot paths (the public intake).
    """

    API_POLICY = "default-src 'none'; frame-ancestors 'none'"

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if request.path_info.startswith("/api/") and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            if "Content-Security-Policy" not in response:
                response["Content-Security-Policy"] = self.API_POLICY
            return response
        return super().process_response(request, response)
