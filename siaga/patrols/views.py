"""Patrol pages: overview, points, units, plans with coverage, a day's routes with overrides and the planned-vs-done
table (PDF), the phone check-in page, check-ins with flags, and the map layers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from siaga.accounts.roles import can
from siaga.core import pages
from siaga.core.errors import DomainError, NotFound
from siaga.core.forms import show_error
from siaga.core.tabular import export_response
from siaga.patrols import photos, reports, selectors, services
from siaga.patrols.forms import DaysForm, OverrideForm, PlanForm, PointForm, UnitForm
from siaga.patrols.models import SLOT_LABELS, PatrolPoint, PatrolVisit
from siaga.territory.models import Kecamatan, PoliceUnit


def _require(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied


def _get(fn: Any, request: HttpRequest, pk: int) -> Any:
    try:
        return fn(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _flags(request: HttpRequest) -> dict[str, bool]:
    return {f"can_{c}": can(request.user, c) for c in ("manage_patrols", "patrol_duty", "export_data")}


# --- overview ----------------------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require(request, "view_patrol_plans")
    plans = list(selectors.plans_for(request.user).order_by("-starts_on")[:20])
    day_on = selectors.latest_day_on(request.user)
    flagged = selectors.checkins_for(request.user, flagged_only=True).order_by("-arrived_at")[:10]
    return render(
        request,
        "patrols/index.html",
        {"plans": plans, "day_on": day_on, "flagged": flagged, **_flags(request)},
    )


# --- points ------------------------------------------------------------------------------------------------


def _kinds(user: Any) -> list[tuple[str, str]]:
    if can(user, "view_confidential_categories"):
        return [(k, str(label)) for k, label in PatrolPoint.Kind.choices]
    kinds = [(k, str(label)) for k, label in PatrolPoint.Kind.choices if k != PatrolPoint.Kind.RAWAN_TPS]
    return [*kinds, (PatrolPoint.MASKED_KIND, "TPS")]


@require_GET
def point_list(request: HttpRequest) -> HttpResponse:
    _require(request, "view_patrol_plans")
    q, kind = request.GET.get("q", ""), request.GET.get("jenis", "")
    qs = selectors.points_for(request.user, search=q, kind=kind).order_by("kecamatan__name", "name")
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        _require(request, "export_data")
        rows = (
            [
                p.code,
                p.name,
                p.visible_kind_label,
                p.kecamatan.name,
                p.lat,
                p.lng,
                p.visible_value,
                p.min_visits,
                p.radius_m,
                p.is_synthetic,
            ]
            for p in qs
        )
        headers = [
            "kode",
            "nama",
            "jenis",
            "kecamatan",
            "lintang",
            "bujur",
            "nilai",
            "min_kunjungan",
            "radius_m",
            "sintetis",
        ]
        return export_response(filename="titik-patroli", headers=headers, rows=rows, fmt=fmt)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "patrols/point_list.html",
        {"page": page, "q": q, "kind": kind, "kinds": _kinds(request.user), **_flags(request)},
    )


def point_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request, "manage_patrols")
    point = _get(selectors.access_point, request, pk) if pk else None
    form = PointForm(request.POST or None, instance=point)
    scope = selectors.scope_for(request.user)
    form.fields["kecamatan"].queryset = scope.filter(Kecamatan.objects.defer("boundary"), "id")  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            point = (
                services.update_point(actor=request.user, point=point, data=data)
                if point
                else services.create_point(actor=request.user, **data)
            )
        except DomainError as exc:
            show_error(form, exc, message_on_top=True)
        else:
            return redirect("patrols:point_detail", point.pk)
    return render(request, "patrols/point_form.html", {"form": form, "point": point})


def point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "view_patrol_plans")
    point = _get(selectors.access_point, request, pk)
    if request.method == "POST":
        _require(request, "manage_patrols")
        services.rotate_qr_secret(actor=request.user, point=point)
        messages.success(request, _("Kode QR baru dibuat; cetak ulang stiker"))
        return redirect("patrols:point_detail", point.pk)
    checkins = selectors.checkins_for(request.user).filter(point=point).order_by("-arrived_at")[:20]
    return render(
        request, "patrols/point_detail.html", {"point": point, "checkins": checkins, **_flags(request)}
    )


# --- units -------------------------------------------------------------------------------------------------


def unit_list(request: HttpRequest) -> HttpResponse:
    _require(request, "view_patrol_plans")
    form = None
    if can(request.user, "manage_patrols"):
        form = UnitForm(request.POST or None)
        depots = (
            selectors.scope_for(request.user).filter(PoliceUnit.objects.all(), "jurisdiction__id").distinct()
        )
        form.fields["depot"].queryset = depots  # type: ignore[attr-defined]
        if request.method == "POST" and form.is_valid():
            try:
                services.create_unit(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                show_error(form, exc, message_on_top=True)
            else:
                return redirect("patrols:unit_list")
    elif request.method == "POST":
        raise PermissionDenied
    units = selectors.units_for(request.user).order_by("name")
    return render(
        request,
        "patrols/unit_list.html",
        {"units": units, "form": form, "slot_labels": SLOT_LABELS, **_flags(request)},
    )


# --- plans -------------------------------------------------------------------------------------------------


def plan_create(request: HttpRequest) -> HttpResponse:
    _require(request, "manage_patrols")
    form = PlanForm(request.POST or None)
    form.fields["points"].queryset = selectors.points_for(request.user).filter(is_active=True)  # type: ignore[attr-defined]
    form.fields["units"].queryset = selectors.units_for(request.user).filter(is_active=True)  # type: ignore[attr-defined]
    polres = PoliceUnit.objects.filter(
        level=PoliceUnit.Level.POLRES,
        kabupaten__kecamatan__in=selectors.scope_for(request.user).filter(Kecamatan.objects.all(), "id"),
    ).first()
    if request.method == "POST" and form.is_valid():
        try:
            if polres is None:
                raise NotFound(_("Polres tidak ditemukan"))
            plan = services.create_plan(actor=request.user, polres=polres, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc, message_on_top=True)
        else:
            return redirect("patrols:plan_detail", plan.pk)
    return render(request, "patrols/plan_form.html", {"form": form})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "view_patrol_plans")
    plan = _get(selectors.access_plan, request, pk)
    form = DaysForm(
        request.POST or None,
        initial={"starts_on": plan.starts_on, "days": min(7, (plan.ends_on - plan.starts_on).days + 1)},
    )
    job = None
    if request.method == "POST":
        _require(request, "manage_patrols")
        if form.is_valid():
            try:
                job = services.request_days(actor=request.user, plan=plan, **form.cleaned_data)
            except DomainError as exc:
                show_error(form, exc, message_on_top=True)
    days = list(selectors.days_of(plan))
    context = {
        "plan": plan, "plan_points": selectors.plan_points(plan) if selectors.sees_all_units(request.user) else [], "days": days,
        "form": form, "job": job, "warnings": days[-1].warnings if days else [], **_flags(request),
    }  # fmt: skip
    return render(request, "patrols/plan_detail.html", context)


# --- a day -------------------------------------------------------------------------------------------------


def day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "view_patrol_plans")
    day = _get(selectors.access_day, request, pk)
    form = OverrideForm(request.POST or None)
    form.fields["point"].queryset = PatrolPoint.objects.filter(plans=day.plan)  # type: ignore[attr-defined]
    form.fields["unit"].queryset = day.plan.units.all()  # type: ignore[attr-defined]
    if request.method == "POST":
        _require(request, "manage_patrols")
        if form.is_valid():
            data = form.cleaned_data
            visit = (
                PatrolVisit.objects.filter(pk=data["visit"], day=day).first() if data.get("visit") else None
            )
            try:
                warnings = services.override_visit(
                    actor=request.user, day=day, action=data["action"], reason=data["reason"], visit=visit, point=data.get("point"),
                    at=data.get("at"), unit=data.get("unit"),
                )  # fmt: skip
            except DomainError as exc:
                show_error(form, exc, message_on_top=True)
            else:
                messages.success(request, _("Perubahan dicatat atas nama Anda"))
                for w in warnings:
                    messages.warning(request, w["message"])
                return redirect("patrols:day_detail", day.pk)
    visits = list(selectors.visits_for(request.user, day))
    context = {
        "day": day, "plan": day.plan, "routes": selectors.routes_of([v for v in visits if v.unit_id]),
        "unrouted": [v for v in visits if not v.unit_id and not v.is_cancelled], "rows": selectors.coverage_rows(request.user, day),
        "form": form, "slot_labels": SLOT_LABELS, **_flags(request),
    }  # fmt: skip
    return render(request, "patrols/day_detail.html", context, status=422 if form.errors else 200)


@require_GET
def day_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "view_patrol_plans")
    day = _get(selectors.access_day, request, pk)
    pdf = reports.day_report_pdf(request, day, user=request.user)
    # Every export is audited (G19): the patrol schedule is sensitive.
    pages.record_export(
        request,
        object_type="patrols.patrolday",
        object_repr=f"laporan patroli {day.day_on:%Y-%m-%d}",
        fmt="pdf",
        rows=selectors.visits_for(request.user, day).count(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="laporan-patroli-{day.day_on:%Y%m%d}.pdf"'
    return response


# --- at the point (phone) ----------------------------------------------------------------------------------


@require_GET
def check_in(request: HttpRequest) -> HttpResponse:
    _require(request, "patrol_duty")
    visits, points = selectors.duty_today(request.user)
    units = list(selectors.units_for(request.user))
    return render(
        request,
        "patrols/check_in.html",
        {"visits": visits, "points": points, "units": units, "today": timezone.localdate()},
    )


@require_GET
def checkin_list(request: HttpRequest) -> HttpResponse:
    _require(request, "view_patrol_plans")
    day_on = parse_date(request.GET.get("tanggal", "") or "") if request.GET.get("tanggal") else None
    qs = selectors.checkins_for(
        request.user, day_on=day_on, flagged_only=request.GET.get("tanda") == "1"
    ).order_by("-arrived_at")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "patrols/checkin_list.html", {"page": page, "flag_text": services.FLAG_TEXT})


@require_GET
def checkin_photo(request: HttpRequest, pk: int) -> FileResponse:
    _require(request, "view_patrol_plans")
    checkin = _get(selectors.access_checkin, request, pk)
    if not checkin.photo:
        raise Http404
    try:
        path = photos.path_of(checkin.photo)
    except ValueError as exc:
        raise Http404 from exc
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


# --- map layers --------------------------------------------------------------------------------------------


def _color(ratio: float | None) -> str:
    if ratio is None:
        return "#6c757d"
    return "#198754" if ratio >= 0.8 else "#fd7e14" if ratio >= 0.5 else "#dc3545"


@require_GET
def map_points(request: HttpRequest) -> JsonResponse:
    """Patrol points; colour by the latest day's planned vs done (green done, red missed, grey not planned)."""
    _require(request, "view_patrol_plans")
    day_on = selectors.latest_day_on(request.user)
    done: dict[int, tuple[int, int]] = {}
    if day_on:
        done = selectors.heat_by_point(request.user, day_on=day_on)
    features = []
    for p in selectors.points_for(request.user).filter(is_active=True):
        planned, visited = done.get(p.pk, (0, 0))
        label = f"{p.name} · {p.visible_kind_label}"
        if planned:
            label += f" · {visited}/{planned}"
        features.append(
            {
                "type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lng, p.lat]},
                "properties": {"id": p.pk, "label": label, "color": _color(visited / planned if planned else None),
                               "url": reverse("patrols:point_detail", args=[p.pk]), "synthetic": p.is_synthetic},
            }
        )  # fmt: skip
    legend = [
        {"label": _("selesai"), "color": _color(1)},
        {"label": _("sebagian"), "color": _color(0.6)},
        {"label": _("terlewat"), "color": _color(0)},
        {"label": _("tidak dijadwalkan"), "color": _color(None)},
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features, "legend": legend})


@require_GET
def map_heat(request: HttpRequest) -> JsonResponse:
    """Coverage heat per kecamatan over the last 7 drawn days: share of planned visits with a check-in."""
    _require(request, "view_patrol_plans")
    until = selectors.latest_day_on(request.user) or timezone.localdate()
    since = until - dt.timedelta(days=6)
    heat = selectors.heat_by_kecamatan(request.user, since=since, until=until)
    features = []
    for k in selectors.scope_for(request.user).filter(Kecamatan.objects.filter(id__in=heat.keys()), "id"):
        planned, done = heat[k.pk]
        features.append(
            {
                "type": "Feature", "geometry": k.boundary,
                "properties": {"id": k.pk, "label": f"{k.name}: {done}/{planned} ({since:%d-%m}..{until:%d-%m})", "color": _color(done / planned if planned else None)},
            }
        )  # fmt: skip
    legend = [
        {"label": _("≥ 80% selesai"), "color": _color(1)},
        {"label": _("50-80%"), "color": _color(0.6)},
        {"label": _("< 50%"), "color": _color(0)},
    ]
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "legend": legend,
            "style": {"fillOpacity": 0.45, "weight": 1},
        }
    )
