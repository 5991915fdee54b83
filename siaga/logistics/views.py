"""Logistics pages: the board per kecamatan (what has arrived, late legs, TPS complete), the legs table, a leg
with its escort, status and handover (phone), generating and planning the chain (a job), the map layer."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from siaga.core.errors import DomainError
from siaga.core.jobs import start_job
from siaga.core.maplayers import detail_url, feature, feature_collection
from siaga.core.pages import (
    access_or_404,
    capability_flags,
    export_format,
    export_list,
    int_param,
    paginate,
    require,
)
from siaga.logistics import selectors, services
from siaga.logistics.forms import EscortForm, HandoverForm, StatusForm
from siaga.logistics.models import Hop, Leg
from siaga.operations.models import Election
from siaga.operations.pages import election_for
from siaga.personnel.models import Personnel
from siaga.territory.models import PoliceUnit

CAPS = ("manage_logistics", "logistics_duty", "export_data")


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    require(request, "view_logistics")
    election = election_for(request, with_data=Leg.objects.values("election_id"))
    rows = selectors.per_kecamatan(request.user, election_id=election.pk) if election else []
    done, total = selectors.tps_complete(request.user, election_id=election.pk) if election else (0, 0)
    unescorted = selectors.trips_without_escort(request.user, election_id=election.pk) if election else 0
    late_qs = (
        selectors.legs_for(request.user, election_id=election.pk, late_at=timezone.now())
        if election
        else Leg.objects.none()
    )
    late = list(late_qs.order_by("planned_arrive")[:50])
    late_count = len(late) if len(late) < 50 else late_qs.count()
    return render(
        request,
        "logistics/board.html",
        {
            **capability_flags(request, CAPS),
            "election": election, "elections": Election.objects.order_by("-voting_on"), "rows": rows, "tps_done": done, "tps_total": total, "late": late,
            "unescorted": unescorted, "late_count": late_count,
            "hops": Hop.choices,
        },
    )  # fmt: skip


@require_GET
def leg_list(request: HttpRequest) -> HttpResponse:
    require(request, "view_logistics")
    election = election_for(request, with_data=Leg.objects.values("election_id"))
    hop = request.GET.get("ruas", "")
    status = request.GET.get("status", "")
    qs = selectors.legs_for(
        request.user,
        election_id=election.pk if election else None,
        hop=hop if hop in Hop.values else "",
        kecamatan_id=int_param(request, "kecamatan"),
        status=status if status in Leg.Status.values else "",
        late_at=timezone.now() if request.GET.get("terlambat") else None,
        search=request.GET.get("q", "").strip(),
    )
    if request.GET.get("tanpa_pengawal"):
        qs = qs.filter(escorts__isnull=True).exclude(status=Leg.Status.HANDED_OVER)  # fmt: skip
    fmt = export_format(request)
    if fmt:
        return export_list(
            request, fmt=fmt, filename="ruas-logistik", object_type="logistics.leg",
            headers=["ruas", "asal", "tujuan", "kecamatan", "rencana_berangkat", "rencana_tiba", "km", "menit",
                     "kotak", "segel", "status", "berangkat", "tiba"],
            rows=(
                [x.get_hop_display(), x.origin, x.destination, x.kecamatan.name, _t(x.planned_depart),
                 _t(x.planned_arrive), x.distance_km, x.travel_minutes, x.boxes, x.seals, x.get_status_display(),
                 _t(x.actual_depart), _t(x.actual_arrive)]
                for x in qs
            ),
        )  # fmt: skip
    return render(
        request,
        "logistics/leg_list.html",
        {**capability_flags(request, CAPS), "page": paginate(request, qs), "election": election, "hops": Hop.choices,
         "statuses": Leg.Status.choices, "hop": hop, "status": status},
    )  # fmt: skip


def _t(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _leg_context(request: HttpRequest, leg: Leg, **extra: Any) -> dict[str, Any]:
    return {
        **capability_flags(request, CAPS),
        "leg": leg,
        "escorts": list(selectors.escorts_of(leg)),
        "updates": list(leg.updates.order_by("at")),
        "handover": getattr(leg, "handover", None),
        "status_form": StatusForm(initial={"key": uuid.uuid4().hex}),
        "handover_form": HandoverForm(initial={"boxes": leg.boxes, "seals": leg.seals}),
        "escort_form": EscortForm(),
        **extra,
    }


@require_GET
def leg_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "view_logistics")
    leg = access_or_404(selectors.access_leg, request, pk)
    return render(request, "logistics/leg_detail.html", _leg_context(request, leg))


@require_POST
def leg_status(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "logistics_duty")
    leg = access_or_404(selectors.access_leg, request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            _update, created = services.record_status(
                actor=request.user, leg=leg, status=form.cleaned_data["status"], key=form.cleaned_data["key"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("Status dikirim.") if created else _("Status ini sudah diterima sebelumnya.")
            )
    return redirect("logistics:leg_detail", pk)


def leg_handover(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "logistics_duty")
    leg = access_or_404(selectors.access_leg, request, pk)
    form = HandoverForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_handover(
                actor=request.user, leg=leg, handed_by=d["handed_by"], received_by=d["received_by"], boxes=d["boxes"],
                seals=d["seals"], seal_numbers=d["seal_numbers"], photo=d["photo"],
            )  # fmt: skip
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Berita acara serah terima disimpan."))
            return redirect("logistics:leg_detail", pk)
    return render(request, "logistics/leg_detail.html", _leg_context(request, leg, handover_form=form))


@require_POST
def leg_escort(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_logistics")
    leg = access_or_404(selectors.access_leg, request, pk)
    form = EscortForm(request.POST)
    if form.is_valid():
        nrps = [n.strip() for n in form.cleaned_data["personnel"].split(",") if n.strip()]
        found = dict(Personnel.objects.filter(nrp__in=nrps).values_list("nrp", "pk"))
        missing = [n for n in nrps if n not in found]
        if missing:
            messages.error(request, _("NRP tidak dikenal: %(nrp)s") % {"nrp": ", ".join(missing)})
        else:
            try:
                services.assign_escort(actor=request.user, leg=leg, personnel_ids=[found[n] for n in nrps])
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Pengawal ditugaskan."))
    return redirect("logistics:leg_detail", pk)


@require_POST
def chain_generate(request: HttpRequest) -> HttpResponse:
    require(request, "manage_logistics")
    from siaga.logistics.tasks import plan_chain_task

    election = election_for(request, with_data=Leg.objects.values("election_id"))
    polres = PoliceUnit.objects.filter(level=PoliceUnit.Level.POLRES).order_by("pk").first()
    if election is None or polres is None:
        messages.error(request, _("Belum ada pemilihan atau Polres"))
        return redirect("logistics:board")
    job = start_job(
        kind="logistics_plan", title=_("Susun rantai logistik %(e)s") % {"e": election.name}, task=plan_chain_task,
        actor=request.user, params={"election_id": election.pk, "polres_id": polres.pk},
    )  # fmt: skip
    return redirect("job_detail", pk=job.pk)


@require_GET
def my_legs(request: HttpRequest) -> HttpResponse:
    require(request, "logistics_duty")
    return render(request, "logistics/my_legs.html", {"legs": list(selectors.my_legs(request.user)[:100])})


COLORS = {"planned": "#6c757d", "departed": "#fd7e14", "arrived": "#0d6efd", "handed_over": "#198754"}


@require_GET
def map_legs(request: HttpRequest) -> JsonResponse:
    """The destinations of the outbound PPS -> TPS legs coloured by status (red: late)."""
    require(request, "view_logistics")
    election = election_for(request, with_data=Leg.objects.values("election_id"))
    now = timezone.now()
    qs = selectors.legs_for(
        request.user, election_id=election.pk if election else None, hop=Hop.PPS_TPS
    ).values_list("pk", "destination", "dest_lat", "dest_lng", "status", "planned_arrive")
    url = detail_url("logistics:leg_detail")
    features = []
    for pk, name, lat, lng, status, planned in qs:
        late = status in ("planned", "departed") and planned and planned < now - services.LATE_GRACE
        features.append(
            feature({"type": "Point", "coordinates": [lng, lat]}, label=name,
                    color="#dc3545" if late else COLORS.get(status, "#6c757d"), url=url(pk))
        )  # fmt: skip
    return JsonResponse(feature_collection(features))
