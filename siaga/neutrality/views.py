"""Neutrality pages: the case list (counts and steps for commanders, the files for Propam), a case with its
steps, the officer's context and the complainant (Propam only, audited), internal filing, the relatives
register and the report (PDF, XLSX)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from siaga.accounts.roles import can
from siaga.core.errors import DomainError
from siaga.core.pages import access_or_404, paginate, require
from siaga.neutrality import reports, rules, selectors, services
from siaga.neutrality.forms import CaseForm, MoveForm, RelativeForm
from siaga.neutrality.models import Case, Step
from siaga.territory.selectors import kecamatan_choices


def _case(request: HttpRequest, pk: int) -> Case:
    return access_or_404(selectors.access_case, request, pk)


def _add_errors(form: Any, exc: DomainError) -> None:
    for name, errors in exc.fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)
    form.add_error(None, exc.message)


@never_cache
def case_list(request: HttpRequest) -> HttpResponse:
    if not (can(request.user, "view_neutrality_summary") or can(request.user, "handle_neutrality")):
        raise PermissionDenied
    step = request.GET.get("step", "")
    state = request.GET.get("state", "")
    step = step if step in Step.values else ""
    state = state if state in ("overdue", "warning", "open") else ""
    now = timezone.now()
    page = paginate(request, selectors.cases_for(request.user, step=step, state=state, now=now))
    rows = [(case, selectors.deadline_state(case, now)) for case in page]
    summary = selectors.summary(request.user, now)
    return render(
        request,
        "neutrality/case_list.html",
        {
            "page": page,
            "rows": rows,
            "summary": summary,
            "step_counts": [(code, label, summary.by_step.get(code, 0)) for code, label in Step.choices],
            "steps": Step.choices,
            "filters": {"step": step, "state": state},
            "is_handler": can(request.user, "handle_neutrality"),
            "can_file": can(request.user, "file_neutrality"),
            "can_register": can(request.user, "manage_neutrality_register"),
        },
    )


@never_cache
def case_new(request: HttpRequest) -> HttpResponse:
    require(request, "file_neutrality")
    choices = kecamatan_choices(request.user)
    form = CaseForm(request.POST or None, kecamatan_choices=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = services.file_case(
                    actor=request.user,
                    summary=data["summary"],
                    officer_description=data["officer_description"],
                    occurred_at=data["occurred_at"],
                    kecamatan_id=data["kecamatan"],
                    place=data["place"],
                )
            except DomainError as exc:
                _add_errors(form, exc)
                status = 422
            else:
                messages.success(
                    request, _("Pengaduan dicatat dengan kode %(code)s") % {"code": case.receipt}
                )
                if can(request.user, "handle_neutrality"):
                    return redirect("neutrality:case_detail", pk=case.pk)
                return redirect("neutrality:case_list")
        else:
            status = 422
    return render(request, "neutrality/case_new.html", {"form": form}, status=status)


@never_cache
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    now = timezone.now()
    complainant = None
    if request.GET.get("identitas") == "1":
        complainant = selectors.access_complainant(request.user, case)
    duties = []
    if case.officer_id:
        duties = selectors.officer_context(
            personnel_id=case.officer_id,
            at=case.occurred_at,
            kecamatan_id=case.kecamatan_id,
            tps_id=case.tps_id,
        )
    allowed = sorted(rules.TRANSITIONS.get(case.step, frozenset()), key=Step.values.index)
    form = MoveForm(initial={"to": allowed[0] if allowed else ""})
    form.fields["to"].choices = [(s, Step(s).label) for s in allowed]  # type: ignore[attr-defined]
    return render(
        request,
        "neutrality/case_detail.html",
        {
            "case": case,
            "events": case.events.select_related("actor"),
            "deadline": selectors.deadline_state(case, now),
            "form": form,
            "allowed": allowed,
            "complainant": complainant,
            "may_read_identity": selectors.may_read_identity(request.user),
            "has_complainant": case.source == Case.Source.PUBLIC,
            "duties": duties,
            "officer_query": request.GET.get("nrp", ""),
            "officer_matches": _officer_matches(request),
        },
    )


def _officer_matches(request: HttpRequest) -> list[Any]:
    from siaga.personnel.selectors import personnel_for

    term = request.GET.get("nrp", "").strip()
    if len(term) < 3:
        return []
    return list(personnel_for(request.user, search=term)[:10])


@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    form = MoveForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.move_case(
                actor=request.user,
                case=case,
                to=data["to"],
                note=data["note"],
                document=data["document"],
                classification=data["classification"],
                decision=data["decision"],
                sanction=data["sanction"],
                close_reason=data["close_reason"],
            )
        except DomainError as exc:
            details = "; ".join(m for errs in exc.fields.values() for m in errs)
            messages.error(request, f"{exc.message}: {details}" if details else exc.message)
        else:
            messages.success(
                request, _("Perkara dipindah ke tahap %(step)s") % {"step": Step(data["to"]).label}
            )
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("neutrality:case_detail", pk=case.pk)


@require_POST
def case_officer(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    raw = request.POST.get("personnel", "")
    try:
        services.identify_officer(
            actor=request.user, case=case, personnel_id=int(raw) if raw.isdigit() else None
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Anggota terlapor dicatat"))
    return redirect("neutrality:case_detail", pk=case.pk)


@never_cache
def relatives(request: HttpRequest) -> HttpResponse:
    require(request, "manage_neutrality_register")
    from siaga.personnel.selectors import personnel_for

    form = RelativeForm(request.POST or None, kecamatan_choices=kecamatan_choices(request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            officer = personnel_for(request.user).filter(nrp=data["nrp"].strip()).first()
            if officer is None:
                form.add_error("nrp", _("Tidak ada anggota dengan NRP itu di wilayah Anda"))
                status = 422
            else:
                try:
                    services.declare_relative(
                        actor=request.user,
                        personnel_id=officer.pk,
                        name=data["name"],
                        relation=data["relation"],
                        standing=data["standing"],
                        party=data["party"],
                        contest=data["contest"],
                        kecamatan_ids=data["kecamatan"],
                    )
                except DomainError as exc:
                    _add_errors(form, exc)
                    status = 422
                else:
                    messages.success(request, _("Kerabat dicatat"))
                    return redirect("neutrality:relatives")
        else:
            status = 422
    return render(
        request,
        "neutrality/relatives.html",
        {
            "form": form,
            "relatives": selectors.relatives_for(request.user),
            "conflicts": selectors.relative_conflicts(request.user),
        },
        status=status,
    )


@never_cache
def report(request: HttpRequest) -> HttpResponse:
    if not (can(request.user, "view_neutrality_summary") or can(request.user, "handle_neutrality")):
        raise PermissionDenied
    fmt = request.GET.get("format", "pdf")
    now = timezone.now()
    data = reports.build(request.user, now=now)
    reports.audit_export(actor=request.user, fmt=fmt)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        response = HttpResponse(
            reports.render_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="netralitas-{stamp}.xlsx"'
        return response
    response = HttpResponse(reports.render_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="netralitas-{stamp}.pdf"'
    return response


@never_cache
def pledges(request: HttpRequest) -> HttpResponse:
    """Neutrality pledges (pakta integritas) of one operation: who signed, who has not, and recording them."""
    require(request, "manage_neutrality_register")
    from siaga.operations.selectors import operations_for

    operations = list(operations_for(request.user).order_by("-starts_on"))
    chosen = next((o for o in operations if str(o.pk) == request.GET.get("operasi", "")), None)
    chosen = chosen or (operations[0] if operations else None)
    if request.method == "POST" and chosen is not None:
        nrps = [n for n in request.POST.get("nrp", "").replace(",", " ").split() if n]
        signed_on = timezone.localdate()
        recorded, unknown = 0, []
        for nrp in nrps[:1000]:
            officer = selectors.officer_by_nrp(request.user, nrp)
            if officer is None:
                unknown.append(nrp)
                continue
            services.record_pledge(
                actor=request.user, personnel_id=officer.pk, operation_id=chosen.pk, signed_on=signed_on
            )
            recorded += 1
        messages.success(request, _("%(n)d pakta integritas dicatat") % {"n": recorded})
        if unknown:
            messages.error(
                request, _("NRP tidak dikenal di wilayah Anda: %(nrp)s") % {"nrp": ", ".join(unknown[:20])}
            )
        return redirect(f"{request.path}?operasi={chosen.pk}")
    status = selectors.pledge_status(request.user, operation_id=chosen.pk) if chosen else None
    return render(
        request,
        "neutrality/pledges.html",
        {"operations": operations, "chosen": chosen, "status": status},
    )
