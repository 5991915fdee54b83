"""Pages of the Lapsit app: the Lapsit history and one Lapsit, strength at a glance with the reserve, the partner
view per partner kind, and referral packets to Bawaslu (Sentra Gakkumdu). Thin: selectors read, services write."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from siaga.accounts.selectors import scope_for
from siaga.core import pages
from siaga.core.errors import DomainError
from siaga.core.forms import show_error
from siaga.core.models import Job
from siaga.lapsit import documents, partners, referrals, selectors, services
from siaga.lapsit.forms import LapsitForm, ReferralStatusForm, ReserveForm
from siaga.lapsit.glance import strength_glance

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _polres(request: HttpRequest) -> Any:
    try:
        polres = selectors.polres_of(request.user, pages.remembered(request, "polres"))
    except DomainError:
        pages.forget(request, "polres")
        raise Http404 from None
    if polres is None:
        raise Http404
    return polres


@require_http_methods(["GET", "POST"])
def lapsit_list(request: HttpRequest) -> HttpResponse:
    pages.require(request, "view_lapsit")
    polres = _polres(request)
    form = LapsitForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST":
        pages.require(request, "generate_lapsit")
        if form.is_valid():
            try:
                queued = services.request_lapsit(
                    actor=request.user, polres=polres, day=form.cleaned_data["day"]
                )
            except DomainError as exc:
                show_error(form, exc)
            else:
                return redirect(f"{request.path}?job={queued.pk}")
    job: Job | None = None
    job_id = pages.int_param(request, "job")
    if job_id is not None:
        job = Job.objects.filter(pk=job_id, kind=services.JOB_KIND, created_by_id=request.user.pk).first()
    return render(
        request,
        "lapsit/list.html",
        {
            "page": pages.paginate(request, selectors.lapsits_for(request.user, polres=polres)),
            "polres": polres,
            "polres_choices": selectors.polres_choices(request.user),
            "form": form,
            "job": job,
            "lapsit_hour": services.lapsit_hour(),
            **pages.capability_flags(request, ["generate_lapsit"]),
        },
    )


@require_GET
def lapsit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pages.require(request, "view_lapsit")
    lapsit = pages.access_or_404(selectors.access_lapsit, request, pk)
    revisions = selectors.lapsits_for(request.user, polres=lapsit.polres).filter(day=lapsit.day)
    return render(
        request,
        "lapsit/detail.html",
        {
            "lapsit": lapsit,
            "l": documents.present(lapsit.figures),
            "revisions": revisions,
            "partner_kinds": [(k, partner_kind_label(k)) for k in partners.KINDS],
        },
    )


def _file_response(name: str, fmt: str, filename: str) -> FileResponse:
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("Berkas sudah tidak ada")) from exc
    return FileResponse(handle, content_type=CONTENT_TYPES[fmt], as_attachment=True, filename=filename)


@require_GET
def lapsit_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    pages.require(request, "view_lapsit")
    lapsit = pages.access_or_404(selectors.access_lapsit, request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    services.audit_download(actor=request.user, lapsit=lapsit, fmt=fmt)
    name = {"pdf": lapsit.pdf_file, "xlsx": lapsit.xlsx_file, "json": lapsit.json_file}[fmt]
    return _file_response(name, fmt, f"lapsit-{lapsit.polres.code}-{lapsit.day}-r{lapsit.revision}.{fmt}")


def partner_kind_label(kind: str) -> str:
    from siaga.accounts.models import User

    return str(dict(User.Partner.choices).get(kind, kind))


@require_GET
def partner_lapsit(request: HttpRequest, pk: int) -> HttpResponse:
    """The shared Lapsit extract for one partner kind (a partner gets its own kind's)."""
    pages.require(request, "view_partner_view")
    lapsit = pages.access_or_404(selectors.access_partner_lapsit, request, pk)
    kind = selectors.partner_kind_for(request.user, request.GET.get("jenis", ""))
    extract = partners.lapsit_extract(kind, lapsit.figures, partners.rules_for(kind))
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(extract, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="lapsit-{lapsit.day}-{kind}.json"'
        return response
    # Only the sections the kind may see reach the template: the others are not there to be shown by mistake.
    shown = documents.present({**lapsit.figures, "sections": extract["sections"]})
    return render(
        request,
        "lapsit/partner_lapsit.html",
        {
            "lapsit": lapsit,
            "l": shown,
            "kind": kind,
            "kind_label": partner_kind_label(kind),
            "sections": set(extract["sections"]),
            **_kind_switch(request),
        },
    )


def _kind_switch(request: HttpRequest) -> dict[str, Any]:
    is_partner = getattr(request.user, "role", "") == "partner_viewer" and not request.user.is_superuser
    return {
        "can_switch_kind": not is_partner,
        "partner_kinds": [(k, partner_kind_label(k)) for k in partners.KINDS],
    }


@require_GET
def partner_dashboard(request: HttpRequest) -> HttpResponse:
    pages.require(request, "view_partner_view")
    polres = _polres(request)
    kind = selectors.partner_kind_for(request.user, request.GET.get("jenis", ""))
    board = selectors.partner_dashboard(request.user, kind=kind, polres=polres)
    labels = {t: [(f, partners.FIELDS[t][f].label) for f in fields] for t, fields in board["fields"].items()}
    return render(
        request,
        "lapsit/partner.html",
        {
            "board": board,
            "labels": labels,
            "kind": kind,
            "kind_label": partner_kind_label(kind),
            "polres": polres,
            "rules_table": _rules_table(),
            **_kind_switch(request),
        },
    )


def _rules_table() -> list[dict[str, Any]]:
    """The redaction rules as a table: per object type and field, which partner kinds see it."""
    visible = {kind: partners.rules_for(kind) for kind in partners.KINDS}
    rows = []
    for object_type, fields in partners.FIELDS.items():
        for field, spec in fields.items():
            rows.append(
                {
                    "object_type": partners.OBJECT_TYPE_LABELS[object_type],
                    "field": spec.label,
                    "personal": spec.personal,
                    "kinds": [
                        field in partners.visible_fields(kind, object_type, visible[kind])
                        for kind in partners.KINDS
                    ],
                }
            )
    return rows


@require_http_methods(["GET", "POST"])
def strength(request: HttpRequest) -> HttpResponse:
    pages.require(request, "view_strength")
    polres = _polres(request)
    form = ReserveForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST":
        pages.require(request, "manage_operations")
        if form.is_valid():
            try:
                services.create_reserve(actor=request.user, polres=polres, **form.cleaned_data)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Cadangan dicatat."))
                return redirect(request.path)
    scope = scope_for(request.user)
    day = timezone.localdate()
    # A Polres account (or an administrator) sees every row with the Polres's sums; a Polsek its own row.
    whole = scope.is_unrestricted or getattr(request.user, "police_unit_id", None) == polres.pk
    glance = strength_glance(polres=polres, day=day, kecamatan_ids=None if whole else scope.kecamatan_ids)
    return render(
        request,
        "lapsit/strength.html",
        {
            "glance": glance,
            "st": glance.as_dict()
            if whole
            else {**glance.as_dict(), "total": None, "siaga_check": None, "reserve": None},
            "polres": polres,
            "polres_choices": selectors.polres_choices(request.user),
            "day": day,
            "whole": whole,
            "reserves": selectors.reserves_for(request.user, polres) if whole else [],
            "form": form,
            "chart": documents.charts.paired_bars(
                _("Polri tersedia vs kebutuhan per Polsek"),
                [(r.name, r.polri_available, r.polri_required) for r in glance.rows if r.polri_required],
                (_("tersedia"), _("kebutuhan")),
            ),
            **pages.capability_flags(request, ["manage_operations"]),
        },
    )


@require_POST
def reserve_delete(request: HttpRequest, pk: int) -> HttpResponse:
    pages.require(request, "manage_operations")
    reserve = pages.access_or_404(selectors.access_reserve, request, pk)
    services.delete_reserve(actor=request.user, reserve=reserve)
    messages.success(request, _("Cadangan dihapus."))
    return redirect("lapsit:strength")


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    pages.require(request, "view_referrals")
    qs = selectors.referrals_for(request.user)
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    return render(
        request,
        "lapsit/referral_list.html",
        {"page": pages.paginate(request, qs), "status": status, "statuses": referrals.status_choices()},
    )


@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pages.require(request, "view_referrals")
    packet = pages.access_or_404(selectors.access_referral, request, pk)
    form = ReferralStatusForm(request.POST or None)
    if request.method == "POST":
        pages.require(request, "manage_referrals")
        if form.is_valid():
            try:
                services.transition_referral(
                    actor=request.user,
                    packet=packet,
                    to=form.cleaned_data["to"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as exc:
                show_error(form, exc, message_on_top=True)
            else:
                messages.success(request, _("Status rujukan diperbarui."))
                return redirect("lapsit:referral", pk=packet.pk)
    return render(
        request,
        "lapsit/referral_detail.html",
        {
            "packet": packet,
            "p": referrals.present(packet.data),
            "form": form,
            "history": referrals.history(packet),
            **pages.capability_flags(request, ["manage_referrals"]),
        },
    )


@require_GET
def referral_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    pages.require(request, "view_referrals")
    packet = pages.access_or_404(selectors.access_referral, request, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    pages.record_export(
        request, object_type="lapsit.referralpacket", object_repr=packet.number, fmt=fmt, rows=1
    )
    body = {"pdf": referrals.render_pdf, "xlsx": referrals.render_xlsx, "json": referrals.render_json}[fmt](
        packet
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="rujukan-{packet.incident.receipt}.{fmt}"'
    return response
