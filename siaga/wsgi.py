"""The WSGI entry point (`siaga serve` runs it under gunicorn).

Requests to the public reporting API (/api/v1/public/) take a short middleware stack: they carry no session,
no login and no form, so sessions, authentication, CSRF, messages and the page helpers have nothing to do there,
yet on voting-day evening they are most of the traffic. What still applies to them applies unchanged: the
security headers and HTTPS redirect, the language, Content-Length, the audit context (source and client
address), framing denial and the Content-Security-Policy. Every other path takes the full settings.MIDDLEWARE.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siaga.settings")

PUBLIC_API_PREFIX = "/api/v1/public/"
PUBLIC_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",  # Content-Length, so that keep-alive answers are not chunked
    "siaga.core.middleware.AuditActorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "siaga.core.middleware.ContentSecurityPolicyMiddleware",
]


class PublicAPIHandler(WSGIHandler):
    """A Django handler whose middleware chain is PUBLIC_API_MIDDLEWARE instead of settings.MIDDLEWARE."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler builds the chain from settings.MIDDLEWARE; it is swapped only while this handler is built,
        # once per process at start-up, before any request thread exists.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = PUBLIC_API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


class Application:
    def __init__(self) -> None:
        self.full = get_wsgi_application()
        self.public_api = PublicAPIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith(PUBLIC_API_PREFIX):
            return self.public_api(environ, start_response)
        return self.full(environ, start_response)


application = Application()


def _load_everything_then_freeze() -> None:
    """Import every view and API module now rather than on the first request, then freeze the heap.

    What is loaded by then (Django, the apps, their code, the URL and schema caches) lives as long as the
    process. Frozen, it is left out of the garbage collector's full collections, which otherwise scan all of it:
    under load they held the GIL for 30-290 ms at a time, stalling every request thread of the worker
    (bench/intake.py showed them as p99 spikes).
    """
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every urls, views and api module
    resolver._populate()
    gc.collect()
    gc.freeze()


_load_everything_then_freeze()
