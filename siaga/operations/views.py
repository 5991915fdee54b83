"""Operations pages: overview, operation and timeline, stages, siaga level, patterns, TPS categories,
assessment import, required strength (page, PDF, XLSX) and the TPS category map layer. Views stay thin:
selectors read (scoped), services write (audited)."""

from __future__ import annotations

import dataclasses
import io
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from siaga.accounts.roles import can
from siaga.accounts.selectors import scope_for
from siaga.core import pages
from siaga.core.errors import DomainError, NotFound
from siaga.core.errors import PermissionDenied as DomainPermissionDenied
from siaga.core.forms import show_error
from siaga.core.maplayers import detail_url, position
from siaga.core.pages import (
    access_or_404,
    export_format,
    export_list,
    int_param,
    paginate,
    record_export,
    require,
    save_upload,
)
from siaga.operations import selectors, services
from siaga.operations.forms import (
    AssessmentForm,
    AssessmentImportForm,
    BulkCategoryForm,
    DecideForm,
    OperationForm,
    PatternForm,
    SiagaForm,
    StageForm,
    TemplateCopyForm,
)
from siaga.operations.models import IndicatorSet, Operation, SecurityPattern, VulnerabilityCategory
from siaga.operations.reference import PATTERN_TEMPLATES
from siaga.territory.models import Kecamatan, PoliceUnit

# --- helpers -------------------------------------------------------------------------------------------------


def _election(request: HttpRequest) -> Any:
    asked = request.GET.get("election") or request.POST.get("election")
    try:
        election = selectors.election_or_default(pages.remembered(request, "election"))
    except NotFound as exc:
        if asked:
            raise Http404(exc.message) from exc
        pages.forget(request, "election")  # the remembered election is gone: back to the default
        election = selectors.election_or_default(None)
    if election is None:
        raise Http404(_("Belum ada pemilihan"))
    return election


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


# --- overview, operation, timeline, stages -------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    require(request, "view_operations")
    rows = []
    for election in selectors.elections():
        rows.append(
            {
                "election": election,
                "status": selectors.today_status(request.user, election),
                "operations": list(selectors.operations_for(request.user, election=election)),
            }
        )
    return render(request, "operations/index.html", {"rows": rows})


def operation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    require(request, "view_operations")
    operation = _access_operation(request, slug)
    status = selectors.today_status(request.user, operation.election)
    form = SiagaForm(initial={"level": status.siaga.level if status.siaga else "normal"})
    return render(
        request,
        "operations/operation_detail.html",
        {
            "operation": operation,
            "status": status,
            "satgas": selectors.satgas_tree(operation),
            "phases": list(operation.phases.all()),
            "siaga_history": selectors.siaga_history(operation),
            "siaga_form": form,
            "can_manage": can(request.user, "manage_operations"),
        },
    )


def _access_operation(request: HttpRequest, slug: str) -> Operation:
    return access_or_404(selectors.access_operation, request, slug)


@require_POST
def siaga_set(request: HttpRequest, slug: str) -> HttpResponse:
    require(request, "manage_operations")
    operation = _access_operation(request, slug)
    form = SiagaForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        fraction = None
        if data.get("numerator") is not None and data.get("denominator"):
            fraction = Fraction(data["numerator"], data["denominator"])
        try:
            services.set_siaga_level(
                actor=request.user,
                operation=operation,
                level=data["level"],
                reason=data["reason"],
                effective_at=data.get("effective_at"),
                reference_text=data.get("reference") or "",
                fraction=fraction,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Status siaga dicatat."))
    else:
        messages.error(request, _("Periksa isian status siaga."))
    return redirect("operations:operation_detail", slug=operation.slug)


def operation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    require(request, "manage_operations")
    operation = _access_operation(request, slug)
    form = OperationForm(request.POST or None, instance=operation)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.changed_data}
        operation.refresh_from_db()
        try:
            services.update_operation(actor=request.user, operation=operation, data=data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Operasi disimpan."))
            return redirect("operations:operation_detail", slug=operation.slug)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": operation.name, "back": reverse("operations:operation_detail", args=[slug])},
    )


def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    """Stages, phases and siaga changes in date order, each with its H-day; today is marked."""
    require(request, "view_operations")
    operation = _access_operation(request, slug)
    election = operation.election
    today = timezone.localdate()
    events: list[dict[str, Any]] = []
    for stage in selectors.stages_of(election):
        events.append(
            {
                "kind": "stage",
                "starts_on": stage.starts_on,
                "ends_on": stage.ends_on,
                "title": stage.name,
                "key": stage.is_key,
                "obj": stage,
                "active": stage.covers(today),
            }
        )
    for phase in operation.phases.all():
        events.append(
            {
                "kind": "phase",
                "starts_on": phase.starts_on,
                "ends_on": phase.ends_on,
                "title": f"{phase.get_kind_display()} · {operation.name}",
                "key": True,
                "obj": phase,
                "active": phase.starts_on <= today <= phase.ends_on,
            }
        )
    for change in selectors.siaga_history(operation):
        day = timezone.localtime(change.effective_at).date()
        events.append(
            {
                "kind": "siaga",
                "starts_on": day,
                "ends_on": day,
                "title": change.get_level_display(),
                "key": True,
                "obj": change,
                "active": False,
            }
        )
    events.sort(key=lambda e: (e["starts_on"], e["ends_on"], e["kind"]))
    status = selectors.today_status(request.user, election)
    return render(
        request,
        "operations/timeline.html",
        {
            "operation": operation,
            "election": election,
            "events": events,
            "status": status,
            "today": today,
            "can_manage": can(request.user, "manage_operations"),
        },
    )


def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_operations")
    try:
        stage = selectors.access_stage(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = StageForm(request.POST or None, instance=stage)
    back = request.GET.get("next") or reverse("operations:index")
    if not back.startswith("/"):
        back = reverse("operations:index")
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.changed_data}
        stage.refresh_from_db()
        try:
            services.update_stage(actor=request.user, stage=stage, data=data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Tahapan disimpan."))
            return redirect(back)
    return render(request, "operations/form.html", {"form": form, "title": stage.name, "back": back})


# --- patterns ----------------------------------------------------------------------------------------------


def _polres(request: HttpRequest) -> PoliceUnit:
    units = list(selectors.polres_for(request.user))
    wanted = _int(request.GET.get("polres") or request.POST.get("polres"))
    unit = next((u for u in units if u.pk == wanted), units[0] if units else None)
    if unit is None:
        raise Http404(_("Tidak ada Polres dalam wilayah Anda"))
    return unit


def _named_templates() -> list[Any]:
    """The published pattern templates with category names ("Kurang rawan") in place of codes (kurang_rawan)."""
    names = dict(VulnerabilityCategory.objects.values_list("code", "name"))
    return [
        dataclasses.replace(
            t,
            lines=tuple(
                dataclasses.replace(line, category=names.get(line.category, line.category))
                for line in t.lines
            ),
        )
        for t in PATTERN_TEMPLATES
    ]


def pattern_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_operations")
    election = _election(request)
    polres = _polres(request)
    patterns = list(selectors.patterns_for(request.user, election=election).filter(polres=polres))
    return render(
        request,
        "operations/pattern_list.html",
        {
            "election": election,
            "polres": polres,
            "patterns": patterns,
            "elections": selectors.elections(),
            "templates": _named_templates(),
            "copy_form": TemplateCopyForm(),
            "form": PatternForm(),
            "can_manage": can(request.user, "manage_operations"),
        },
    )


def pattern_create(request: HttpRequest) -> HttpResponse:
    require(request, "manage_operations")
    election = _election(request)
    polres = _polres(request)
    form = PatternForm(request.POST or None, initial={"police": 2, "tps": 1, "is_default": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pattern(
                actor=request.user, polres=polres, election=election, data=form.cleaned_data
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Pola disimpan."))
            return redirect(
                f"{reverse('operations:pattern_list')}?election={election.slug}&polres={polres.pk}"
            )
    return render(
        request,
        "operations/form.html",
        {
            "form": form,
            "title": _("Pola baru: %(p)s, %(e)s") % {"p": polres, "e": election},
            "back": reverse("operations:pattern_list"),
            "hidden": {"election": election.slug, "polres": polres.pk},
        },
    )


def pattern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_operations")
    try:
        pattern = selectors.access_pattern(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = PatternForm(request.POST or None, instance=pattern)
    back = f"{reverse('operations:pattern_list')}?election={pattern.election.slug}&polres={pattern.polres_id}"
    if request.method == "POST":
        if "delete" in request.POST:
            services.delete_pattern(actor=request.user, pattern=pattern)
            messages.success(request, _("Pola dihapus."))
            return redirect(back)
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in form.changed_data}
            pattern = SecurityPattern.objects.get(pk=pattern.pk)
            try:
                services.save_pattern(
                    actor=request.user,
                    polres=pattern.polres,
                    election=pattern.election,
                    data=data,
                    pattern=pattern,
                )
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Pola disimpan."))
                return redirect(back)
    return render(
        request,
        "operations/form.html",
        {"form": form, "title": str(pattern), "back": back, "deletable": True},
    )


@require_POST
def pattern_copy_template(request: HttpRequest) -> HttpResponse:
    require(request, "manage_operations")
    election = _election(request)
    polres = _polres(request)
    form = TemplateCopyForm(request.POST)
    if form.is_valid():
        try:
            saved = services.copy_pattern_template(
                actor=request.user, key=form.cleaned_data["template"], polres=polres, election=election
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s sub-pola disalin.") % {"n": len(saved)})
    return redirect(f"{reverse('operations:pattern_list')}?election={election.slug}&polres={polres.pk}")


# --- TPS categories ----------------------------------------------------------------------------------------


def category_list(request: HttpRequest) -> HttpResponse:
    """Operations staff: TPS with categories, filters, bulk edit and export. Partners: aggregate counts only."""
    if not (can(request.user, "view_operations") or can(request.user, "view_sites")):
        raise DjangoPermissionDenied
    election = _election(request)
    counts = selectors.category_counts(request.user, election=election)
    if not selectors.can_see_categories(request.user, election):
        return render(
            request,
            "operations/category_summary.html",
            {
                "election": election,
                "counts": counts,
                "elections": selectors.elections(),
                "total": sum(c["count"] for c in counts),
            },
        )
    kecamatan_id = int_param(request, "kecamatan")
    category_id = int_param(request, "category")
    search = request.GET.get("q", "").strip()
    uncategorised = request.GET.get("uncategorised") == "1"
    filters = {
        "kecamatan": kecamatan_id,
        "category": category_id,
        "q": search,
        "uncategorised": uncategorised,
    }
    qs = selectors.tps_with_categories(
        request.user,
        election=election,
        kecamatan_id=kecamatan_id,
        category_id=category_id,
        uncategorised=uncategorised,
        search=search,
    )
    if fmt := export_format(request):
        return export_list(
            request,
            fmt=fmt,
            filename=f"kategori-tps-{election.slug}",
            object_type="operations.tpscategory",
            headers=["kode_tps", "kecamatan", "desa", "nomor_tps", "kategori", "sub_pola", "dasar_penetapan"],
            rows=(
                (
                    t.code,
                    t.kecamatan.name,
                    t.desa.name,
                    t.number,
                    t.vulnerability.category.code if hasattr(t, "vulnerability") else "",
                    t.vulnerability.pattern.name
                    if hasattr(t, "vulnerability") and t.vulnerability.pattern
                    else "",
                    t.vulnerability.justification if hasattr(t, "vulnerability") else "",
                )
                for t in qs
            ),
        )
    page = paginate(request, qs)
    kecamatan = scope_for(request.user).filter(Kecamatan.objects.defer("boundary"), "id")
    return render(
        request,
        "operations/category_list.html",
        {
            "election": election,
            "page": page,
            "filters": filters,
            "counts": counts,
            "elections": selectors.elections(),
            "categories": selectors.categories(),
            "kecamatan": kecamatan,
            "bulk_form": BulkCategoryForm(),
            "can_edit": can(request.user, "manage_operations"),
            "can_export": can(request.user, "export_data"),
        },
    )


@require_POST
def category_bulk(request: HttpRequest) -> HttpResponse:
    """Set one category for the ticked TPS, or for every TPS matching the list's filters."""
    require(request, "manage_operations")
    election = _election(request)
    form = BulkCategoryForm(request.POST)
    back = request.POST.get("next", "")
    back = back if back.startswith("/") else f"{reverse('operations:category_list')}?election={election.slug}"
    if not form.is_valid():
        messages.error(
            request,
            _("Pilih kategori dan isi dasar penetapan."),
        )
        return redirect(back)
    qs = selectors.tps_with_categories(request.user, election=election)
    if request.POST.get("scope") == "filtered":
        qs = selectors.tps_with_categories(
            request.user,
            election=election,
            kecamatan_id=_int(request.POST.get("f_kecamatan")),
            category_id=_int(request.POST.get("f_category")),
            search=request.POST.get("f_q", ""),
            uncategorised=request.POST.get("f_uncategorised") == "1",
        )
    else:
        ids = [int(v) for v in request.POST.getlist("tps") if v.isdigit()]
        qs = qs.filter(pk__in=ids)
    tps_list = list(qs)
    if not tps_list:
        messages.error(request, _("Tidak ada TPS yang dipilih."))
        return redirect(back)
    try:
        changed = services.bulk_decide_categories(
            actor=request.user,
            tps_list=tps_list,
            category=form.cleaned_data["category"],
            justification=form.cleaned_data["justification"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s TPS diubah.") % {"n": changed})
    return redirect(back)


def _access_tps(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.access_tps(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def tps_category(request: HttpRequest, pk: int) -> HttpResponse:
    """One TPS: current category, decision form, assessments (with a new-assessment form) and the history."""
    tps = _access_tps(request, pk)
    current = selectors.category_of(tps)
    patterns = SecurityPattern.objects.filter(
        election=tps.election, polres__kabupaten_id=tps.kecamatan.kabupaten_id
    ).select_related("category")
    decide_form = DecideForm(
        request.POST if "decide" in request.POST else None,
        patterns=patterns,
        initial={"category": current.category if current else None},
    )
    sets = list(IndicatorSet.objects.all())
    chosen_set = next((s for s in sets if str(s.pk) == request.GET.get("set", "")), None) or next(
        (s for s in sets if s.election_kind == tps.election.kind), sets[0] if sets else None
    )
    assess_form = None
    if chosen_set is not None:
        assess_form = AssessmentForm(
            request.POST if "assess" in request.POST else None,
            indicator_set=chosen_set,
            initial={"assessed_on": timezone.localdate()},
        )
    if request.method == "POST":
        require(request, "manage_operations")
        try:
            if "decide" in request.POST and decide_form.is_valid():
                assessment_id = _int(request.POST.get("assessment"))
                services.decide_category(
                    actor=request.user,
                    tps=tps,
                    category=decide_form.cleaned_data["category"],
                    justification=decide_form.cleaned_data["justification"],
                    pattern=decide_form.cleaned_data.get("pattern"),
                    assessment=tps.assessments.filter(pk=assessment_id).first() if assessment_id else None,
                )
                messages.success(request, _("Kategori ditetapkan."))
                return redirect("operations:tps_category", pk=tps.pk)
            if (
                "assess" in request.POST
                and assess_form is not None
                and chosen_set is not None
                and assess_form.is_valid()
            ):
                a = services.record_assessment(
                    actor=request.user,
                    tps=tps,
                    indicator_set=chosen_set,
                    values=assess_form.values(),
                    assessed_on=assess_form.cleaned_data["assessed_on"],
                    evidence=assess_form.cleaned_data["evidence"],
                )
                messages.success(request, _("Penilaian dicatat: %(e)s") % {"e": a.explanation})
                return redirect("operations:tps_category", pk=tps.pk)
        except DomainError as exc:
            show_error(decide_form if "decide" in request.POST else assess_form, exc)
    return render(
        request,
        "operations/tps_category.html",
        {
            "tps": tps,
            "current": current,
            "history": selectors.category_history(tps),
            "assessments": selectors.assessments_of(tps),
            "decide_form": decide_form,
            "assess_form": assess_form,
            "sets": sets,
            "chosen_set": chosen_set,
            "can_edit": can(request.user, "manage_operations"),
        },
    )


def assessment_import(request: HttpRequest) -> HttpResponse:
    require(request, "import_data")
    require(request, "manage_operations")
    form = AssessmentImportForm(
        request.POST or None, request.FILES or None, initial={"election": selectors.election_or_default(None)}
    )
    if request.method == "POST" and form.is_valid():
        election = form.cleaned_data["election"]
        path = save_upload(form.cleaned_data["file"], stem=f"penilaian-{election.slug}")
        job = services.start_assessment_import(actor=request.user, election=election, path=str(path))
        messages.info(
            request,
            _("Berkas diterima; impor berjalan di latar."),
        )
        return redirect("job_detail", pk=job.pk)
    sets = IndicatorSet.objects.prefetch_related("indicators")
    return render(request, "operations/assessment_import.html", {"form": form, "sets": sets})


# --- required strength -------------------------------------------------------------------------------------


def required_strength(request: HttpRequest) -> HttpResponse:
    require(request, "view_operations")
    election = _election(request)
    report = selectors.required_strength(request.user, election=election)
    fmt = request.GET.get("export", "")
    context = {
        "election": election,
        "report": report,
        "elections": selectors.elections(),
        "generated_at": timezone.localtime(),
        "can_export": can(request.user, "export_data"),
    }
    if fmt in {"pdf", "xlsx"}:
        require(request, "export_data")
        record_export(
            request,
            object_type="operations.requiredstrength",
            object_repr=f"kebutuhan-{election.slug}.{fmt}",
            fmt=fmt,
            rows=len(report.result.rows),
        )
        if fmt == "xlsx":
            return _strength_xlsx(report)
        return _strength_pdf(request, context)
    return render(request, "operations/required_strength.html", context)


def _strength_xlsx(report: selectors.StrengthReport) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Polsek"))
    ws.append([_("satuan"), "TPS", _("kelompok"), "Polri", "Linmas", "TNI"])
    for row in report.unit_rows():
        n = row["need"]
        ws.append([row["unit"].name, n.tps, n.groups, n.police, n.linmas, n.tni])
    t = report.result.total
    ws.append([_("JUMLAH"), t.tps, t.groups, t.police, t.linmas, t.tni])
    ws.append([_("tersedia (Polri)"), None, None, report.police_available])
    ws.append([_("kekurangan (Polri)"), None, None, report.shortfall])
    groups = wb.create_sheet(_("Kelompok TPS"))
    groups.append(
        [
            _("satuan"),
            _("kategori"),
            _("sub-pola"),
            _("Polri/kelompok"),
            _("TPS/kelompok"),
            "TPS",
            _("kelompok"),
            "Polri",
            "Linmas",
            "TNI",
        ]
    )
    for unit, category, g in report.group_rows():
        groups.append(
            [
                unit.name,
                category.label,
                g.pattern.label,
                g.pattern.police,
                g.pattern.tps,
                g.need.tps,
                g.need.groups,
                g.need.police,
                g.need.linmas,
                g.need.tni,
            ]
        )
    for title, rows in ((_("Kecamatan"), report.kecamatan_rows()), (_("Desa"), report.desa_rows())):
        sheet = wb.create_sheet(title)
        sheet.append([_("nama"), "TPS", _("kelompok"), "Polri", "Linmas", "TNI"])
        for place, n in rows:
            sheet.append([place.name, n.tps, n.groups, n.police, n.linmas, n.tni])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="kebutuhan-{report.election.slug}.xlsx"'
    return response


def _strength_pdf(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    from weasyprint import HTML

    html = render_to_string("operations/required_strength_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kebutuhan-{context["election"].slug}.pdf"'
    return response


# --- map layer ---------------------------------------------------------------------------------------------


@require_GET
@gzip_page  # 7,706 TPS of GeoJSON: about 2 MB plain, a tenth of that compressed
def tps_category_layer(request: HttpRequest) -> JsonResponse:
    """GeoJSON points of TPS coloured by category, for the command map. Confidential: partners get nothing
    but an empty collection with the aggregate counts."""
    require(request, "view_map")
    election = _election(request)
    counts = selectors.category_counts(request.user, election=election)
    if not selectors.can_see_categories(request.user, election):
        return JsonResponse({"type": "FeatureCollection", "features": [], "counts": counts})
    qs = selectors.tps_with_categories(request.user, election=election).exclude(lat__isnull=True)
    url = detail_url("operations:tps_category")
    unknown = {"color": "#9e9e9e", "label": _("belum ditetapkan")}
    features = []
    for t in qs:
        cat = getattr(t, "vulnerability", None)
        color = cat.category.color if cat else unknown["color"]
        label = cat.category.label if cat else unknown["label"]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": position(t.lng, t.lat)},
                "properties": {
                    "id": t.pk,
                    "label": f"TPS {t.number:03d} {t.desa.name} · {label}",
                    "color": color,
                    "url": url(t.pk),
                    "synthetic": t.location_quality == "synthetic",
                    "category": cat.category.code if cat else "",
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features, "counts": counts})
