"""Territory pages: kecamatan, desa and police-unit registries, the boundary layers of the command map, and
the territory import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from siaga.core.jobs import start_job
from siaga.core.maplayers import BOUNDARY_COLORS, detail_url, feature, feature_collection, point
from siaga.core.pages import (
    export_format,
    export_list,
    int_param,
    new_upload_folder,
    paginate,
    render_page,
    require,
    save_upload,
)
from siaga.sites import selectors as site_selectors
from siaga.territory import selectors
from siaga.territory.forms import TerritoryImportForm
from siaga.territory.models import Desa, Kecamatan, PoliceUnit
from siaga.territory.tasks import import_territory_task

# Colours shared by the map layers, the legend and the detail maps.
COLORS = {
    **BOUNDARY_COLORS,
    PoliceUnit.Level.MABES: "#3d2a0b",
    PoliceUnit.Level.POLDA: "#1f2f4a",
    PoliceUnit.Level.POLRES: "#0b5133",
    PoliceUnit.Level.POLSEK: "#198754",
    PoliceUnit.Level.POLSUBSEKTOR: "#75b798",
}


# --- map layers -------------------------------------------------------------------------------------------


def _layer_response(data: dict[str, Any]) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"separators": (",", ":"), "ensure_ascii": False})


@require_GET
@gzip_page
@cache_control(private=True, max_age=300)
def kabupaten_geojson(request: HttpRequest) -> JsonResponse:
    require(request, "view_map")
    rows = selectors.kabupaten_for(request.user).values_list("id", "name", "boundary")
    features = [feature(b, id=pk, label=name, color=COLORS["kabupaten"]) for pk, name, b in rows if b]
    return _layer_response(
        feature_collection(
            features, color=COLORS["kabupaten"], style={"weight": 3, "fill": False, "interactive": False}
        )
    )


@require_GET
@gzip_page
@cache_control(private=True, max_age=300)
def kecamatan_geojson(request: HttpRequest) -> JsonResponse:
    require(request, "view_map")
    url = detail_url("territory:kecamatan_detail")
    rows = selectors.kecamatan_for(request.user).values_list("id", "name", "boundary")
    features = [
        feature(b, id=pk, label=_("Kecamatan %(n)s") % {"n": name}, url=url(pk), color=COLORS["kecamatan"])
        for pk, name, b in rows
        if b
    ]
    return _layer_response(
        feature_collection(features, color=COLORS["kecamatan"], style={"weight": 2, "fill": False})
    )


@require_GET
@gzip_page
@cache_control(private=True, max_age=300)
def desa_geojson(request: HttpRequest) -> JsonResponse:
    require(request, "view_map")
    url = detail_url("territory:desa_detail")
    rows = selectors.desa_for(request.user).values_list("id", "name", "kind", "kecamatan__name", "boundary")
    features = [
        feature(b, id=pk, label=f"{kind.capitalize()} {name}, {kec}", url=url(pk), color=COLORS["desa"])
        for pk, name, kind, kec, b in rows
        if b
    ]
    return _layer_response(
        feature_collection(features, color=COLORS["desa"], style={"weight": 0.8, "fillOpacity": 0.04})
    )


@require_GET
@gzip_page
@cache_control(private=True, max_age=300)
def police_units_geojson(request: HttpRequest) -> JsonResponse:
    require(request, "view_map")
    url = detail_url("territory:police_unit_detail")
    units = selectors.police_units_for(request.user).order_by("level", "name")
    features = [
        feature(
            {"type": "Point", "coordinates": [u.lng, u.lat]},
            id=u.pk,
            label=u.name,
            url=url(u.pk),
            color=COLORS[u.level],
        )
        for u in units
    ]
    legend = [{"label": str(label), "color": COLORS[level]} for level, label in PoliceUnit.Level.choices]
    return _layer_response(feature_collection(features, color=COLORS[PoliceUnit.Level.POLSEK], legend=legend))


# --- registry pages ---------------------------------------------------------------------------------------


def kecamatan_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_sites")
    search = request.GET.get("q", "").strip()
    qs = selectors.kecamatan_for(request.user).defer("boundary", "kabupaten__boundary")
    if search:
        qs = qs.filter(name__icontains=search)
    if fmt := export_format(request):
        return export_list(
            request,
            fmt=fmt,
            filename="kecamatan",
            object_type="territory.kecamatan",
            headers=["kode", "kode_kpu", "nama", "kabupaten", "lat", "lng"],
            rows=((k.code, k.kpu_code, k.name, k.kabupaten.name, k.lat, k.lng) for k in qs),
        )
    page = paginate(request, qs)
    counts = selectors.desa_counts_by_kecamatan([k.pk for k in page])
    rows = [(k, counts.get(k.pk, 0)) for k in page]
    return render_page(
        request, "territory/kecamatan_list.html", {"page": page, "rows": rows, "search": search}
    )


def kecamatan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_sites")
    kecamatan = get_object_or_404(selectors.kecamatan_for(request.user), pk=pk)
    desa = list(selectors.desa_for(request.user, kecamatan_id=kecamatan.pk).defer("boundary"))
    units = list(
        selectors.police_units_for(request.user).filter(jurisdiction=kecamatan).prefetch_related(None)
    )
    mini_map = {
        "polygons": feature_collection(
            [feature(kecamatan.boundary, label=kecamatan.name, color=COLORS["kecamatan"])]
        ),
        "points": [],
    }
    return render_page(
        request,
        "territory/kecamatan_detail.html",
        {
            "kecamatan": kecamatan,
            "desa": desa,
            "units": units,
            "tps_counts": site_selectors.tps_counts_by_election(request.user, kecamatan_id=kecamatan.pk),
            "mini_map": mini_map,
        },
    )


def desa_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_sites")
    search = request.GET.get("q", "").strip()
    kecamatan_id = int_param(request, "kecamatan")
    kind = request.GET.get("kind", "")
    qs = selectors.desa_for(request.user, kecamatan_id=kecamatan_id, search=search).defer(
        "boundary", "kecamatan__boundary"
    )
    if kind in Desa.Kind.values:
        qs = qs.filter(kind=kind)
    if fmt := export_format(request):
        return export_list(
            request,
            fmt=fmt,
            filename="desa",
            object_type="territory.desa",
            headers=["kode", "kode_kpu", "nama", "jenis", "kecamatan", "kode_pos", "lat", "lng"],
            rows=(
                (d.code, d.kpu_code, d.name, d.kind, d.kecamatan.name, d.postal_code, d.lat, d.lng)
                for d in qs
            ),
        )
    return render_page(
        request,
        "territory/desa_list.html",
        {
            "page": paginate(request, qs),
            "search": search,
            "kecamatan_id": kecamatan_id,
            "kind": kind,
            "kinds": Desa.Kind.choices,
            "kecamatan_choices": selectors.kecamatan_choices(request.user),
        },
    )


def desa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_sites")
    desa = get_object_or_404(selectors.desa_for(request.user).defer("kecamatan__boundary"), pk=pk)
    mini_map = {
        "polygons": feature_collection([feature(desa.boundary, label=desa.name, color=COLORS["desa"])]),
        "points": [],
    }
    return render_page(
        request,
        "territory/desa_detail.html",
        {
            "desa": desa,
            "tps_counts": site_selectors.tps_counts_by_election(request.user, desa_id=desa.pk),
            "mini_map": mini_map,
        },
    )


def police_unit_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_sites")
    search = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    qs = selectors.police_units_for(request.user).defer("kabupaten__boundary").order_by("level", "name")
    if search:
        qs = qs.filter(name__icontains=search)
    if level in PoliceUnit.Level.values:
        qs = qs.filter(level=level)
    qs = qs.prefetch_related(None).prefetch_related(_light_jurisdiction())
    if fmt := export_format(request):
        return export_list(
            request,
            fmt=fmt,
            filename="satuan",
            object_type="territory.policeunit",
            headers=["kode", "nama", "tingkat", "wilayah_hukum", "alamat", "telepon", "lat", "lng"],
            rows=(
                (
                    u.code,
                    u.name,
                    u.level,
                    "; ".join(k.name for k in u.jurisdiction.all()),
                    u.address,
                    u.phone,
                    u.lat,
                    u.lng,
                )
                for u in qs
            ),
        )
    return render_page(
        request,
        "territory/police_unit_list.html",
        {"page": paginate(request, qs), "search": search, "level": level, "levels": PoliceUnit.Level.choices},
    )


def _light_jurisdiction() -> Any:
    from django.db.models import Prefetch

    return Prefetch("jurisdiction", queryset=Kecamatan.objects.defer("boundary").order_by("name"))


def police_unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_sites")
    unit = get_object_or_404(selectors.police_units_for(request.user).prefetch_related(None), pk=pk)
    jurisdiction = list(unit.jurisdiction.all())
    mini_map = {
        "polygons": feature_collection(
            [feature(k.boundary, label=k.name, color=COLORS["kecamatan"]) for k in jurisdiction if k.boundary]
        ),
        "points": point(unit.lat, unit.lng, unit.name, COLORS[unit.level]),
    }
    return render_page(
        request,
        "territory/police_unit_detail.html",
        {"unit": unit, "jurisdiction": jurisdiction, "mini_map": mini_map},
    )


# --- import -----------------------------------------------------------------------------------------------


def territory_import(request: HttpRequest) -> HttpResponse:
    require(request, "import_data")
    form = TerritoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        folder = new_upload_folder()
        paths = {
            name: str(save_upload(upload, stem=name, folder=folder))
            for name, upload in form.cleaned_data.items()
            if upload is not None
        }
        job = start_job(
            kind="import_territory",
            title=_("Impor wilayah (%(f)s)") % {"f": form.cleaned_data["desa"].name},
            task=import_territory_task,
            actor=request.user,
            params={"files": paths},
        )
        messages.info(
            request,
            _("Berkas diterima; impor berjalan di latar."),
        )
        return redirect("job_detail", pk=job.pk)
    return render_page(request, "territory/import.html", {"form": form})
