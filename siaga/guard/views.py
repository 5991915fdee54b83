"""Guard pages: the live board and alerts, posts, check-in and handover at the post (phone), rosters as
table and calendar with solve, publish and swaps, the officer's schedule with a calendar link, the map layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from siaga.core.errors import DomainError, NotFound
from siaga.core.forms import show_error
from siaga.core.pages import access_or_404, capability_flags, require
from siaga.core.tabular import export_response
from siaga.guard import engine as bridge
from siaga.guard import selectors, services
from siaga.guard.forms import (
    CheckInForm,
    HandoverForm,
    PostForm,
    RequirementForm,
    RosterForm,
    SwapForm,
    UnavailableForm,
)
from siaga.guard.models import Assignment, CheckIn, Roster

# --- helpers -----------------------------------------------------------------------------------------------


def _moment(request: HttpRequest) -> tuple[dt.datetime, bool]:
    """`?pada=2024-02-14T10:30` replays the board at a past moment (the demo is in Feb 2024)."""
    raw = request.GET.get("pada", "")
    at = parse_datetime(raw) if raw else None
    if at is None:
        return timezone.now(), False
    return (timezone.make_aware(at) if timezone.is_naive(at) else at), True


def _flags(request: HttpRequest) -> dict[str, bool]:
    return capability_flags(request, ("manage_guard", "guard_duty", "approve_guard_swap", "export_data"))


# --- live board and alerts ---------------------------------------------------------------------------------


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    require(request, "view_guard")
    now, replay = _moment(request)
    rows = selectors.board(request.user, now=now)
    template = "guard/_board.html" if request.htmx else "guard/board.html"  # type: ignore[attr-defined]
    demo_moment = None
    if (
        not replay
        and not any(r.rostered for r in rows)
        and Roster.objects.filter(status=Roster.Status.PUBLISHED).exists()
    ):
        demo_moment = "2024-02-14T10:30"
    return render(
        request,
        template,
        {
            "rows": rows,
            "now": now,
            "replay": replay,
            "pada": request.GET.get("pada", ""),
            "demo_moment": demo_moment,
            **_flags(request),
        },
    )


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_guard")
    now, replay = _moment(request)
    live = [a for r in selectors.board(request.user, now=now) for a in r.alerts]
    posts = {p.pk: p for p in selectors.posts_for(request.user)}
    stored = selectors.alerts_for(request.user, open_only=request.GET.get("semua") != "1")[:200]
    return render(
        request,
        "guard/alerts.html",
        {"live": [(posts.get(a.post_id), a) for a in live], "stored": stored, "now": now, "replay": replay},
    )


# --- posts -------------------------------------------------------------------------------------------------


@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_guard")
    posts = selectors.posts_for(request.user, search=request.GET.get("q", "")).prefetch_related(
        "requirements"
    )
    return render(
        request, "guard/post_list.html", {"posts": posts, "q": request.GET.get("q", ""), **_flags(request)}
    )


def post_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, "manage_guard")
    post = access_or_404(selectors.access_post, request, pk) if pk else None
    form = PostForm(request.POST or None, instance=post)
    from siaga.sites.selectors import vital_objects_for

    form.fields["vital_object"].queryset = vital_objects_for(request.user)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            post = (
                services.update_post(actor=request.user, post=post, data=data)
                if post
                else services.create_post(actor=request.user, **data)
            )
        except DomainError as exc:
            show_error(form, exc, message_on_top=True)
        else:
            return redirect("guard:post_detail", post.pk)
    return render(request, "guard/post_form.html", {"form": form, "post": post})


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_guard")
    post = access_or_404(selectors.access_post, request, pk)
    form = RequirementForm(request.POST or None)
    if request.method == "POST":
        require(request, "manage_guard")
        if form.is_valid():
            try:
                services.add_requirement(
                    actor=request.user,
                    post=post,
                    **{k: v for k, v in form.cleaned_data.items() if v not in (None, "")},
                )
            except DomainError as exc:
                show_error(form, exc, message_on_top=True)
            else:
                return redirect("guard:post_detail", post.pk)
    context = {
        "post": post, "form": form, "requirements": post.requirements.select_related("stage"),
        "present": selectors.open_check_ins(post), "handovers": selectors.handovers_for(request.user, post=post)[:10],
        "check_outs": selectors.recent_check_outs(post),
        **_flags(request),
    }  # fmt: skip
    return render(request, "guard/post_detail.html", context)


# --- at the post (phone) -----------------------------------------------------------------------------------


def check_in(
    request: HttpRequest, pk: int, *, far_checkout: tuple[Any, str, str, str] | None = None
) -> HttpResponse:
    require(request, "guard_duty")
    post = access_or_404(selectors.access_post, request, pk)
    now = timezone.now()
    officers = selectors.duty_officers(post, now=now)
    error = ""
    if request.method == "POST" and far_checkout is None:
        form = CheckInForm(request.POST)
        if not form.is_valid():
            error = _("Lokasi GPS belum didapat; izinkan lokasi lalu coba lagi")
        else:
            officer = officers.filter(pk=form.cleaned_data["personnel"]).first()
            try:
                if officer is None:
                    raise NotFound(_("Personel tidak bertugas di pos ini"))
                services.check_in(
                    actor=request.user, post=post, personnel=officer, lat=form.cleaned_data["lat"], lng=form.cleaned_data["lng"],
                    accuracy_m=form.cleaned_data["accuracy"],
                )  # fmt: skip
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(
                    request,
                    _("%(name)s tercatat hadir di %(post)s") % {"name": officer.name, "post": post.name},
                )
                return redirect("guard:check_in", post.pk)
    present = list(selectors.open_check_ins(post))
    present_ids = {c.personnel_id for c in present}
    lat, lng = post.position
    context = {
        "post": post,
        "officers": [o for o in officers if o.pk not in present_ids],
        "present": present,
        "error": error,
        "post_lat": lat,
        "post_lng": lng,
        "far_checkout": far_checkout,
    }
    status = 422 if error or far_checkout else 200
    return render(request, "guard/check_in.html", context, status=status)


@require_POST
def check_out(request: HttpRequest, pk: int, checkin_id: int) -> HttpResponse:
    require(request, "guard_duty")
    post = access_or_404(selectors.access_post, request, pk)
    checkin = CheckIn.objects.filter(pk=checkin_id, post=post).first()
    if checkin is None:
        raise Http404
    lat, lng = request.POST.get("lat", ""), request.POST.get("lng", "")
    try:
        services.check_out(
            actor=request.user,
            checkin=checkin,
            lat=float(lat.replace(",", ".")) if lat else None,
            lng=float(lng.replace(",", ".")) if lng else None,
            confirm_far=request.POST.get("confirm_far") == "1",
        )
    except ValueError:
        messages.error(request, _("Lokasi GPS tidak terbaca"))
    except DomainError as exc:
        if exc.code == "far_checkout":
            # Ask once more, with the same position: the officer confirms or walks back to the post.
            return check_in(request, pk, far_checkout=(checkin, lat, lng, exc.message))
        messages.error(request, exc.message)
    return redirect("guard:check_in", post.pk)


def handover(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "guard_duty")
    post = access_or_404(selectors.access_post, request, pk)
    now = timezone.now()
    boundary = (
        Assignment.objects.filter(post=post, roster__status=Roster.Status.PUBLISHED, starts_at__lte=now)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    form = HandoverForm(request.POST or None, officers=selectors.duty_officers(post, now=now))
    if request.method == "POST" and form.is_valid():
        try:
            if boundary is None:
                raise NotFound(_("Belum ada shift terbit di pos ini"))
            services.record_handover(
                actor=request.user, post=post, shift_boundary_at=boundary, **form.cleaned_data
            )
        except DomainError as exc:
            show_error(form, exc, message_on_top=True)
        else:
            messages.success(request, _("Serah terima tercatat"))
            return redirect("guard:post_detail", post.pk)
    return render(request, "guard/handover.html", {"post": post, "form": form, "boundary": boundary})


# --- rosters -----------------------------------------------------------------------------------------------


@require_GET
def roster_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_guard")
    return render(
        request, "guard/roster_list.html", {"rosters": selectors.rosters_for(request.user), **_flags(request)}
    )


def roster_create(request: HttpRequest) -> HttpResponse:
    require(request, "manage_guard")
    form = RosterForm(
        request.POST or None,
        posts=selectors.posts_for(request.user, active_only=True),
        officers=selectors.pool_candidates(request.user),
    )
    if request.method == "POST" and form.is_valid():
        from siaga.personnel.selectors import user_polres

        polres = user_polres(request.user)
        try:
            if polres is None:
                raise NotFound(_("Akun tanpa Polres"))
            roster = services.create_roster(actor=request.user, polres=polres, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc, message_on_top=True)
        else:
            return redirect("guard:roster_detail", roster.pk)
    return render(request, "guard/roster_form.html", {"form": form})


def _roster_context(request: HttpRequest, roster: Roster) -> dict[str, Any]:
    officers = roster.officers.select_related("rank").order_by("name")
    return {
        "roster": roster, **_flags(request),
        "unavailable_form": UnavailableForm(officers=officers),
        "swap_form": SwapForm(officers=officers),
        "swaps": selectors.swaps_for(request.user, roster)[:20],
        "rule_labels": bridge.rule_labels(),
    }  # fmt: skip


def roster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_guard")
    roster = access_or_404(selectors.access_roster, request, pk)
    if (export := request.GET.get("export")) in ("csv", "xlsx"):
        require(request, "export_data")
        rows = [
            [
                a.on.isoformat(),
                a.shift_code,
                timezone.localtime(a.starts_at).strftime("%H:%M"),
                a.post.name,
                a.personnel.nrp,
                a.personnel.name,
                "ya" if a.is_locked else "",
            ]
            for a in selectors.assignments_for(request.user, roster)
        ]
        return export_response(
            fmt=export,
            filename=f"roster-jaga-{roster.pk}",
            headers=["tanggal", "shift", "mulai", "pos", "nrp", "nama", "kunci"],
            rows=rows,
        )
    day = request.GET.get("tanggal", "")
    on = dt.date.fromisoformat(day) if day and len(day) == 10 else None
    posts, grid = selectors.roster_grid(request.user, roster, on=on)
    return render(
        request,
        "guard/roster_detail.html",
        {**_roster_context(request, roster), "posts": posts, "grid": grid, "on": on},
    )


@require_GET
def roster_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_guard")
    roster = access_or_404(selectors.access_roster, request, pk)
    per_day: dict[dt.date, dict[str, list[Assignment]]] = {}
    for a in selectors.assignments_for(request.user, roster):
        per_day.setdefault(a.on, {}).setdefault(a.shift_code, []).append(a)
    weeks = [
        [(d, sorted(per_day.get(d, {}).items())) if d else None for d in week]
        for week in selectors.calendar_weeks(roster)
    ]
    return render(request, "guard/roster_calendar.html", {"roster": roster, "weeks": weeks})


@require_POST
def roster_solve(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_guard")
    roster = access_or_404(selectors.access_roster, request, pk)
    try:
        services.request_solve(actor=request.user, roster=roster)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("guard:roster_detail", roster.pk)


@require_POST
def roster_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_guard")
    roster = access_or_404(selectors.access_roster, request, pk)
    try:
        services.publish_roster(actor=request.user, roster=roster)
        messages.success(request, _("Roster diterbitkan"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("guard:roster_detail", roster.pk)


@require_POST
def roster_unavailable(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_guard")
    roster = access_or_404(selectors.access_roster, request, pk)
    form = UnavailableForm(request.POST, officers=roster.officers.all())
    if form.is_valid():
        d = form.cleaned_data
        days = [
            d["starts_on"] + dt.timedelta(days=i) for i in range((d["ends_on"] - d["starts_on"]).days + 1)
        ]
        try:
            services.make_unavailable(
                actor=request.user, roster=roster, personnel=d["personnel"], dates=days, reason=d["reason"]
            )
            services.request_solve(actor=request.user, roster=roster)
            messages.success(request, _("Dicatat; roster disusun ulang"))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Data tidak valid"))
    return redirect("guard:roster_detail", roster.pk)


@require_POST
def assignment_lock(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_guard")
    a = access_or_404(selectors.access_assignment, request, pk)
    services.set_locked(actor=request.user, assignment=a, locked=not a.is_locked)
    return redirect(reverse("guard:roster_detail", args=[a.roster_id]) + f"?tanggal={a.on.isoformat()}")


@require_POST
def swap_request(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "guard_duty")
    roster = access_or_404(selectors.access_roster, request, pk)
    form = SwapForm(request.POST, officers=roster.officers.all())
    if form.is_valid():
        try:
            first = access_or_404(selectors.access_assignment, request, form.cleaned_data["first"])
            second = (
                access_or_404(selectors.access_assignment, request, form.cleaned_data["second"])
                if form.cleaned_data["second"]
                else None
            )
            services.request_swap(
                actor=request.user, first=first, second=second, to_personnel=form.cleaned_data["to_personnel"]
            )
            messages.success(request, _("Permintaan tukar shift diajukan"))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Data tidak valid"))
    return redirect("guard:roster_detail", roster.pk)


@require_POST
def swap_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    require(request, "approve_guard_swap")
    swap = access_or_404(selectors.access_swap, request, pk)
    try:
        if decision == "setujui":
            services.approve_swap(actor=request.user, swap=swap)
            messages.success(request, _("Tukar shift disetujui"))
        else:
            services.refuse_swap(
                actor=request.user, swap=swap, reason=request.POST.get("reason", "") or _("ditolak pimpinan")
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("guard:roster_detail", swap.roster_id)


# --- the officer ---------------------------------------------------------------------------------------------


def officer_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_guard")
    officer = access_or_404(selectors.access_officer, request, pk)
    feed_url = ""
    if request.method == "POST":
        require(request, "manage_guard")
        token = services.issue_calendar_feed(actor=request.user, personnel=officer)
        feed_url = request.build_absolute_uri(reverse("api:guard_ical_feed", kwargs={"token": token}))
    rows = selectors.officer_schedule(request.user, officer)
    return render(
        request,
        "guard/officer.html",
        {"officer": officer, "rows": rows, "feed_url": feed_url, **_flags(request)},
    )


# --- map ---------------------------------------------------------------------------------------------------


@require_GET
def map_posts(request: HttpRequest) -> JsonResponse:
    require(request, "view_guard")
    features = []
    for row in selectors.board(request.user, now=timezone.now()):
        lat, lng = row.post.position
        label = f"{row.post.name}: {len(row.present)}/{row.required}"
        if row.alerts:
            label += " · " + "; ".join(a.message for a in row.alerts)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "id": row.post.pk,
                    "label": label,
                    "color": row.color,
                    "url": reverse("guard:post_detail", args=[row.post.pk]),
                    "state": row.state,
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})
