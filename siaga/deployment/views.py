"""Deployment pages: plans and runs, a plan with its map and plotting table (edits on both), lifecycle, the
shortfall report, the diff between versions, the Sprin PDF (per Polsek in the request, the whole Polres as a
background job), XLSX and GeoJSON, and the officer's "TPS saya"."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_POST

from siaga.accounts.roles import can
from siaga.core import pages
from siaga.core.errors import DomainError, NotFound, ValidationFailed
from siaga.deployment import documents, selectors, services
from siaga.deployment.forms import (
    MoveTpsForm,
    OfficerEditForm,
    PlanningForm,
    PoldaPlanningForm,
    PublishForm,
    ReplanForm,
)
from siaga.deployment.models import DeploymentPlan, PlanningRun, Team
from siaga.operations.models import Election
from siaga.operations.pages import election_for
from siaga.operations.selectors import election_or_default
from siaga.personnel.models import Personnel
from siaga.sites.models import Tps
from siaga.territory.hierarchy import polres_of
from siaga.territory.models import ABOVE_POLRES, PoliceUnit

_require = pages.require


def _plan(request: HttpRequest, pk: int) -> DeploymentPlan:
    _require(request, "view_deployment")
    return pages.access_or_404(selectors.access_plan, request, pk)


def _flags(request: HttpRequest) -> dict[str, bool]:
    return {
        f"can_{c}": can(request.user, c) for c in ("manage_deployment", "publish_deployment", "export_data")
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require(request, "view_deployment")
    # The election picked here or on any other page (remembered); by default the one that has plans.
    election = election_for(request, with_data=DeploymentPlan.objects.values("election_id"))
    plans = selectors.plans_for(request.user, election=election)[:50] if election else []
    runs = selectors.runs_for(request.user).filter(election=election)[:10] if election else []
    form = None
    if can(request.user, "manage_deployment"):
        polres = selectors.polres_for(request.user)
        only = list(polres[:2])
        form = PlanningForm(initial={"election": election, "polres": only[0] if len(only) == 1 else None})
        form.fields["polres"].queryset = polres  # type: ignore[attr-defined]
    context = {
        "plans": plans,
        "runs": runs,
        "form": form,
        "election": election,
        "elections": Election.objects.order_by("-voting_on"),
        **_flags(request),
    }
    return render(request, "deployment/index.html", context)


@require_POST
def start_run(request: HttpRequest) -> HttpResponse:
    _require(request, "manage_deployment")
    form = PlanningForm(request.POST)
    form.fields["polres"].queryset = selectors.polres_for(request.user)  # type: ignore[attr-defined]
    if not form.is_valid():
        return render(
            request,
            "deployment/index.html",
            {"plans": [], "runs": [], "form": form, **_flags(request)},
            status=422,
        )
    d = form.cleaned_data
    try:
        run = services.start_planning(
            actor=request.user,
            election=d["election"],
            polres=d["polres"],
            time_limit=d["time_limit"],
            seed=d["seed"],
            workers=d["workers"],
            parameters={
                "teams_per_padal": d["teams_per_padal"],
                "allow_officer_lending": d["allow_officer_lending"],
            },
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return render(
            request,
            "deployment/index.html",
            {"plans": [], "runs": [], "form": form, **_flags(request)},
            status=422,
        )
    return redirect("deployment:run_detail", run.pk)


def polda_plan(request: HttpRequest) -> HttpResponse:
    """Plot every Polres of the user's jurisdiction (a Polda's) as one fan-out, and the fan-outs launched."""
    _require(request, "run_polda_plans")
    polda_id = request.GET.get("polda", "")
    polres_qs = selectors.polres_for(request.user).order_by("name")
    if polda_id:  # from a Polda board: that Polda's Polres (an administrator sees several Polda)
        polda = PoliceUnit.objects.filter(
            pk=int(polda_id) if polda_id.isdigit() else 0, level=PoliceUnit.Level.POLDA
        ).first()
        if polda is None:
            raise Http404
        polres_qs = polres_qs.filter(pk__in=polres_of(polda).values("pk"))
    polres = list(polres_qs)
    form = PoldaPlanningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            parent = services.start_polda_planning(
                actor=request.user,
                election=d["election"],
                polres_units=polres,
                time_limit=d["time_limit"],
                seed=d["seed"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("deployment:fan_out_detail", parent.pk)
    fan_outs = selectors.fan_outs_for(request.user)[:10]
    return render(
        request,
        "deployment/polda_plan.html",
        {"form": form, "polres": polres, "fan_outs": fan_outs},
        status=422 if form.errors else 200,
    )


@require_GET
def fan_out_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress per Polres of a Polda plan fan-out; `?partial=1` is the table the page polls."""
    _require(request, "view_deployment")
    try:
        parent, runs = selectors.access_fan_out(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    template = "deployment/_fan_out_table.html" if request.GET.get("partial") else "deployment/fan_out.html"
    return render(request, template, {"parent": parent, "runs": runs})


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "view_deployment")
    try:
        run = selectors.access_run(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "deployment/run_detail.html", {"run": run, "parameters": _run_parameters(run)})


def _run_parameters(run: PlanningRun) -> list[tuple[str, str]]:
    """A run's parameters in words, for the page (the stored dict keeps its keys for the solver)."""
    params = dict(run.parameters or {})
    out: list[tuple[str, str]] = []
    if "teams_per_padal" in params:
        out.append((_("tim per Padal"), str(params.pop("teams_per_padal"))))
    if "allow_officer_lending" in params:
        lending = params.pop("allow_officer_lending")
        out.append((_("pinjam personel antar-Polsek"), _("ya") if lending else _("tidak")))
    if "polsek_ids" in params:
        ids = [int(i) for i in params.pop("polsek_ids") or ()]
        names = PoliceUnit.objects.filter(pk__in=ids).order_by("name").values_list("name", flat=True)
        out.append((_("hanya"), ", ".join(names)))
    out += [(str(key), str(value)) for key, value in params.items()]
    return out


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    q = request.GET.get("q", "")
    polsek = request.GET.get("polsek", "")
    teams = selectors.teams_for(
        request.user, plan, polsek_id=int(polsek) if polsek.isdigit() else None, search=q
    )
    page = Paginator(teams, 25).get_page(request.GET.get("page"))
    versions = (
        selectors.plans_for(request.user, election=plan.election)
        .filter(polres=plan.polres)
        .exclude(pk=plan.pk)
    )
    # The whole-Polres Sprin names officers of every Polsek: offered to accounts that see the whole plan.
    print_whole = can(request.user, "export_data") and selectors.sees_whole_polres(request.user, plan)
    context = {
        "plan": plan,
        "page": page,
        "basis": _basis(request, plan),
        "team_codes": list(
            selectors.teams_for(request.user, plan)
            .select_related(None)
            .prefetch_related(None)
            .values_list("code", flat=True)
        ),
        "can_print_whole_sprin": print_whole,
        "sprin_jobs": selectors.sprin_jobs_for(plan)[:3] if print_whole else [],
        "q": q,
        "polsek": polsek,
        "polsek_choices": sorted(
            {
                (t.polsek_id, t.polsek.name)
                for t in selectors.teams_for(request.user, plan)
                .select_related(None)
                .select_related("polsek")
                .prefetch_related(None)
            },
            key=lambda x: x[1],
        ),
        "padal": selectors.padal_for(request.user, plan).prefetch_related("teams"),
        "shortfall_count": selectors.shortfall_for(request.user, plan).count(),
        "runs": selectors.runs_for(request.user, plan=plan)[:5],
        "versions": versions,
        "publish_form": PublishForm(),
        "move_form": MoveTpsForm(),
        "officer_form": OfficerEditForm(),
        "replan_form": ReplanForm(),
        "map_config": {
            "geojson": reverse("deployment:plan_geojson", args=[plan.pk]),
            "move_url": reverse("deployment:move_tps", args=[plan.pk])
            if plan.is_editable and can(request.user, "manage_deployment")
            else "",
            "text": {"move": _("Pindah ke tim"), "uncover": _("(lepas)"), "submit": _("Pindahkan")},
        },
        **_flags(request),
    }
    return render(request, "deployment/plan_detail.html", context)


def _basis(request: HttpRequest, plan: DeploymentPlan) -> dict[str, Any]:
    """Which officers the plan was made from and what is available now, by the one definition of available
    strength (`personnel.selectors.strength_basis`), for the Polres and for the user's own Polsek."""
    from siaga.personnel.models import ApelSession
    from siaga.personnel.selectors import strength_basis

    apel_id = plan.parameters.get("apel_id")
    now = strength_basis(polres=plan.polres, election=plan.election)
    unit = getattr(request.user, "police_unit", None)
    if unit is not None and unit.level in ABOVE_POLRES:
        unit = None  # a Polda or Mabes account has no strength of its own inside the Polres
    return {
        "plan_apel": ApelSession.objects.filter(pk=apel_id).first() if apel_id else None,
        "plan_available": plan.parameters.get("officers_available"),
        "now": now,
        "changed": (now.session.pk if now.session else None) != apel_id,
        "own_unit": unit if unit is not None and unit.pk != plan.polres_id else None,
        "own_available": now.for_unit(unit.pk) if unit is not None else None,
    }


def _back(plan: DeploymentPlan, request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(
        target
        if target.startswith("/") and not target.startswith("//")
        else reverse("deployment:plan_detail", args=[plan.pk])
    )


@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        services.transition_plan(
            actor=request.user,
            plan=plan,
            to=request.POST.get("to", ""),
            sprin_number=form.cleaned_data.get("sprin_number") or "",
            sprin_on=form.cleaned_data.get("sprin_on"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Status rencana: %(s)s") % {"s": plan.get_status_display()})
    return _back(plan, request)


@require_POST
def plan_amend(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    try:
        copy = services.amend_plan(actor=request.user, plan=plan)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(plan, request)
    return redirect("deployment:plan_detail", copy.pk)


@require_POST
def plan_replan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = ReplanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian re-plan tidak sah"))
        return _back(plan, request)
    try:
        run = services.start_planning(
            actor=request.user,
            election=plan.election,
            polres=plan.polres,
            time_limit=form.cleaned_data["time_limit"],
            seed=form.cleaned_data["seed"],
            workers=2,
            base_plan=plan,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(plan, request)
    return redirect("deployment:run_detail", run.pk)


_TPS_LABEL = re.compile(r"^(?:TPS\s*)?0*(\d{1,3})\b\s*(.*)$", re.IGNORECASE)


def _find_tps(tps_qs: Any, text: str) -> Tps | None:
    """A TPS by its code or as the plan's table shows it ("TPS 005 Sidodadi", "5 sidodadi"); a label that fits
    several TPS is refused with the candidates named."""
    if not text:
        return None
    if text.isdigit() and len(text) > 3:
        return tps_qs.filter(code=text).first()
    match = _TPS_LABEL.match(text)
    if match is None:
        return None
    number, desa = int(match.group(1)), match.group(2).strip()
    found = list(
        tps_qs.filter(number=number, desa__name__icontains=desa).select_related("desa", "kecamatan")[:6]
        if desa
        else tps_qs.filter(number=number).select_related("desa", "kecamatan")[:6]
    )
    exact = [t for t in found if t.desa and t.desa.name.lower() == desa.lower()]
    if len(exact) == 1:
        return exact[0]
    if len(found) > 1:
        raise ValidationFailed(
            _("Ada beberapa TPS yang cocok, sebutkan desanya: %(c)s")
            % {"c": "; ".join(f"{t} ({t.kecamatan.name})" for t in found[:5])}
        )
    return found[0] if found else None


def _find_officer(people: Any, text: str) -> Personnel | None:
    """An officer by NRP or by name as the plan's table shows it; several matches are refused, named."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return people.filter(nrp=text).first()
    found = list(people.filter(name__iexact=text)[:6]) or list(people.filter(name__icontains=text)[:6])
    if len(found) > 1:
        raise ValidationFailed(
            _("Ada beberapa personel bernama itu, pakai NRP: %(c)s")
            % {"c": "; ".join(f"{p.rank.abbreviation} {p.name} ({p.nrp})" for p in found[:5])}
        )
    return found[0] if found else None


@require_POST
def move_tps(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = MoveTpsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian tidak sah"))
        return _back(plan, request)
    d = form.cleaned_data
    tps_qs = Tps.objects.filter(election=plan.election, kecamatan__kabupaten_id=plan.polres.kabupaten_pk)
    try:
        tps = (
            tps_qs.filter(pk=d["tps"]).first()
            if d.get("tps")
            else _find_tps(tps_qs, (d.get("tps_code") or "").strip())
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(plan, request)
    team = Team.objects.filter(plan=plan, code=d["team"].strip()).first() if d.get("team") else None
    if tps is None or (d.get("team") and team is None):
        messages.error(request, _("TPS atau tim tidak ditemukan"))
        return _back(plan, request)
    try:
        services.move_tps(actor=request.user, plan=plan, tps=tps, to_team=team)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("TPS %(t)s dipindah") % {"t": tps.code})
    return _back(plan, request)


@require_POST
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = OfficerEditForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Isian tidak sah"))
        return _back(plan, request)
    d = form.cleaned_data
    people = Personnel.objects.filter(unit__polres=plan.polres).select_related("rank")
    try:
        person = _find_officer(people, d["nrp"])
        other = _find_officer(people, d.get("other_nrp") or "")
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(plan, request)
    if person is None or (d["action"] != "remove" and other is None):
        messages.error(request, _("Personel tidak ditemukan"))
        return _back(plan, request)
    try:
        if d["action"] == "swap":
            services.swap_officers(actor=request.user, plan=plan, first=person, second=other)  # type: ignore[arg-type]
        elif d["action"] == "replace":
            services.replace_officer(actor=request.user, plan=plan, old=person, new=other)  # type: ignore[arg-type]
        else:
            services.remove_officer(actor=request.user, plan=plan, personnel=person)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Perubahan disimpan"))
    return _back(plan, request)


@require_GET
def shortfall(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    qs = selectors.shortfall_for(request.user, plan)
    fmt = pages.export_format(request)
    if fmt:
        rows = (
            [
                s.kind,
                s.polsek.name if s.polsek else "",
                s.tps.code if s.tps else "",
                s.tps.desa.name if s.tps else "",
                s.category_code,
                s.team_code,
                s.reason,
            ]
            for s in qs
        )
        return pages.export_list(
            request,
            fmt=fmt,
            filename=f"kekurangan-v{plan.version}",
            object_type="deployment.shortfallrow",
            headers=["jenis", "polsek", "kode_tps", "desa", "kategori", "tim", "alasan"],
            rows=rows,
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "deployment/shortfall.html", {"plan": plan, "page": page, **_flags(request)})


@require_GET
def plan_diff(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    new = _plan(request, pk)
    old = _plan(request, other)
    return render(request, "deployment/diff.html", {"diff": selectors.plan_diff(old, new, user=request.user)})


@require_GET
def sprin_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _require(request, "export_data")
    polsek = request.GET.get("polsek", "")
    polsek_id = int(polsek) if polsek.isdigit() and len(polsek) < 12 else None
    if polsek_id is None and selectors.sees_whole_polres(request.user, plan):
        # The whole Polres is hundreds of pages and minutes of layout: never in a request (it held a worker thread
        # for 81 s). Serve the latest print of the background job, or send the user to start one.
        job = selectors.latest_sprin_print(plan)
        if job is not None:
            return redirect("deployment:sprin_download", pk=plan.pk, job=job.pk)
        messages.info(
            request,
            _('Sprin seluruh Polres dicetak sebagai proses latar: tekan "Cetak Sprin"'),
        )
        return redirect("deployment:plan_detail", pk=plan.pk)
    pdf = documents.render_sprin_pdf(
        plan, base_url=request.build_absolute_uri("/"), polsek_id=polsek_id, user=request.user
    )
    pages.record_export(
        request,
        object_type="deployment.deploymentplan",
        object_repr=f"sprin v{plan.version}",
        fmt="pdf",
        rows=plan.officers_used,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sprin-pam-tps-v{plan.version}.pdf"'
    return response


@require_POST
def sprin_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Start printing the whole-Polres Sprin in the background and show the job's progress bar."""
    _require(request, "view_deployment")
    _require(request, "export_data")
    plan = pages.access_or_404(selectors.access_whole_plan, request, pk)
    try:
        job = services.request_sprin(actor=request.user, plan=plan)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(plan, request)
    return redirect("job_detail", pk=job.pk)


@require_GET
def sprin_download(request: HttpRequest, pk: int, job: int) -> FileResponse:
    """A whole-Polres Sprin printed by a job: same permission and jurisdiction as the plan, audited."""
    _require(request, "view_deployment")
    _require(request, "export_data")
    try:
        plan, sprin_job = selectors.access_sprin_file(request.user, pk, job)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    result = sprin_job.result or {}
    try:
        handle = default_storage.open(result["file"], "rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas Sprin sudah tidak ada")) from exc
    pages.record_export(
        request,
        object_type="deployment.deploymentplan",
        object_repr=f"sprin v{plan.version} (job {sprin_job.pk})",
        fmt="pdf",
        rows=int(result.get("officers", 0)),
    )
    return FileResponse(
        handle,
        content_type="application/pdf",
        filename=f"sprin-pam-tps-v{plan.version}-{plan.polres.code}.pdf",
    )


@require_GET
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _require(request, "export_data")
    pages.record_export(
        request,
        object_type="deployment.deploymentplan",
        object_repr=f"plotting v{plan.version}",
        fmt="xlsx",
        rows=plan.tps_covered,
    )
    response = HttpResponse(
        documents.render_xlsx(plan, user=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="plotting-pam-tps-v{plan.version}.xlsx"'
    return response


@require_GET
@gzip_page  # a Jember plan is megabytes of GeoJSON and compresses about tenfold
def plan_geojson(request: HttpRequest, pk: int) -> JsonResponse:
    plan = _plan(request, pk)
    return JsonResponse(documents.plan_geojson(plan, user=request.user))


@require_GET
@gzip_page
def map_teams(request: HttpRequest) -> JsonResponse:
    """Command-map layer: TPS coloured by team of the current plan of the election (published first, else the
    latest version); uncovered TPS in red."""
    _require(request, "view_deployment")
    empty: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    try:
        election = election_or_default(request.GET.get("election"))
    except DomainError:
        return JsonResponse(empty)
    if election is None:
        return JsonResponse(empty)
    plans = selectors.plans_for(request.user, election=election)
    plan = (
        plans.filter(status=DeploymentPlan.Status.PUBLISHED).first()
        or plans.order_by("-created_at", "-pk").first()
    )
    if plan is None:
        return JsonResponse(empty)
    data = documents.plan_geojson(plan, user=request.user)
    data["features"] = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    return JsonResponse(data)


@require_GET
def my_tps(request: HttpRequest) -> HttpResponse:
    """The officer's phone page: his TPS in visiting order on a map, his partner(s) and his Padal."""
    _require(request, "deployment_duty")
    person, team, padal = selectors.my_assignment(request.user)
    stops = list(team.stops.all()) if team else []
    points = [
        {
            "lat": s.tps.lat,
            "lng": s.tps.lng,
            "order": s.position,
            "label": f"{s.position}. TPS {s.tps.number:03d} {s.tps.desa.name}",
        }
        for s in stops
        if s.tps.lat is not None
    ]
    station = team.polsek if team else None
    config = {
        "points": points,
        "station": {"lat": station.lat, "lng": station.lng, "label": station.name} if station else None,
    }
    return render(
        request,
        "deployment/my_tps.html",
        {"person": person, "team": team, "padal": padal, "stops": stops, "map_config": config},
    )
