"""Event pages: the registry (filter, search, export, import), entry with clash warnings, the security plan
(sectors, officers, Sprin), the STTP, the day (status, check-in, incidents) and the after-action report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from siaga.accounts.selectors import scope_for
from siaga.core.errors import DomainError, ImportRejected
from siaga.core.forms import show_error
from siaga.core.maplayers import detail_url, feature, feature_collection
from siaga.core.pages import (
    access_or_404,
    capability_flags,
    export_format,
    export_list,
    int_param,
    paginate,
    record_export,
    require,
)
from siaga.events import rules, selectors, services
from siaga.events.forms import AfterActionForm, AssignForm, EventForm, ImportForm, SectorForm, StatusForm
from siaga.events.models import Event
from siaga.operations.models import Election
from siaga.operations.pages import election_for
from siaga.personnel.models import Personnel
from siaga.territory.models import Kecamatan

EXPORT_HEADERS = [
    *services.IMPORT_COLUMNS, "calon", "partai", "penanggung_jawab", "massa", "kendaraan", "kerawanan", "nomor_sttp",
    "status",
]  # fmt: skip


def export_row(e: Event) -> list[Any]:
    """A row in the import's own columns, so an export can be edited and imported again."""
    return [
        e.kind, e.title, e.kecamatan.name, e.place, e.lat, e.lng,
        timezone.localtime(e.starts_at).strftime("%Y-%m-%d %H:%M"), timezone.localtime(e.ends_at).strftime("%Y-%m-%d %H:%M"),
        e.candidate, e.party, e.organiser, e.crowd, e.vehicles, e.risk, e.sttp_number, e.get_status_display(),
    ]  # fmt: skip


CAPS = ("manage_events", "event_duty", "export_data", "import_data")


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_events")
    election = election_for(request, with_data=Event.objects.values("election_id"))
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("jenis", "")
    day = None
    raw_day = request.GET.get("tanggal", "")
    if raw_day:
        try:
            day = dt.date.fromisoformat(raw_day)
        except ValueError:
            day = None
    qs = selectors.events_for(
        request.user, search=q, kind=kind if kind in Event.Kind.values else "",
        kecamatan_id=int_param(request, "kecamatan"), election_id=election.pk if election else None, day=day,
    )  # fmt: skip
    fmt = export_format(request)
    if fmt:
        return export_list(
            request, fmt=fmt, filename="kegiatan", object_type="events.event", headers=EXPORT_HEADERS,
            rows=(export_row(e) for e in qs),
        )  # fmt: skip
    return render(
        request,
        "events/list.html",
        {
            **capability_flags(request, CAPS),
            "page": paginate(request, qs),
            "q": q,
            "kind": kind,
            "kinds": Event.Kind.choices,
            "day": raw_day,
            "election": election,
            "elections": Election.objects.order_by("-voting_on"),
            "kecamatan_list": scope_for(request.user).filter(Kecamatan.objects.order_by("name"), "id"),
            "kecamatan_id": int_param(request, "kecamatan"),
        },
    )


def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request, "manage_events")
    event = access_or_404(selectors.access_event, request, pk) if pk else None
    election = event.election if event else election_for(request)
    if election is None:
        messages.error(request, _("Belum ada pemilihan"))
        return redirect("events:list")
    kecamatan_qs = scope_for(request.user).filter(Kecamatan.objects.order_by("name"), "id")
    form = EventForm(request.POST or None, instance=event, election_id=election.pk, kecamatan_qs=kecamatan_qs)
    clashes: list[rules.Clash] = []
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in services.EDITABLE if k in form.cleaned_data}
        probe = Event(election=election, pk=event.pk if event else None, **fields)
        clashes = selectors.clashes(probe, user=request.user)
        if clashes and not form.cleaned_data.get("confirm_clashes"):
            form.add_error(
                None, _("Periksa peringatan bentrok di bawah, lalu centang konfirmasi untuk menyimpan.")
            )
        else:
            try:
                saved = (
                    services.update_event(actor=request.user, event=event, fields=fields)
                    if event
                    else services.create_event(actor=request.user, election=election, fields=fields)
                )
            except DomainError as exc:
                show_error(form, exc, message_on_top=True)
            else:
                messages.success(request, _("Kegiatan disimpan."))
                return redirect("events:detail", saved.pk)
    return render(
        request, "events/edit.html", {"form": form, "event": event, "election": election, "clashes": clashes}
    )


def event_import(request: HttpRequest) -> HttpResponse:
    require(request, "manage_events")
    election = election_for(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    result = None
    if request.method == "POST" and form.is_valid() and election is not None:
        upload = form.cleaned_data["file"]
        scope = scope_for(request.user)
        try:
            result = services.import_events(
                actor=request.user, election=election, source=upload.file, filename=upload.name,
                allowed_kecamatan=None if scope.is_unrestricted else set(scope.kecamatan_ids or ()),
            )  # fmt: skip
        except ImportRejected as exc:
            form.add_error(None, exc.message)
            errors = exc.rows
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(created)d kegiatan baru, %(updated)d diperbarui.") % result)
            return redirect("events:list")
    return render(
        request,
        "events/import.html",
        {"form": form, "errors": errors, "election": election, "columns": services.IMPORT_COLUMNS},
    )


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_events")
    event = access_or_404(selectors.access_event, request, pk)
    sectors = selectors.plan_of(event)
    assignments = list(selectors.assignments_of(event))
    need = rules.required_strength(crowd=event.crowd, vehicles=event.vehicles, risk=event.risk)
    return render(
        request,
        "events/detail.html",
        {
            **capability_flags(request, CAPS),
            "event": event,
            "clashes": selectors.clashes(event, user=request.user),
            "sectors": sectors,
            "commander": next((a for a in assignments if a.role == "commander"), None),
            "assignments": assignments,
            "checked_in": sum(1 for a in assignments if a.checked_in_at),
            "need": need,
            "need_total": sum(need.values()),
            "incidents": selectors.incidents_near(request.user, event),
            "status_form": StatusForm(initial={"status": event.status, "note": event.live_note}),
            "assign_form": AssignForm(event=event),
            "sector_form": SectorForm(),
            "after_form": AfterActionForm(initial={"text": event.after_action}),
        },
    )


def _domain_redirect(request: HttpRequest, pk: int, work: Any) -> HttpResponse:
    try:
        result = work()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if isinstance(result, str):
            messages.success(request, result)
    return redirect("events:detail", pk)


@require_POST
def plan_build(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_events")
    event = access_or_404(selectors.access_event, request, pk)
    return _domain_redirect(
        request, pk, lambda: services.plan_sectors(actor=request.user, event=event) and _("Sektor disusun.")
    )


@require_POST
def plan_fill(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_events")
    event = access_or_404(selectors.access_event, request, pk)
    pool = (
        scope_for(request.user)
        .filter(
            Personnel.objects.filter(status=Personnel.Status.ACTIVE).order_by("unit__order", "pk"),
            "unit__police_unit__jurisdiction",
        )
        .distinct()
    )

    def work() -> str:
        n = services.fill_plan(actor=request.user, event=event, pool=pool)
        return _("%(n)d personel ditambahkan (yang bertugas di tempat lain dilewati).") % {"n": n}

    return _domain_redirect(request, pk, work)


@require_POST
def sector_add(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_events")
    event = access_or_404(selectors.access_event, request, pk)
    form = SectorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Data sektor tidak lengkap."))
        return redirect("events:detail", pk)
    d = form.cleaned_data
    return _domain_redirect(
        request, pk,
        lambda: services.save_sector(actor=request.user, event=event, sector=None, ring=d["ring"], name=d["name"],
                                     task=d["task"], required=d["required"]) and _("Sektor ditambahkan."),
    )  # fmt: skip


@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_events")
    event = access_or_404(selectors.access_event, request, pk)
    form = AssignForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Data penugasan tidak lengkap."))
        return redirect("events:detail", pk)
    nrps = [n.strip() for n in form.cleaned_data["personnel"].split(",") if n.strip()]
    found = dict(Personnel.objects.filter(nrp__in=nrps).values_list("nrp", "pk"))
    missing = [n for n in nrps if n not in found]
    if missing:
        messages.error(request, _("NRP tidak dikenal: %(nrp)s") % {"nrp": ", ".join(missing)})
        return redirect("events:detail", pk)
    return _domain_redirect(
        request, pk,
        lambda: services.assign_officers(actor=request.user, event=event, sector=form.cleaned_data["sector"],
                                         personnel_ids=[found[n] for n in nrps], role=form.cleaned_data["role"])
        and _("Personel ditugaskan."),
    )  # fmt: skip


@require_POST
def unassign(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    require(request, "manage_events")
    event = access_or_404(selectors.access_event, request, pk)
    row = event.assignments.filter(pk=assignment_id).first()
    if row is not None:
        services.remove_assignment(actor=request.user, assignment=row)
    return redirect("events:detail", pk)


@require_POST
def check_in(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    require(request, "event_duty")
    event = access_or_404(selectors.access_event, request, pk)
    row = event.assignments.filter(pk=assignment_id).first()
    if row is not None:
        services.check_in(actor=request.user, assignment=row)
    return redirect("events:detail", pk)


@require_POST
def status(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "event_duty")
    event = access_or_404(selectors.access_event, request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return redirect("events:detail", pk)
    return _domain_redirect(
        request, pk,
        lambda: services.set_event_status(actor=request.user, event=event, status=form.cleaned_data["status"],
                                          note=form.cleaned_data["note"]) and _("Status disimpan."),
    )  # fmt: skip


@require_POST
def after_action(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "event_duty")
    event = access_or_404(selectors.access_event, request, pk)
    form = AfterActionForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    return _domain_redirect(
        request,
        pk,
        lambda: (
            services.record_after_action(actor=request.user, event=event, text=text)
            and _("Laporan disimpan.")
        ),
    )


def _pdf(request: HttpRequest, template: str, context: dict[str, Any], filename: str) -> HttpResponse:
    from weasyprint import HTML

    # Sprin and STTP are official documents: Bahasa Indonesia by law (UU 24/2009 Pasal 27) whatever the
    # language of the screen that prints them.
    with translation.override("id"):
        html = render_to_string(template, {**context, "printed_at": timezone.localtime()}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    # Every export is audited (G19), printed documents included.
    event = context["event"]
    record_export(request, object_type="events.event", object_repr=f"{filename} {event}", fmt="pdf", rows=1)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def sttp_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_events")
    event = access_or_404(selectors.access_event, request, pk)
    return _pdf(request, "events/sttp_pdf.html", {"event": event}, f"sttp-{event.pk}.pdf")


@require_GET
def sprin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_events")
    event = access_or_404(selectors.access_event, request, pk)
    assignments = list(selectors.assignments_of(event))
    return _pdf(
        request,
        "events/sprin_pdf.html",
        {
            "event": event,
            "sectors": selectors.plan_of(event),
            "commander": next((a for a in assignments if a.role == "commander"), None),
            "total": len(assignments),
        },
        f"sprin-kegiatan-{event.pk}.pdf",
    )


COLORS = {
    "campaign": "#d63384",
    "kpu": "#0d6efd",
    "debate": "#6f42c1",
    "pleno": "#198754",
    "other": "#6c757d",
}


@require_GET
def map_events(request: HttpRequest) -> JsonResponse:
    require(request, "view_events")
    now = timezone.now()
    qs = (
        selectors.events_for(request.user)
        .filter(ends_at__gte=now, starts_at__lte=now + dt.timedelta(days=7))
        .exclude(status=Event.Status.CANCELLED)
    )
    url = detail_url("events:detail")
    features = [
        feature(
            {"type": "Point", "coordinates": [e.lng, e.lat]},
            label=f"{e.title} ({timezone.localtime(e.starts_at):%d-%m %H:%M})",
            color=COLORS.get(e.kind, "#6c757d"),
            url=url(e.pk),
        )
        for e in qs[:500]
    ]
    return JsonResponse(feature_collection(features))
