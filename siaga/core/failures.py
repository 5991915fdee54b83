"""Failing closed and clearly (ASVS 16.5.2/16.5.3, goals G4/G5).

Under /api/ every error is JSON in the one shape {"message", "code", "fields"}, including the ones Django answers
itself (unknown route, body too large, server error). A database that cannot be reached (down, restarting,
connect or statement timeout, SQLite locked past its busy timeout) is a 503 with Retry-After, not a 500: the
client's outbox retries later and nothing acknowledged is lost. The 503 page renders without the database.
"""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

RETRY_AFTER_S = 30
API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def is_outage(exc: BaseException | None) -> bool:
    """A database that cannot answer now, as opposed to a bug: Django wraps connection refused, a lost
    connection, psycopg's QueryCanceled (statement_timeout) and SQLite's "database is locked" in these two."""
    return isinstance(exc, OperationalError | InterfaceError)


def api_error(status: int, code: str, message: str, fields: dict[str, Any] | None = None) -> JsonResponse:
    return JsonResponse({"message": message, "code": code, "fields": fields or {}}, status=status)


def unavailable(request: HttpRequest) -> HttpResponse:
    message = _("Basis data sementara tidak dapat dihubungi; coba lagi sebentar lagi")
    if is_api(request):
        response: HttpResponse = api_error(503, "unavailable", message)
    else:
        response = HttpResponse(render_to_string("core/unavailable.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_S)
    response["Cache-Control"] = "no-store"
    return response
