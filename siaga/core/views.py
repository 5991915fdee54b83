"""Core pages: the public landing page, health check, job progress and the audit trail browser."""

from __future__ import annotations

import sys
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from siaga.accounts.roles import can
from siaga.accounts.selectors import audit_events_for, audit_units
from siaga.core import failures
from siaga.core.models import AuditEvent, Job


@login_not_required
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard:map")
    return render(request, "core/landing.html")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database health for load balancers and monitoring: whether the database answers and, if not, why (the
    kind of failure, never its text, which may name hosts or users). Connect and statement timeouts bound it."""
    reason = ""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            ok = cursor.fetchone() == (1,)
    except Exception as exc:
        ok = False
        reason = "database_unreachable" if failures.is_outage(exc) else "database_error"
        reason = f"{reason}: {type(getattr(exc, '__cause__', None) or exc).__name__}"
    if ok:
        return JsonResponse({"status": "ok", "database": True})
    response = JsonResponse({"status": "error", "database": False, "reason": reason}, status=503)
    response["Retry-After"] = str(failures.RETRY_AFTER_S)
    return response


def _visible_jobs(request: HttpRequest) -> Any:
    """A user's own jobs; audit readers also those of the accounts of their Polres (everything if unrestricted)."""
    qs = Job.objects.all()
    if request.user.is_superuser:
        return qs
    if not can(request.user, "view_audit"):
        return qs.filter(created_by_id=request.user.pk)
    units = audit_units(request.user)
    if units is None:
        return qs
    return qs.filter(Q(created_by_id=request.user.pk) | Q(created_by__police_unit__in=units))


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(_visible_jobs(request), pk=pk)
    polled = request.headers.get("HX-Request") == "true"
    response = render(request, "core/_job_progress.html" if polled else "core/job_detail.html", {"job": job})
    if polled and job.is_finished and request.GET.get("refresh") == "1":
        # The page around the bar (a plotting run still "antre", an empty roster) shows what the job made:
        # htmx reloads it once; the reloaded page shows a finished bar that no longer polls.
        response["HX-Refresh"] = "true"
    return response


def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(_visible_jobs(request).select_related("created_by"), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "core/job_list.html", {"page": page})


def _date_or_none(raw: str) -> Any:
    try:
        return parse_date(raw) if raw else None
    except ValueError:
        return None


def audit_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view_audit"):
        raise PermissionDenied
    # A Polres commander or Kabag Ops reads the events of the Polres' own accounts; an unrestricted admin all.
    qs = audit_events_for(request.user)
    filters = {
        "actor": request.GET.get("actor", "").strip(),
        "action": request.GET.get("action", "").strip(),
        "object_type": request.GET.get("object_type", "").strip(),
        "object_id": request.GET.get("object_id", "").strip(),
        "source": request.GET.get("source", "").strip(),
        "date_from": request.GET.get("date_from", "").strip(),
        "date_to": request.GET.get("date_to", "").strip(),
    }
    if filters["actor"]:
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters["action"]:
        qs = qs.filter(action=filters["action"])
    if filters["object_type"]:
        qs = qs.filter(object_type=filters["object_type"])
    if filters["object_id"]:
        qs = qs.filter(object_id=filters["object_id"])
    if filters["source"]:
        qs = qs.filter(source=filters["source"])
    # A malformed date is ignored rather than answered with an error page.
    if date_from := _date_or_none(filters["date_from"]):
        qs = qs.filter(at__date__gte=date_from)
    if date_to := _date_or_none(filters["date_to"]):
        qs = qs.filter(at__date__lte=date_to)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    object_types = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "filters": filters,
            "actions": AuditEvent.Action.choices,
            "sources": AuditEvent.Source.choices,
            "object_types": sorted(t for t in object_types if t),
        },
    )


@login_not_required
def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if failures.is_api(request):
        return failures.api_error(404, "not_found", _("Tidak ditemukan"))
    return render(request, "core/error.html", {"code": 404}, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if failures.is_api(request):
        return failures.api_error(403, "forbidden", _("Tidak diizinkan"))
    return render(request, "core/error.html", {"code": 403}, status=403)


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's own refusals (body above DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields, a bad Host header)."""
    if isinstance(exception, RequestDataTooBig):
        message = _("Isi permintaan terlalu besar")
        if failures.is_api(request):
            return failures.api_error(413, "too_large", message)
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    if failures.is_api(request):
        return failures.api_error(400, "bad_request", _("Permintaan tidak sah"))
    return HttpResponse(_("Permintaan tidak sah"), status=400, content_type="text/plain; charset=utf-8")


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` block, so the exception is at hand.
    if failures.is_outage(sys.exc_info()[1]):
        return failures.unavailable(request)
    if failures.is_api(request):
        return failures.api_error(500, "server_error", _("Kesalahan server"))
    return render(request, "core/error.html", {"code": 500}, status=500)
