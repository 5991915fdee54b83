"""Request middleware: login everywhere but public paths, idle session timeout, audit context."""

from __future__ import annotations

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
    """Log out a session idle for longer than SIAGA_SESSION_IDLE_SECONDS (ASVS 7.3.1)."""

    # Writing the session on every request would be a database write per click; once a minute is enough.
    TOUCH_EVERY_S = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen", now)
            if now - int(last) > settings.SIAGA_SESSION_IDLE_SECONDS:
                logout(request)
            elif now - int(last) >= self.TOUCH_EVERY_S or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)


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
