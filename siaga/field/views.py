"""The field app's pages: today's duties, "TPS saya", the incident report and the outbox, plus the service
worker and the web app manifest that make them open with no signal after the first visit.

Every action on these pages is a JSON request queued in the phone's outbox (static/field/outbox.js), so the
pages render data only; the writes go through the API (siaga.*.api), idempotent by Idempotency-Key.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from siaga.core.pages import require
from siaga.field import selectors
from siaga.field.rules import BUKU_SAKU
from siaga.incidents.models import Category

# What the service worker keeps for offline use. Pages are stored per signed-in session as they are visited
# (and once at install); assets are stored at install and served from the cache first.
SHELL_PAGES = ("field:home", "field:my_tps", "field:report", "field:outbox")
SHELL_ASSETS = (
    "bootstrap/css/bootstrap.min.css",
    "siaga/siaga.css",
    "siaga/favicon.svg",
    "field/field.css",
    "field/outbox.js",
    "field/app.js",
    "field/icon.svg",
)


def _context(request: HttpRequest, **extra: object) -> dict[str, object]:
    return {"rendered_at": timezone.localtime(), "csrf_cookie_name": settings.CSRF_COOKIE_NAME, **extra}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    require(request, "deployment_duty")
    today = selectors.today_for(request.user)
    return render(request, "field/home.html", _context(request, today=today))


@require_GET
def my_tps(request: HttpRequest) -> HttpResponse:
    require(request, "deployment_duty")
    today = selectors.today_for(request.user)
    contacts = selectors.contacts_for(request.user)
    stops = today.stops or (list(contacts["team"].stops.all()) if contacts["team"] else [])
    return render(
        request,
        "field/my_tps.html",
        _context(request, today=today, stops=stops, rules=BUKU_SAKU, **contacts),
    )


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    require(request, "report_incidents")
    return render(request, "field/report.html", _context(request, categories=Category.choices))


@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    require(request, "deployment_duty")
    return render(request, "field/outbox.html", _context(request))


def _shell() -> tuple[list[str], list[str], str]:
    pages = [reverse(name) for name in SHELL_PAGES]
    assets = [static(path) for path in SHELL_ASSETS]
    # A new asset list (new hashed names after a deploy) is a new worker version, which drops old caches.
    version = hashlib.sha256(json.dumps([pages, assets]).encode()).hexdigest()[:12]
    return pages, assets, version


# No login: the worker script holds no data, and the browser re-fetches it to look for updates even after the
# session has ended. The scope is /lapangan/, where it is served from.
@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    pages, assets, version = _shell()
    response = render(
        request,
        "field/sw.js",
        {"config": json.dumps({"version": version, "pages": pages, "assets": assets})},
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        {
            "name": _("Siaga Lapangan"),
            "short_name": "Siaga",
            "description": _("Tugas hari ini dan laporan lapangan, juga tanpa sinyal"),
            "start_url": reverse("field:home"),
            "scope": reverse("field:home"),
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#ffffff",
            "theme_color": "#1b2a4a",
            "lang": "id",
            "icons": [{"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
    )
    return response
