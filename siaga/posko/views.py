"""Posko pages: the live board for the wall display, the alert stream (acknowledge, close), notifications, the
journal (buku mutasi), the guard posts' visitor log, the CCTV register with its watch gaps, two map layers."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from siaga.core.errors import DomainError
from siaga.core.forms import show_error
from siaga.core.maplayers import feature, feature_collection, position
from siaga.core.pages import access_or_404, capability_flags, paginate, require
from siaga.posko import selectors, services
from siaga.posko.forms import CameraForm, CloseAlertForm, JournalForm, VisitorForm
from siaga.posko.models import Alert, Camera, JournalEntry, Severity
from siaga.territory.selectors import kecamatan_for

# A drawn live panel is kept this long (its stamp already changes with anything it shows).
LIVE_CACHE_S = 60
SEVERITY_COLORS: dict[str, str] = {
    Severity.HIGH: "#dc3545",
    Severity.MEDIUM: "#fd7e14",
    Severity.LOW: "#0d6efd",
}


def _flags(request: HttpRequest) -> dict[str, bool]:
    return capability_flags(
        request,
        ("handle_alerts", "write_journal", "record_visitors", "manage_cctv", "view_cctv", "view_guard"),
    )


def _day(request: HttpRequest) -> dt.date:
    return parse_date(request.GET.get("hari", "") or "") or timezone.localdate()


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


# --- the board ---------------------------------------------------------------------------------------------


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    require(request, "view_posko")
    now = timezone.now()
    # Live: the panel asks every few seconds with the stamp it was drawn from; unchanged -> an empty 204.
    stamp = selectors.board_stamp(request.user, now=now)
    is_live = request.headers.get("HX-Request") == "true"
    if is_live and request.GET.get("stamp") == stamp:
        return HttpResponse(status=204)
    flags = _flags(request)
    if is_live:
        # Many wall displays of one jurisdiction ask for the same panel: it is drawn once per change. The panel
        # holds no CSRF token (its button posts through htmx, which sends the page's token in a header).
        key = (
            "posko:live:"
            + hashlib.sha256(
                f"{stamp}:{selectors.scope_key(request.user)}:{sorted(flags.items())}:{get_language()}".encode()
            ).hexdigest()
        )
        html = cache.get(key)
        if html is None:
            data = selectors.board(request.user, now=now)
            data.stamp = stamp
            html = render_to_string("posko/_board_live.html", {"board": data, **flags}, request=request)
            cache.set(key, html, LIVE_CACHE_S)
        return HttpResponse(html)
    data = selectors.board(request.user, now=now)
    data.stamp = stamp
    context: dict[str, Any] = {"board": data, **flags}
    from siaga.dashboard.views import map_config
    from siaga.sites.selectors import election_or_default

    election = election_or_default(None)
    config = map_config(request, election)
    # The wall display draws the boundaries and the live layers by default; the heavy point layers (every TPS)
    # stay a click away.
    for layer in config["layers"]:
        if layer["kind"] != "polygons":
            layer["default_on"] = bool(layer["refresh_s"])
    context.update(config=config, election=election)
    return render(request, "posko/board.html", context)


# --- alerts ------------------------------------------------------------------------------------------------


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_posko")
    kinds = selectors.visible_kinds(request.user)
    qs = selectors.alerts_visible(request.user)
    status = request.GET.get("status", "")
    if status == "aktif" or status == "":
        qs = qs.exclude(status=Alert.Status.CLOSED)
    elif status in Alert.Status.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("jenis", "")
    if kind in kinds:
        qs = qs.filter(kind=kind)
    if request.GET.get("hari"):
        start, end = selectors.day_bounds(_day(request))
        qs = qs.filter(raised_at__gte=start, raised_at__lt=end)
    page = paginate(request, qs.order_by("-raised_at", "-id"))
    return render(
        request,
        "posko/alert_list.html",
        {
            "page": page,
            "kinds": sorted(((c, str(k.label)) for c, k in kinds.items()), key=lambda t: t[1]),
            "kind_labels": {c: str(k.label) for c, k in kinds.items()},
            "status": status or "aktif",
            "kind": kind,
            "hari": request.GET.get("hari", ""),
            "statuses": Alert.Status.choices,
            **_flags(request),
        },
    )


@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_posko")
    alert = access_or_404(selectors.access_alert, request, pk)
    kinds = selectors.visible_kinds(request.user)
    return render(
        request,
        "posko/alert_detail.html",
        {
            "alert": alert,
            "kind_label": selectors.kind_label(kinds, alert.kind),
            "notifications": alert.notifications.select_related("recipient").order_by("level", "created_at")[
                :100
            ],
            "close_form": CloseAlertForm(),
            **_flags(request),
        },
    )


@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "handle_alerts")
    alert = access_or_404(selectors.access_alert, request, pk)
    try:
        services.acknowledge_alert(actor=request.user, alert=alert)
        if request.headers.get("HX-Request") != "true":
            messages.success(request, _("Peringatan diterima."))
    except DomainError as exc:
        if request.headers.get("HX-Request") != "true":
            messages.error(request, exc.message)
    if request.headers.get("HX-Request") == "true":
        # From the board: answer with the panel as it is now (someone else may have acknowledged it first).
        data = selectors.board(request.user)
        data.stamp = selectors.board_stamp(request.user, now=data.now)
        return render(request, "posko/_board_live.html", {"board": data, **_flags(request)})
    return _back(request, alert_url(alert))


@require_POST
def alert_close(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "handle_alerts")
    alert = access_or_404(selectors.access_alert, request, pk)
    form = CloseAlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tulis tindakan yang diambil sebelum menutup."))
        return _back(request, alert_url(alert))
    try:
        services.close_alert(actor=request.user, alert=alert, note=form.cleaned_data["note"])
        messages.success(request, _("Peringatan ditutup."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, alert_url(alert))


def alert_url(alert: Alert) -> str:
    from django.urls import reverse

    return reverse("posko:alert_detail", args=[alert.pk])


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_posko")
    from siaga.posko.models import Notification

    qs = (
        Notification.objects.filter(recipient_id=request.user.pk)
        .select_related("alert")
        .order_by("-created_at", "-id")
    )
    return render(request, "posko/notifications.html", {"page": paginate(request, qs)})


@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    require(request, "view_posko")
    services.mark_notifications_read(actor=request.user)
    return _back(request, "posko:notifications")


# --- the journal -------------------------------------------------------------------------------------------


def journal(request: HttpRequest) -> HttpResponse:
    require(request, "view_posko")
    day = _day(request)
    corrects = None
    if request.GET.get("koreksi"):
        try:
            corrects = selectors.journal_for(request.user).get(pk=int(request.GET["koreksi"]))
        except (ValueError, JournalEntry.DoesNotExist):
            corrects = None
    kecamatan = kecamatan_for(request.user).order_by("name")
    form = JournalForm(request.POST or None, kecamatan=kecamatan)
    if request.method == "POST":
        require(request, "write_journal")
        if request.POST.get("corrects"):
            try:
                corrects = selectors.journal_for(request.user).get(pk=int(request.POST["corrects"]))
            except (ValueError, JournalEntry.DoesNotExist):
                corrects = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.write_journal_entry(
                    actor=request.user,
                    text=data["text"],
                    kind=data["kind"],
                    occurred_at=data["occurred_at"],
                    kecamatan_id=data["kecamatan"].pk if data["kecamatan"] else None,
                    radio_from=data["radio_from"],
                    radio_to=data["radio_to"],
                    corrects=corrects,
                )
                messages.success(request, _("Catatan ditambahkan ke jurnal."))
                return redirect(f"{request.path}?hari={day.isoformat()}")
            except DomainError as exc:
                show_error(form, exc)
    start, end = selectors.day_bounds(day)
    entries = (
        selectors.journal_for(request.user)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .order_by("occurred_at", "id")
    )
    return render(
        request,
        "posko/journal.html",
        {
            "form": form,
            "entries": paginate(request, entries),
            "day": day,
            "corrects": corrects,
            **_flags(request),
        },
    )


# --- visitors at guard posts -------------------------------------------------------------------------------


def visitors(request: HttpRequest) -> HttpResponse:
    require(request, "view_guard")
    day = _day(request)
    posts = selectors.posts_for_visitors(request.user)
    form = VisitorForm(request.POST or None, posts=posts, initial={"post": request.GET.get("pos")})
    if request.method == "POST":
        require(request, "record_visitors")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_visitor_in(
                    actor=request.user,
                    post=data["post"],
                    name=data["name"],
                    institution=data["institution"],
                    purpose=data["purpose"],
                    identity_number=data["identity_number"],
                )
                messages.success(request, _("Tamu dicatat masuk."))
                return redirect(request.path)
            except DomainError as exc:
                show_error(form, exc)
    start, end = selectors.day_bounds(day)
    qs = selectors.visitors_for(request.user).filter(arrived_at__gte=start, arrived_at__lt=end)
    inside = selectors.visitors_for(request.user).filter(left_at__isnull=True, arrived_at__lt=start)
    return render(
        request,
        "posko/visitors.html",
        {
            "form": form,
            "page": paginate(request, qs),
            "inside": list(inside[:50]),
            "day": day,
            **_flags(request),
        },
    )


@require_POST
def visitor_out(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "record_visitors")
    visitor = access_or_404(selectors.access_visitor, request, pk)
    try:
        services.record_visitor_out(actor=request.user, visitor=visitor)
        messages.success(request, _("Tamu dicatat keluar."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, "posko:visitors")


# --- the CCTV register -------------------------------------------------------------------------------------


@require_GET
def camera_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_cctv")
    day = _day(request)
    start, end = selectors.day_bounds(day)
    end = min(end, timezone.now())
    page = paginate(request, selectors.cameras_for(request.user))
    seats = sorted({c.watched_by_id for c in page if c.watched_by_id})
    gaps = selectors.watch_gaps(seats, start=start, end=end) if end > start else {}
    rows = []
    for camera in page:
        seat_gaps = gaps.get(camera.watched_by_id or -1, [])
        minutes = int(sum((e - s).total_seconds() for s, e in seat_gaps) // 60)
        rows.append((camera, seat_gaps, minutes))
    return render(
        request, "posko/camera_list.html", {"page": page, "rows": rows, "day": day, **_flags(request)}
    )


def camera_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, "manage_cctv")
    camera = access_or_404(selectors.access_camera, request, pk) if pk else Camera()
    form = CameraForm(
        request.POST or None,
        instance=camera,
        kecamatan=kecamatan_for(request.user).order_by("name"),
        cctv_posts=selectors.cctv_posts_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_camera(actor=request.user, camera=form.instance)
            messages.success(request, _("Kamera disimpan."))
            return redirect("posko:camera_list")
        except DomainError as exc:
            show_error(form, exc)
    return render(request, "posko/camera_form.html", {"form": form, "camera": camera if pk else None})


# --- map layers --------------------------------------------------------------------------------------------


@require_GET
def map_alerts(request: HttpRequest) -> JsonResponse:
    require(request, "view_posko")
    kinds = selectors.visible_kinds(request.user)
    rows = (
        selectors.alerts_visible(request.user)
        .exclude(status=Alert.Status.CLOSED)
        .filter(lat__isnull=False)
        .values_list("pk", "lat", "lng", "kind", "title", "severity")[:500]
    )
    from siaga.core.maplayers import detail_url

    url = detail_url("posko:alert_detail")
    features = [
        feature(
            {"type": "Point", "coordinates": position(lng, lat)},
            id=pk,
            label=f"{selectors.kind_label(kinds, kind)}: {title}",
            color=SEVERITY_COLORS.get(severity, "#0d6efd"),
            url=url(pk),
        )
        for pk, lat, lng, kind, title, severity in rows
    ]
    legend = [{"label": str(label), "color": SEVERITY_COLORS[value]} for value, label in Severity.choices]
    return JsonResponse(feature_collection(features, legend=legend))


@require_GET
def map_cameras(request: HttpRequest) -> JsonResponse:
    require(request, "view_cctv")
    rows = selectors.cameras_for(request.user).filter(lat__isnull=False, is_active=True)
    features = [
        feature(
            {"type": "Point", "coordinates": position(c.lng, c.lat)},
            id=c.pk,
            label=f"{c.name} ({c.get_owner_display()})",
            color="#6f42c1",
        )
        for c in rows
    ]
    return JsonResponse(feature_collection(features))
