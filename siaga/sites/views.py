"""Sites pages: TPS (per election) and vital-object registries with edits, the map's point layers, and the
TPS import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from siaga.core import pages
from siaga.core.errors import DomainError
from siaga.core.jobs import start_job
from siaga.core.maplayers import BOUNDARY_COLORS, detail_url, feature, feature_collection, point
from siaga.core.pages import (
    access_or_404,
    export_format,
    export_list,
    int_param,
    paginate,
    render_page,
    require,
    save_upload,
)
from siaga.sites import selectors, services
from siaga.sites.forms import (
    LokasiKhususTypeEditForm,
    LokasiKhususTypeForm,
    TpsForm,
    TpsImportForm,
    VitalObjectForm,
)
from siaga.sites.models import LocationQuality, LokasiKhususType, Tps, VitalObject
from siaga.sites.tasks import import_tps_task
from siaga.territory import selectors as territory_selectors

TPS_COLOR = "#0d6efd"
TPS_SYNTHETIC_COLOR = "#6ea8fe"
VITAL_COLOR = "#dc3545"


def _apply_errors(form: Any, exc: DomainError | ValidationError) -> None:
    """Show a service's refusal on the form: on the fields it names, else as a form-wide error."""
    if isinstance(exc, ValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
    else:
        fields = exc.fields or {"": [exc.message]}
    for name, errors in fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


# --- map layers -------------------------------------------------------------------------------------------


@require_GET
@gzip_page
@cache_control(private=True, max_age=60)
def tps_points(request: HttpRequest) -> JsonResponse:
    """The TPS layer in a compact form (one array per TPS), so 7,706 points stay a small download.

    `{"type": "SiagaPoints", "fields": [...], "rows": [[id, lat, lng, code, synthetic, number, group], ...],
    "groups": [desa names], "label_format": "TPS {number} {group}", "url": "/situs/tps/{}/", ...}`;
    map.js reads this as well as GeoJSON (see the comment at its top).
    """
    require(request, "view_sites")
    election = selectors.election_or_default(pages.remembered(request, "election"))
    if election is None:
        raise Http404
    groups: dict[str, int] = {}
    rows = []
    for pk, lat, lng, code, synthetic, number, desa in selectors.tps_points(request.user, election=election):
        group = groups.setdefault(desa, len(groups))
        rows.append([pk, lat, lng, code, 1 if synthetic else 0, f"{number:03d}", group])
    data = {
        "type": "SiagaPoints",
        "election": election.slug,
        "fields": ["id", "lat", "lng", "code", "synthetic", "number", "group"],
        "rows": rows,
        "groups": list(groups),
        "label_format": "TPS {number} {group}",
        "url": detail_url("sites:tps_detail")("{}"),
        "color": TPS_COLOR,
        "synthetic_color": TPS_SYNTHETIC_COLOR,
        "legend": [
            {"label": _("TPS (lokasi disurvei/direkam)"), "color": TPS_COLOR},
            {"label": _("TPS (posisi sintetis, demo)"), "color": TPS_SYNTHETIC_COLOR},
        ],
    }
    return JsonResponse(data, json_dumps_params={"separators": (",", ":"), "ensure_ascii": False})


@require_GET
@gzip_page
@cache_control(private=True, max_age=300)
def vital_objects_geojson(request: HttpRequest) -> JsonResponse:
    require(request, "view_sites")
    url = detail_url("sites:vital_object_detail")
    features = [
        feature(
            {"type": "Point", "coordinates": [o.lng, o.lat]},
            id=o.pk,
            label=f"{o.name} ({o.get_kind_display()})",
            url=url(o.pk),
            color=VITAL_COLOR,
            synthetic=o.location_quality == LocationQuality.SYNTHETIC,
        )
        for o in selectors.vital_objects_for(request.user).defer("kecamatan__boundary", "desa__boundary")
    ]
    return JsonResponse(feature_collection(features, color=VITAL_COLOR))


# --- TPS ----------------------------------------------------------------------------------------------------


def tps_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_sites")
    election = selectors.election_or_default(pages.remembered(request, "election"))
    if election is None:
        raise Http404
    kecamatan_id = int_param(request, "kecamatan")
    desa_id = int_param(request, "desa")
    search = request.GET.get("q", "").strip()
    khusus = request.GET.get("khusus", "")
    qs = selectors.tps_for(
        request.user, election=election, kecamatan_id=kecamatan_id, desa_id=desa_id, search=search
    ).defer("desa__boundary", "kecamatan__boundary")
    if khusus == "1":
        qs = qs.exclude(lokasi_khusus="")
    elif khusus == "0":
        qs = qs.filter(lokasi_khusus="")
    if fmt := export_format(request):
        return export_list(
            request,
            fmt=fmt,
            filename=f"tps-{election.slug}",
            object_type="sites.tps",
            headers=[
                "kode_tps",
                "nomor_tps",
                "kode_desa",
                "desa",
                "kecamatan",
                "lat",
                "lng",
                "kualitas_lokasi",
                "alamat",
                "pemilih",
                "pemilih_sintetis",
                "lokasi_khusus",
                "catatan_akses",
            ],
            rows=(
                (
                    t.code,
                    t.number,
                    t.desa.code,
                    t.desa.name,
                    t.kecamatan.name,
                    t.lat,
                    t.lng,
                    t.location_quality,
                    t.address,
                    t.voters,
                    t.voters_synthetic,
                    t.lokasi_khusus,
                    t.access_notes,
                )
                for t in qs.iterator(chunk_size=2000)
            ),
        )
    desa_choices = (
        list(territory_selectors.desa_for(request.user, kecamatan_id=kecamatan_id).values_list("id", "name"))
        if kecamatan_id
        else []
    )
    page = paginate(request, qs)
    # Names of the lokasi khusus kinds on this page only (one query, and none on a page of regular TPS).
    codes = {t.lokasi_khusus for t in page if t.lokasi_khusus}
    labels = (
        dict(LokasiKhususType.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    )
    for t in page:
        t.lokasi_khusus_label = labels.get(t.lokasi_khusus, t.lokasi_khusus)
    return render_page(
        request,
        "sites/tps_list.html",
        {
            "page": page,
            "election": election,
            "elections": list(selectors.elections()),
            "kecamatan_id": kecamatan_id,
            "desa_id": desa_id,
            "search": search,
            "khusus": khusus,
            "kecamatan_choices": territory_selectors.kecamatan_choices(request.user),
            "desa_choices": desa_choices,
        },
    )


def _tps_mini_map(tps: Tps) -> dict[str, Any]:
    color = TPS_SYNTHETIC_COLOR if tps.location_quality == LocationQuality.SYNTHETIC else TPS_COLOR
    return {
        "polygons": feature_collection(
            [feature(tps.desa.boundary, label=tps.desa.name, color=BOUNDARY_COLORS["desa"])]
        ),
        "points": point(tps.lat, tps.lng, str(tps), color),
    }


def tps_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_sites")
    tps = access_or_404(selectors.access_tps, request, pk)
    label = LokasiKhususType.labels().get(tps.lokasi_khusus, tps.lokasi_khusus)
    return render_page(
        request,
        "sites/tps_detail.html",
        {"tps": tps, "lokasi_khusus_label": label, "mini_map": _tps_mini_map(tps)},
    )


def tps_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "edit_sites")
    tps = access_or_404(selectors.access_tps, request, pk)
    initial = {f: getattr(tps, f) for f in ("address", "lat", "lng", "voters", "access_notes")}
    form = TpsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Tidak ada perubahan."))
            return redirect("sites:tps_detail", pk=tps.pk)
        try:
            services.update_tps(actor=request.user, tps=tps, data=changes)
        except (DomainError, ValidationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("TPS disimpan."))
            return redirect("sites:tps_detail", pk=tps.pk)
    return render_page(request, "sites/tps_edit.html", {"tps": tps, "form": form})


def tps_import(request: HttpRequest) -> HttpResponse:
    require(request, "import_data")
    form = TpsImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"election": selectors.election_or_default(None)},
    )
    if request.method == "POST" and form.is_valid():
        election = form.cleaned_data["election"]
        path = save_upload(form.cleaned_data["file"], stem=f"tps-{election.slug}")
        job = start_job(
            kind="import_tps",
            title=_("Impor TPS %(e)s (%(f)s)") % {"e": election.name, "f": form.cleaned_data["file"].name},
            task=import_tps_task,
            actor=request.user,
            params={
                "election": election.slug,
                "path": str(path),
                "overwrite_captured": form.cleaned_data["overwrite_captured"],
            },
        )
        messages.info(
            request,
            _("Berkas diterima; impor berjalan di latar."),
        )
        return redirect("job_detail", pk=job.pk)
    return render_page(request, "sites/tps_import.html", {"form": form})


# --- kinds of lokasi khusus (reference data) ---------------------------------------------------------------


def lokasi_khusus_types(request: HttpRequest) -> HttpResponse:
    """The Polres admin's list of TPS lokasi khusus kinds: what the TPS import accepts."""
    require(request, "manage_reference_data")
    form = LokasiKhususTypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_lokasi_khusus_type(actor=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Jenis lokasi khusus ditambahkan."))
            return redirect("sites:lokasi_khusus_types")
    return render_page(
        request,
        "sites/lokasi_khusus_types.html",
        {"types": selectors.lokasi_khusus_types_with_counts(), "form": form},
    )


def lokasi_khusus_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_reference_data")
    lokasi_type = access_or_404(selectors.access_lokasi_khusus_type, request, pk)
    initial = {"name": lokasi_type.name, "order": lokasi_type.order, "is_active": lokasi_type.is_active}
    form = LokasiKhususTypeEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_lokasi_khusus_type(
                actor=request.user, lokasi_type=lokasi_type, **form.cleaned_data
            )
        except (DomainError, ValidationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Jenis lokasi khusus disimpan."))
            return redirect("sites:lokasi_khusus_types")
    return render_page(request, "sites/lokasi_khusus_type_edit.html", {"obj": lokasi_type, "form": form})


# --- vital objects ------------------------------------------------------------------------------------------


def vital_object_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_sites")
    kind = request.GET.get("kind", "")
    search = request.GET.get("q", "").strip()
    kecamatan_id = int_param(request, "kecamatan")
    qs = selectors.vital_objects_for(
        request.user, kind=kind if kind in VitalObject.Kind.values else "", search=search
    ).defer("kecamatan__boundary", "desa__boundary")
    if kecamatan_id:
        qs = qs.filter(kecamatan_id=kecamatan_id)
    if fmt := export_format(request):
        return export_list(
            request,
            fmt=fmt,
            filename="objek-vital",
            object_type="sites.vitalobject",
            headers=[
                "jenis",
                "nama",
                "alamat",
                "kecamatan",
                "desa",
                "lat",
                "lng",
                "kualitas_lokasi",
                "telepon",
            ],
            rows=(
                (
                    o.kind,
                    o.name,
                    o.address,
                    o.kecamatan.name,
                    o.desa.name if o.desa else "",
                    o.lat,
                    o.lng,
                    o.location_quality,
                    o.phone,
                )
                for o in qs
            ),
        )
    return render_page(
        request,
        "sites/vital_object_list.html",
        {
            "page": paginate(request, qs),
            "kind": kind,
            "kinds": VitalObject.Kind.choices,
            "search": search,
            "kecamatan_id": kecamatan_id,
            "kecamatan_choices": territory_selectors.kecamatan_choices(request.user),
        },
    )


def vital_object_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_sites")
    obj = access_or_404(selectors.access_vital_object, request, pk)
    mini_map = {
        "polygons": feature_collection(
            [feature(obj.kecamatan.boundary, label=obj.kecamatan.name, color=BOUNDARY_COLORS["kecamatan"])]
        ),
        "points": point(obj.lat, obj.lng, obj.name, VITAL_COLOR),
    }
    return render_page(request, "sites/vital_object_detail.html", {"obj": obj, "mini_map": mini_map})


def vital_object_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "edit_sites")
    obj = access_or_404(selectors.access_vital_object, request, pk)
    fields = ("name", "kind", "address", "phone", "notes", "lat", "lng")
    form = VitalObjectForm(request.POST or None, initial={f: getattr(obj, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        if not changes:
            messages.info(request, _("Tidak ada perubahan."))
            return redirect("sites:vital_object_detail", pk=obj.pk)
        try:
            services.update_vital_object(actor=request.user, vital_object=obj, data=changes)
        except (DomainError, ValidationError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Objek vital disimpan."))
            return redirect("sites:vital_object_detail", pk=obj.pk)
    return render_page(request, "sites/vital_object_edit.html", {"obj": obj, "form": form})
