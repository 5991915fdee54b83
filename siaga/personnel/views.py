"""Personnel pages: the personnel, equipment and BKO registries, the DSP import, and the apel kesiapan
(roll-call, equipment check, lock, readiness roll-up and its PDF/XLSX report).

The roll-call endpoints answer JSON for `static/personnel/rollcall.js`: each tap is saved at once and the
response carries the new summary, so the screen never reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from siaga.accounts.roles import can
from siaga.core.audit import record_change
from siaga.core.errors import DomainError, NotFound
from siaga.core.jobs import start_job
from siaga.core.models import AuditEvent
from siaga.core.pages import (
    access_or_404,
    export_format,
    export_list,
    int_param,
    paginate,
    remembered,
    require,
    save_upload,
)
from siaga.personnel import reports, selectors, services
from siaga.personnel.forms import ApelSessionForm, PersonnelImportForm
from siaga.personnel.models import (
    ApelEntry,
    ApelEquipmentCheck,
    ApelSession,
    BkoAttachment,
    Equipment,
    PartnerForce,
    Personnel,
)
from siaga.personnel.tasks import import_personnel_task

# Short labels for the one-tap buttons (the full labels are in the model); lazy, so each request gets its language.
STATUS_BUTTONS = [
    (ApelEntry.Status.PRESENT, gettext_lazy("Hadir")),
    (ApelEntry.Status.SICK, gettext_lazy("Sakit")),
    (ApelEntry.Status.LEAVE, gettext_lazy("Izin")),
    (ApelEntry.Status.DUTY, gettext_lazy("Dinas")),
    (ApelEntry.Status.BKO_OUT, gettext_lazy("BKO")),
    (ApelEntry.Status.ABSENT, pgettext_lazy("apel status", "Absen")),
]


def _json_error(exc: DomainError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status)


def _domain_json(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """Run a JSON endpoint, answering domain errors (locked apel, lost race, bad input) in the API's shape."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return _json_error(exc)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _access_apel(request: HttpRequest, pk: int) -> ApelSession:
    return access_or_404(selectors.access_apel, request, pk)


# --- registries --------------------------------------------------------------------------------------------


def personnel_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_personnel")
    filters = {
        "unit_id": int_param(request, "unit"),
        "rank_id": int_param(request, "rank"),
        "status": request.GET.get("status", "")
        if request.GET.get("status", "") in Personnel.Status.values
        else "",
        "search": request.GET.get("q", "").strip(),
    }
    qs = selectors.personnel_for(request.user, **filters)  # type: ignore[arg-type]
    if fmt := export_format(request):
        return export_list(
            request,
            fmt=fmt,
            filename="personel",
            object_type="personnel.personnel",
            headers=[
                "nrp",
                "nama",
                "pangkat",
                "satuan",
                "jabatan",
                "telepon",
                "status",
                "kode_desa_binaan",
                "sintetis",
            ],
            rows=(
                (
                    p.nrp,
                    p.name,
                    p.rank.abbreviation,
                    p.unit.name,
                    p.position,
                    p.phone,
                    p.status,
                    p.desa.code if p.desa else "",
                    "ya" if p.is_synthetic else "",
                )
                for p in qs
            ),
        )
    return render(
        request,
        "personnel/personnel_list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "units": selectors.units_for(request.user),
            "ranks": selectors.ranks(),
            "statuses": Personnel.Status.choices,
            "can_import": can(request.user, "import_data") and can(request.user, "manage_personnel"),
        },
    )


def personnel_import(request: HttpRequest) -> HttpResponse:
    require(request, "manage_personnel")
    require(request, "import_data")
    polres = selectors.user_polres(request.user)
    form = PersonnelImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and polres is not None:
        upload = form.cleaned_data["file"]
        path = save_upload(upload, stem="personel")
        job = start_job(
            kind="import_personnel",
            title=_("Impor personel (%(f)s)") % {"f": upload.name},
            task=import_personnel_task,
            actor=request.user,
            params={"path": str(path), "polres_id": polres.pk},
        )
        messages.info(
            request,
            _("Berkas diterima; impor berjalan di latar."),
        )
        return redirect("job_detail", pk=job.pk)
    return render(request, "personnel/personnel_import.html", {"form": form, "polres": polres})


def equipment_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_personnel")
    kind = request.GET.get("kind", "")
    kind = kind if kind in Equipment.Kind.values else ""
    search = request.GET.get("q", "").strip()
    unit_id = int_param(request, "unit")
    qs = selectors.equipment_for(request.user, kind=kind, unit_id=unit_id, search=search)
    if fmt := export_format(request):
        return export_list(
            request,
            fmt=fmt,
            filename="peralatan",
            object_type="personnel.equipment",
            headers=[
                "jenis",
                "nopol_seri",
                "keterangan",
                "satuan",
                "jumlah",
                "kondisi",
                "pemegang_nrp",
                "pemegang",
            ],
            rows=(
                (
                    e.get_kind_display(),
                    e.identifier,
                    e.description,
                    e.unit.name,
                    e.quantity,
                    e.get_condition_display(),
                    e.holder.nrp if e.holder else "",
                    e.holder.name if e.holder else "",
                )
                for e in qs
            ),
        )
    return render(
        request,
        "personnel/equipment_list.html",
        {
            "page": paginate(request, qs),
            "kind": kind,
            "kinds": Equipment.Kind.choices,
            "search": search,
            "unit_id": unit_id,
            "units": selectors.units_for(request.user),
        },
    )


def bko_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_personnel")
    direction = request.GET.get("direction", "")
    direction = direction if direction in BkoAttachment.Direction.values else ""
    return render(
        request,
        "personnel/bko_list.html",
        {
            "bko": selectors.bko_for(request.user, direction=direction)[:300],
            "direction": direction,
            "directions": BkoAttachment.Direction.choices,
            "partner_totals": selectors.partner_totals(request.user),
            "partner_named": selectors.partner_forces_for(request.user).exclude(person_name="")[:200],
            "partner_kinds": PartnerForce.Kind.choices,
        },
    )


# --- apel sessions -----------------------------------------------------------------------------------------


def apel_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_personnel")
    polres = selectors.user_polres(request.user)
    can_create = can(request.user, "lock_apel") and polres is not None
    operations = selectors.operation_choices()
    # The operation picked here (or on an earlier visit) filters the list and is the new apel's default.
    operation = remembered(request, "operasi")
    if operation and operation not in dict(operations):
        operation = ""
    form = ApelSessionForm(
        request.POST or None, operations=operations, initial={"operation_slug": operation or None}
    )
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                session = services.create_apel_session(actor=request.user, polres=polres, **form.cleaned_data)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Apel dibuka."))
                return redirect("personnel:apel", pk=session.pk)
    sessions = list(selectors.apel_sessions_for(request.user, operation_slug=operation)[:100])
    labels = dict(operations)
    for s in sessions:
        s.operation_label = labels.get(s.operation_slug, s.operation_slug)  # type: ignore[attr-defined]
    context = {
        "sessions": sessions,
        "form": form,
        "can_create": can_create,
        "operations": operations,
        "operation": operation,
    }
    return render(request, "personnel/apel_list.html", context)


# Up to this many officers the roll-call shows every row at once (a Polsek's apel); above it (a whole Polres,
# 600-1,000 officers: 1.5 MB and 112,000 px on a phone) units start collapsed and load their rows on demand.
INLINE_ROSTER_LIMIT = 150
# A search over a whole Polres shows at most this many rows.
SEARCH_ROWS_LIMIT = 100


def _roll_call_context(request: HttpRequest, session: ApelSession) -> dict[str, Any]:
    return {
        "session": session,
        "buttons": STATUS_BUTTONS,
        "locked": session.is_locked,
    }


def apel_roll_call(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone-first roll-call: the units the user may mark, each with "all present", then one-tap buttons
    per officer for the exceptions. A large roster starts with its units collapsed (rows load per unit)."""
    require(request, "take_apel")
    session = _access_apel(request, pk)
    summary = selectors.apel_summary(request.user, session)
    units = selectors.unit_counts(request.user, session)
    inline = summary["roster"] <= INLINE_ROSTER_LIMIT
    if inline:
        by_unit: dict[int, list[ApelEntry]] = {}
        for entry in selectors.roster_for(request.user, session):
            by_unit.setdefault(entry.unit_id, []).append(entry)
        for unit in units:
            unit["entries"] = by_unit.get(unit["id"], [])
    return render(
        request,
        "personnel/apel_roll_call.html",
        {
            **_roll_call_context(request, session),
            "units": units,
            "inline": inline,
            "summary": summary,
            "kit_items": list(selectors.kit_items()),
            "operation": selectors.operation_label(session.operation_slug),
            "can_lock": can(request.user, "lock_apel"),
            "health_choices": [c for c in ApelEntry.Health.choices if c[0]],
        },
    )


@require_GET
def apel_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows of one unit (`?unit=`), or of a search over the whole roster (`?q=`), as an HTML fragment
    for rollcall.js; `?belum=1` keeps only officers not yet marked."""
    require(request, "take_apel")
    session = _access_apel(request, pk)
    unit_id = int_param(request, "unit")
    search = request.GET.get("q", "").strip()
    if not unit_id and len(search) < 2:
        return HttpResponse(status=400)
    qs = selectors.roster_for(request.user, session, unit_id=unit_id, search=search)
    if request.GET.get("belum") == "1":
        qs = qs.filter(status=ApelEntry.Status.UNMARKED)
    entries = list(qs if unit_id else qs[: SEARCH_ROWS_LIMIT + 1])
    return render(
        request,
        "personnel/_apel_rows.html",
        {
            **_roll_call_context(request, session),
            "entries": entries[:SEARCH_ROWS_LIMIT] if not unit_id else entries,
            "more": not unit_id and len(entries) > SEARCH_ROWS_LIMIT,
            "show_unit": not unit_id,
        },
    )


@require_POST
@_domain_json
def apel_unit_present(request: HttpRequest, pk: int, unit_pk: int) -> JsonResponse:
    """ "Semua hadir": every unmarked officer of the unit is marked present; the exceptions follow by tap."""
    require(request, "take_apel")
    session = _access_apel(request, pk)
    entries = selectors.roster_for(request.user, session, unit_id=unit_pk)
    if not entries.exists():
        raise NotFound(_("Satuan tidak ada dalam apel ini"))
    marked = services.mark_unit_present(actor=request.user, session=session, entries=entries)
    unit = next(u for u in selectors.unit_counts(request.user, session) if u["id"] == unit_pk)
    return JsonResponse(
        {
            "marked": marked,
            "status": ApelEntry.Status.PRESENT,
            "status_label": ApelEntry.Status.PRESENT.label,
            "unit": unit,
            "summary": selectors.apel_summary(request.user, session),
        }
    )


@require_GET
@_domain_json
def apel_summary(request: HttpRequest, pk: int) -> JsonResponse:
    require(request, "take_apel")
    session = _access_apel(request, pk)
    return JsonResponse(
        {
            "summary": selectors.apel_summary(request.user, session),
            "units": selectors.unit_counts(request.user, session),
            "locked": session.is_locked,
        }
    )


def _entry_json(request: HttpRequest, session: ApelSession, entry: ApelEntry) -> JsonResponse:
    return JsonResponse(
        {
            "entry": {
                "id": entry.pk,
                "status": entry.status,
                "status_label": entry.get_status_display(),
                "reason": entry.reason,
                "health": entry.health,
                "kit_checked": entry.kit_checked,
                "kit_missing": sorted(entry.kit_missing.values_list("code", flat=True)),
                "version": entry.version,
            },
            "summary": selectors.apel_summary(request.user, session),
        }
    )


@require_POST
@_domain_json
def apel_mark(request: HttpRequest, pk: int, entry_pk: int) -> JsonResponse:
    require(request, "take_apel")
    session = _access_apel(request, pk)
    entry = selectors.access_entry(request.user, session, entry_pk)
    entry = services.mark_attendance(
        actor=request.user,
        entry=entry,
        status=request.POST.get("status", ""),
        reason=request.POST.get("reason", ""),
    )
    return _entry_json(request, session, entry)


@require_POST
@_domain_json
def apel_kit(request: HttpRequest, pk: int, entry_pk: int) -> JsonResponse:
    require(request, "take_apel")
    session = _access_apel(request, pk)
    entry = selectors.access_entry(request.user, session, entry_pk)
    entry = services.check_kit(actor=request.user, entry=entry, missing_codes=request.POST.getlist("missing"))
    return _entry_json(request, session, entry)


@require_POST
@_domain_json
def apel_health(request: HttpRequest, pk: int, entry_pk: int) -> JsonResponse:
    require(request, "take_apel")
    session = _access_apel(request, pk)
    entry = selectors.access_entry(request.user, session, entry_pk)
    entry = services.check_health(actor=request.user, entry=entry, health=request.POST.get("health", ""))
    return _entry_json(request, session, entry)


def apel_equipment(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "take_apel")
    session = _access_apel(request, pk)
    category = request.GET.get("category", Equipment.Category.VEHICLE)
    category = category if category in Equipment.Category.values else Equipment.Category.VEHICLE
    return render(
        request,
        "personnel/apel_equipment.html",
        {
            "session": session,
            "checks": selectors.equipment_checks_for(request.user, session, category=category),
            "category": category,
            "categories": Equipment.Category.choices,
            "results": [c for c in ApelEquipmentCheck.Result.choices if c[0]],
            "readiness": selectors.equipment_readiness(request.user, session),
        },
    )


@require_POST
@_domain_json
def apel_equipment_check(request: HttpRequest, pk: int, check_pk: int) -> JsonResponse:
    require(request, "take_apel")
    session = _access_apel(request, pk)
    check = selectors.access_equipment_check(request.user, session, check_pk)
    raw = request.POST.get("ready_quantity", "")
    check = services.check_equipment(
        actor=request.user,
        check=check,
        result=request.POST.get("result", ""),
        ready_quantity=int(raw) if raw.isdigit() else None,
    )
    return JsonResponse(
        {
            "check": {
                "id": check.pk,
                "result": check.result,
                "result_label": check.get_result_display(),
                "ready_quantity": check.ready_quantity,
            },
            "equipment": selectors.equipment_readiness(request.user, session),
        }
    )


@require_POST
def apel_lock(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "lock_apel")
    session = _access_apel(request, pk)
    try:
        services.lock_apel(actor=request.user, session=session)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("personnel:apel", pk=pk)
    messages.success(request, _("Hasil apel dikunci."))
    return redirect("personnel:apel_readiness", pk=pk)


@require_POST
def apel_self_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The commander lets officers mark themselves present from the field app, or stops it."""
    require(request, "lock_apel")
    session = _access_apel(request, pk)
    allowed = request.POST.get("allowed") == "1"
    try:
        services.set_self_check_in(actor=request.user, session=session, allowed=allowed)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Absen mandiri diizinkan.") if allowed else _("Absen mandiri ditutup."))
    return redirect("personnel:apel", pk=pk)


def apel_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_personnel")
    session = _access_apel(request, pk)
    return render(
        request,
        "personnel/apel_readiness.html",
        {
            "session": session,
            "r": selectors.readiness(request.user, session),
            "trend": selectors.trend(request.user, session),
            "operation": selectors.operation_label(session.operation_slug),
            "statuses": [s for s in ApelEntry.Status.choices if s[0] != ApelEntry.Status.PRESENT],
            "is_latest_locked": session.is_locked
            and selectors.latest_locked_apel(polres=session.polres, operation_slug=session.operation_slug)
            == session,
        },
    )


def _report_audit(request: HttpRequest, session: ApelSession, fmt: str) -> None:
    record_change(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        obj=session,
        after={"format": fmt},
        message=_("laporan apel"),
    )


def apel_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "export_data")
    session = _access_apel(request, pk)
    data = reports.render_pdf(
        request,
        selectors.readiness(request.user, session),
        operation=selectors.operation_label(session.operation_slug),
    )
    _report_audit(request, session, "pdf")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="apel-{session.held_on:%Y%m%d}-{session.pk}.pdf"'
    return response


def apel_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "export_data")
    session = _access_apel(request, pk)
    data = reports.render_xlsx(
        selectors.readiness(request.user, session),
        roster=selectors.roster_for(request.user, session),
        operation=selectors.operation_label(session.operation_slug),
    )
    _report_audit(request, session, "xlsx")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="apel-{session.held_on:%Y%m%d}-{session.pk}.xlsx"'
    )
    return response


# --- equipment, BKO and partner-force imports --------------------------------------------------------------

RESOURCE_TITLES = {
    "equipment": gettext_lazy("Impor peralatan"),
    "bko": gettext_lazy("Impor BKO"),
    "partner_forces": gettext_lazy("Impor pasukan mitra"),
}


def resource_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload a list; the import runs as a background job with a progress bar (siaga.personnel.imports)."""
    from siaga.personnel.forms import ResourceImportForm
    from siaga.personnel.imports import SPECS, start_resource_import

    require(request, "manage_personnel")
    require(request, "import_data")
    if kind not in SPECS:
        from django.http import Http404

        raise Http404
    polres = selectors.user_polres(request.user)
    form = ResourceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and polres is not None:
        upload = form.cleaned_data["file"]
        path = save_upload(upload, stem=kind)
        job = start_resource_import(
            actor=request.user,
            kind=kind,
            polres=polres,
            path=str(path),
            title=f"{RESOURCE_TITLES[kind]} ({upload.name})",
        )
        messages.info(request, _("Berkas diterima; impor berjalan di latar."))
        return redirect("job_detail", pk=job.pk)
    spec = SPECS[kind]
    return render(
        request,
        "personnel/resource_import.html",
        {
            "form": form,
            "polres": polres,
            "title": RESOURCE_TITLES[kind],
            "required": ", ".join(spec.required),
            "columns": spec.help,
        },
    )
