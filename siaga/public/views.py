"""The public portal (/lapor/): no login. Files reports and shows their public status through
siaga.incidents.intake only; it has no access to internal selectors, other reports or identities."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from siaga.core.errors import DomainError, NotFound
from siaga.core.middleware import client_ip
from siaga.incidents import intake
from siaga.incidents.ratelimit import RateLimited
from siaga.neutrality import intake as neutrality
from siaga.public.forms import PublicComplaintForm, PublicReportForm


def _map_config() -> dict[str, object]:
    from django.conf import settings

    return {
        "tiles": getattr(settings, "SIAGA_MAP_TILE_URL", ""),
        "attribution": getattr(settings, "SIAGA_MAP_TILE_ATTRIBUTION", ""),
        "boundaries": "batas.geojson",
        "center": [-8.17, 113.70],
        "zoom": 10,
    }


@never_cache
def report(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = PublicReportForm(request.POST, request.FILES)
        photos = request.FILES.getlist("photos")
        if len(photos) > 5:
            form.add_error("photos", _("Paling banyak 5 foto"))
        if form.is_valid():
            data = form.cleaned_data
            occurred = data["occurred_at"]
            report_data = intake.PublicReport(
                category=data["category"],
                description=data["description"],
                occurred_at=occurred if timezone.is_aware(occurred) else timezone.make_aware(occurred),
                lat=data["lat"],
                lng=data["lng"],
                desa_id=data["desa"],
                tps_number=data["tps_number"],
                place=data["place"],
                name=data["name"],
                phone=data["phone"],
                consent=data["consent"],
            )
            try:
                receipt = intake.submit_public_report(
                    report=report_data,
                    photos=photos,
                    idempotency_key=data["idempotency_key"],
                    client=client_ip(request),
                )
            except DomainError as exc:
                status = 429 if isinstance(exc, RateLimited) else 422
                for field, messages in exc.fields.items():
                    target = field if field in form.fields else None
                    for message in messages:
                        form.add_error(target, message)
                form.add_error(None, exc.message)
            else:
                return redirect("public:status", receipt=receipt.receipt)
        else:
            status = 422
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = PublicReportForm(initial={"idempotency_key": uuid.uuid4().hex, "occurred_at": now})
    return render(request, "public/report.html", {"form": form, "map_config": _map_config()}, status=status)


@never_cache
def status(request: HttpRequest, receipt: str) -> HttpResponse:
    try:
        intake.check_lookup_rate(client_ip(request))
        info = intake.public_status(receipt)
    except NotFound:
        # Neutrality complaints share the receipt alphabet; one lookup box serves both.
        if neutrality.receipt_exists(receipt):
            return redirect("public:neutrality_status", receipt=receipt.strip().upper()[:20])
        return render(request, "public/lookup.html", {"not_found": receipt[:20]}, status=404)
    except RateLimited as exc:
        response = render(request, "public/lookup.html", {"error": exc.message}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return render(request, "public/status.html", {"info": info})


@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("kode", "").strip()
    if code:
        return redirect("public:status", receipt=code[:20])
    return render(request, "public/lookup.html", {})


@require_GET
@cache_control(public=True, max_age=3600)
def boundaries(request: HttpRequest) -> JsonResponse:
    return JsonResponse(intake.boundaries_geojson(), json_dumps_params={"separators": (",", ":")})


@never_cache
def neutrality_report(request: HttpRequest) -> HttpResponse:
    """A citizen's complaint that an officer took sides: a receipt to follow it, identity optional."""
    status = 200
    choices = intake.desa_choices()
    if request.method == "POST":
        form = PublicComplaintForm(request.POST, desa_choices=choices)
        if form.is_valid():
            data = form.cleaned_data
            occurred = data["occurred_at"]
            complaint = neutrality.PublicComplaint(
                summary=data["summary"],
                officer_description=data["officer_description"],
                occurred_at=occurred if timezone.is_aware(occurred) else timezone.make_aware(occurred),
                desa_id=data["desa"],
                tps_number=data["tps_number"],
                place=data["place"],
                name=data["name"],
                nik=data["nik"],
                phone=data["phone"],
            )
            try:
                case = neutrality.file_public_complaint(
                    complaint=complaint, idempotency_key=data["idempotency_key"], client=client_ip(request)
                )
            except DomainError as exc:
                status = 429 if isinstance(exc, RateLimited) else 422
                for field, messages in exc.fields.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
                form.add_error(None, exc.message)
            else:
                return redirect("public:neutrality_status", receipt=case.receipt)
        else:
            status = 422
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = PublicComplaintForm(
            initial={"idempotency_key": uuid.uuid4().hex, "occurred_at": now}, desa_choices=choices
        )
    return render(request, "public/neutrality_report.html", {"form": form}, status=status)


@never_cache
def neutrality_status(request: HttpRequest, receipt: str) -> HttpResponse:
    try:
        intake.check_lookup_rate(client_ip(request))
        info = neutrality.public_status(receipt[:20])
    except NotFound:
        return render(request, "public/lookup.html", {"not_found": receipt[:20]}, status=404)
    except RateLimited as exc:
        response = render(request, "public/lookup.html", {"error": exc.message}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    return render(request, "public/neutrality_status.html", {"info": info})
