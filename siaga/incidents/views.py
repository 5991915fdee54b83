"""Incident pages: the triage queue, an incident with its timeline and actions, Posko intake, the field
report page (offline outbox), response units, response times and the command map's layers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from siaga.accounts.models import User
from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core import pages
from siaga.core.errors import DomainError, NotFound, ValidationFailed
from siaga.core.tabular import export_response
from siaga.incidents import photos, selectors, services
from siaga.incidents.forms import PoskoIntakeForm
from siaga.incidents.models import (
    TRANSITIONS,
    Category,
    IncidentPhoto,
    Priority,
    Referral,
    ResponseUnit,
    Status,
)
from siaga.incidents.rules import REFERRALS, coarsen
from siaga.territory.models import Desa, PoliceUnit

PRIORITY_COLORS = {1: "#dc3545", 2: "#fd7e14", 3: "#0d6efd", 4: "#6c757d"}
UNIT_COLORS = {"available": "#198754", "en_route": "#fd7e14", "on_scene": "#dc3545", "off_duty": "#6c757d"}


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied


def _access(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.access_incident(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _int(request: HttpRequest, name: str, source: Any = None) -> int | None:
    raw = (source or request.GET).get(name, "")
    return int(raw) if str(raw).isdigit() else None


def _eta(raw: str) -> float | None:
    """The ETA a "Kirim" button posts. A page rendered in Indonesian once wrote "4,8" (decimal comma), so
    both separators are read; anything else is a clear refusal, never a 500."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 <= value < 24 * 60:
        raise ValidationFailed(
            _("ETA tidak valid: %(v)s menit") % {"v": raw[:20]}, fields={"eta": [raw[:20]]}
        )
    return value


@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    _require(request, "view_incidents")
    filters: dict[str, Any] = {
        "status": request.GET.get("status", ""),
        "category": request.GET.get("category", ""),
        "priority": _int(request, "priority"),
        "search": request.GET.get("q", "").strip(),
        "open_only": request.GET.get("open", "1" if not request.GET.get("status") else "") == "1",
    }
    qs = selectors.incidents_for(request.user, **filters)
    partner = scope_for(request.user).is_partner
    if request.GET.get("export") == "csv" and can(request.user, "export_data"):
        rows = [
            [
                i.receipt,
                i.get_category_display(),
                i.get_status_display(),
                i.priority,
                i.kecamatan.name if i.kecamatan else "",
                timezone.localtime(i.reported_at).isoformat(),
                i.get_source_display(),
            ]
            for i in qs[:5000]
        ]
        from siaga.core.audit import record_change
        from siaga.core.models import AuditEvent

        record_change(
            actor=request.user,
            action=AuditEvent.Action.EXPORT,
            object_type="incidents.incident",
            object_repr="kejadian.csv",
            after={"rows": len(rows), "filters": {k: str(v) for k, v in filters.items()}},
        )
        return export_response(
            filename="kejadian",
            headers=["kode", "kategori", "status", "prioritas", "kecamatan", "dilaporkan", "sumber"],
            rows=rows,
            fmt="csv",
        )
    # Live: the table asks every few seconds with the change stamp it was drawn from; while nothing changed
    # the answer is an empty 204 (two index-only queries), else the new rows.
    stamp = selectors.change_stamp()
    if request.headers.get("HX-Request") == "true" and request.GET.get("live") == stamp:
        return HttpResponse(status=204)
    params = request.GET.copy()
    params["live"] = stamp
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/_queue_live.html"
        if request.headers.get("HX-Request") == "true"
        else "incidents/queue.html",
        {
            "live_url": f"{request.path}?{params.urlencode()}",
            "page": page,
            "filters": filters,
            "partner": partner,
            "statuses": Status.choices,
            "categories": Category.choices,
            "priorities": Priority.choices,
            "can_report": can(request.user, "report_incidents"),
            "can_export": can(request.user, "export_data"),
            "now": timezone.now(),
        },
    )


@never_cache
def detail(request: HttpRequest, pk: int, *, reporter: Any = None, revealed: bool = False) -> HttpResponse:
    _require(request, "view_incidents")
    incident = _access(request, pk)
    partner = scope_for(request.user).is_partner
    context: dict[str, Any] = {
        "incident": incident,
        "partner": partner,
        "revealed": revealed,
        "reporter": reporter,
    }
    if partner:
        context["coarse"] = (coarsen(incident.lat), coarsen(incident.lng))
        return render(request, "incidents/detail.html", context)
    can_dispatch = can(request.user, "dispatch_units")
    context.update(
        timeline=list(selectors.timeline_for(incident)),
        photos=list(IncidentPhoto.objects.filter(incident=incident)),
        duplicates=selectors.duplicate_candidates(request.user, incident),
        recommendations=selectors.recommend_units(request.user, incident)
        if can_dispatch and incident.is_open
        else None,
        dispatches=list(incident.dispatches.select_related("unit")),
        next_statuses=[(s, Status(s).label) for s in sorted(TRANSITIONS[incident.status])],
        referrals=[(r, Referral(r).label) for r, cats in REFERRALS.items() if incident.category in cats],
        priorities=Priority.choices,
        can_triage=can(request.user, "triage_incidents"),
        can_dispatch=can_dispatch,
        can_identity=can(request.user, "view_reporter_identity"),
        assignable_units=PoliceUnit.objects.filter(level=PoliceUnit.Level.POLSEK).order_by("name"),
        lock_is_mine=incident.handler_id == request.user.pk,
        lock_is_fresh=bool(
            incident.handler_since and timezone.now() - incident.handler_since < services.HANDLER_LOCK
        ),
    )
    return render(request, "incidents/detail.html", context)


@require_POST
def action(request: HttpRequest, pk: int) -> HttpResponse:
    """Every triage button posts here with `action`; domain refusals come back as messages."""
    incident = _access(request, pk)
    verb = request.POST.get("action", "")
    user = request.user
    try:
        if verb == "reveal":
            contact = services.reveal_reporter(actor=user, incident=incident)
            return detail(request, pk, reporter=contact, revealed=True)
        if verb == "dispatch":
            _require(request, "dispatch_units")
            unit = selectors.access_unit(user, _int(request, "unit", request.POST) or 0)
            services.dispatch_unit(
                actor=user, incident=incident, unit=unit, eta_minutes=_eta(request.POST.get("eta", ""))
            )
            messages.success(request, _("%(u)s dikirim") % {"u": unit.call_sign})
        else:
            _require(request, "triage_incidents")
            if verb == "transition":
                original = None
                if dup := _int(request, "duplicate_of", request.POST):
                    original = selectors.access_incident(user, dup)
                services.transition_incident(
                    actor=user,
                    incident=incident,
                    to=request.POST.get("to", ""),
                    note=request.POST.get("note", ""),
                    duplicate_of=original,
                )
            elif verb == "priority":
                services.set_priority(
                    actor=user, incident=incident, priority=_int(request, "priority", request.POST) or 0
                )
            elif verb == "claim":
                services.claim_incident(actor=user, incident=incident)
            elif verb == "release":
                services.release_incident(actor=user, incident=incident)
            elif verb == "refer":
                services.refer_incident(
                    actor=user,
                    incident=incident,
                    to=request.POST.get("to", ""),
                    note=request.POST.get("note", ""),
                )
            elif verb == "assign":
                person = (
                    User.objects.filter(username=request.POST.get("username", "").strip()).first()
                    if request.POST.get("username")
                    else None
                )
                unit_id = _int(request, "police_unit", request.POST)
                police_unit = PoliceUnit.objects.filter(pk=unit_id).first() if unit_id else None
                services.assign_incident(actor=user, incident=incident, user=person, police_unit=police_unit)
            elif verb == "note":
                services.add_note(actor=user, incident=incident, note=request.POST.get("note", ""))
            else:
                raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("incidents:detail", pk=pk)


@never_cache
def new_incident(request: HttpRequest) -> HttpResponse:
    """Posko intake: a call, radio or WhatsApp message in a few keystrokes."""
    _require(request, "report_incidents")
    desa_qs = scope_for(request.user).filter(
        Desa.objects.select_related("kecamatan").order_by("kecamatan__name", "name"), "kecamatan_id"
    )
    if request.method == "POST":
        form = PoskoIntakeForm(request.POST, desa_queryset=desa_qs)
        if form.is_valid():
            d = form.cleaned_data
            data = services.IncidentData(
                source=d["source"],
                category=d["category"],
                description=d["description"],
                occurred_at=d["occurred_at"],
                desa_id=d["desa"].pk,
                place=d["place"],
                priority=d["priority"],
                reporter=services.ReporterData(
                    name=d["reporter_name"], phone=d["reporter_phone"], consented=True
                ),
            )
            try:
                incident, _created = services.create_incident_once(
                    actor=request.user,
                    data=data,
                    client_key=f"u{request.user.pk}:{d['idempotency_key']}",
                    request_fingerprint=services.fingerprint({k: str(v) for k, v in d.items()}),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Tercatat: %(r)s") % {"r": incident.receipt})
                return redirect("incidents:detail", pk=incident.pk)
    else:
        form = PoskoIntakeForm(initial={"idempotency_key": uuid.uuid4().hex}, desa_queryset=desa_qs)
    return render(request, "incidents/new.html", {"form": form})


@never_cache
def field_report(request: HttpRequest) -> HttpResponse:
    """The field report moved into the field app (one outbox for every field action, offline pages):
    old bookmarks land there."""
    _require(request, "report_incidents")
    return redirect("field:report")


@require_GET
def photo(request: HttpRequest, name: str) -> FileResponse:
    _require(request, "view_incidents")
    if scope_for(request.user).is_partner:
        raise Http404
    record = IncidentPhoto.objects.filter(file_name=name).first()
    if record is None:
        raise Http404
    _access(request, record.incident_id)
    try:
        path = photos.path_of(name)
    except ValueError as exc:
        raise Http404 from exc
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def unit_list(request: HttpRequest) -> HttpResponse:
    if not (can(request.user, "dispatch_units") or can(request.user, "update_unit_status")):
        raise PermissionDenied
    units = selectors.units_for(
        request.user, status=request.GET.get("status", ""), search=request.GET.get("q", "")
    )
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    return render(
        request, "incidents/units.html", {"page": page, "statuses": ResponseUnit.UnitStatus.choices}
    )


@require_POST
def unit_action(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "update_unit_status")
    try:
        unit = selectors.access_unit(request.user, pk)
        services.set_unit_status(actor=request.user, unit=unit, status=request.POST.get("status", ""))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    target = str(request.POST.get("next", ""))
    return redirect(target if target.startswith("/kejadian/") else "incidents:unit_list")


@never_cache
def response_times(request: HttpRequest) -> HttpResponse:
    _require(request, "view_response_times")
    raw = pages.remembered(request, "hari", default="14")
    days = int(raw) if raw.isdigit() and 0 < int(raw) <= 3660 else 14
    since = timezone.now() - dt.timedelta(days=days)
    rows = selectors.response_times(request.user, since=since)
    periods = sorted({1, 3, 7, 14, 30, 90, 365, days})
    return render(request, "incidents/response_times.html", {"rows": rows, "days": days, "periods": periods})


def _features(rows: list[dict[str, Any]]) -> JsonResponse:
    return JsonResponse(
        {"type": "FeatureCollection", "features": rows}, json_dumps_params={"separators": (",", ":")}
    )


@require_GET
@cache_control(private=True, max_age=30)
def map_incidents(request: HttpRequest) -> JsonResponse:
    _require(request, "view_incidents")
    partner = scope_for(request.user).is_partner
    labels = dict(Category.choices)
    features = []
    for pk, lat, lng, receipt, category, status, priority, synthetic in selectors.map_incidents(request.user):
        if partner:
            lat, lng = coarsen(lat), coarsen(lng)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "id": pk,
                    "label": f"{receipt} P{priority} {labels.get(category, category)} ({Status(status).label})",
                    "color": PRIORITY_COLORS.get(priority, "#6c757d"),
                    "url": None if partner else f"/kejadian/{pk}/",
                    "synthetic": synthetic,
                },
            }
        )
    return _features(features)


@require_GET
@cache_control(private=True, max_age=15)
def map_units(request: HttpRequest) -> JsonResponse:
    _require(request, "dispatch_units")
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [u.lng, u.lat]},
            "properties": {
                "id": u.pk,
                "label": f"{u.call_sign} ({u.get_status_display()})",
                "color": UNIT_COLORS.get(u.status, "#6c757d"),
                "synthetic": u.is_synthetic,
            },
        }
        for u in selectors.units_for(request.user).filter(lat__isnull=False)
    ]
    return _features(features)
