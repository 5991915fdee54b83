"""The guided set-up of a Polres (`/operasi/persiapan/`): what is done and what comes next, from an empty
database to a published PAM TPS plan; and the two set-up forms that had no page before (a new election from
a PKPU calendar template, a new operation). Each step names the equivalent `siaga` command (docs/getting-started.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from siaga.accounts.roles import can
from siaga.core.errors import DomainError
from siaga.core.forms import show_error
from siaga.core.pages import require
from siaga.operations import selectors, services, setup
from siaga.operations.forms import ElectionCreateForm, OperationCreateForm, SatgasForm
from siaga.operations.models import Election, Operation, Satgas, SecurityPattern
from siaga.territory.models import Kecamatan, PoliceUnit

# The account screens live in the accounts app (docs/accounts.md).
ACCOUNT_URL_NAMES = ("accounts:user_list",)


@dataclass
class Step:
    title: str
    done: bool
    detail: str
    command: str
    links: list[tuple[str, str]] = field(default_factory=list)
    blocked: bool = False


def _url(name: str, *args: Any) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _links(request: HttpRequest, *items: tuple[str, str | None, str]) -> list[tuple[str, str]]:
    """(label, url, capability) -> the links this user may follow."""
    return [(label, url) for label, url, capability in items if url and can(request.user, capability)]


def _steps(request: HttpRequest, polres: PoliceUnit | None) -> list[Step]:
    from siaga.deployment.models import DeploymentPlan
    from siaga.personnel.models import BkoAttachment, Equipment, PartnerForce, Personnel
    from siaga.sites.models import Tps

    kab: int = polres.kabupaten_pk if polres is not None else 0  # 0 matches no kabupaten
    has_territory = polres is not None and Kecamatan.objects.filter(kabupaten_id=kab).exists()
    operations = list(Operation.objects.filter(polres=polres).select_related("election")) if polres else []
    operation = operations[0] if operations else None
    election = operation.election if operation else Election.objects.order_by("-voting_on").first()
    no_polres = not has_territory
    users = 0
    if polres is not None:
        from siaga.accounts.models import User

        users = User.objects.filter(police_unit__kabupaten_id=kab, is_active=True).count()
    accounts_url = next((u for u in (_url(n) for n in ACCOUNT_URL_NAMES) if u), None)
    tps = Tps.objects.filter(kecamatan__kabupaten_id=kab) if kab else Tps.objects.none()
    return [
        Step(
            _("Wilayah: kecamatan, desa, batas, Polres dan Polsek"),
            has_territory,
            _("%(n)s kecamatan") % {"n": Kecamatan.objects.filter(kabupaten_id=kab).count()} if kab else "",
            "siaga import-territory --desa desa.csv --boundaries batas_desa.geojson --police-units satuan.csv",
            _links(request, (_("Impor wilayah"), _url("territory:import"), "edit_territory")),
        ),
        Step(
            _("Pemilihan dari templat tahapan PKPU, dengan hari pemungutan suara"),
            Election.objects.exists(),
            ", ".join(f"{e.name} ({e.voting_on:%d-%m-%Y})" for e in Election.objects.all()[:5]),
            "siaga create-election --slug S --name N --kind pemilu|pilkada --voting-day YYYY-MM-DD",
            _links(request, (_("Pemilihan baru"), _url("operations:election_create"), "manage_operations")),
        ),
        Step(
            _("Operasi: masa operasi Polres"),
            bool(operations),
            ", ".join(f"{o.name} ({o.starts_on:%d-%m-%Y} - {o.ends_on:%d-%m-%Y})" for o in operations[:3]),
            "siaga create-operation --slug S --name N --election S --starts-on D --ends-on D",
            _links(request, (_("Operasi baru"), _url("operations:operation_create"), "manage_operations")),
            blocked=no_polres,
        ),
        Step(
            _("Satgas dan komandannya"),
            Satgas.objects.filter(operation__polres=polres).exists() if polres else False,
            _("%(n)s satgas") % {"n": Satgas.objects.filter(operation=operation).count()}
            if operation
            else "",
            "siaga create-operation ... [--no-satgas]",
            _links(
                request,
                (
                    _("Lihat operasi"),
                    _url("operations:operation_detail", operation.slug) if operation else None,
                    "view_operations",
                ),
            ),
            blocked=operation is None,
        ),
        Step(
            _("Pola pengamanan TPS (salin pola terbitan lalu sesuaikan)"),
            SecurityPattern.objects.filter(polres=polres).exists() if polres else False,
            "",
            "siaga apply-pattern-template --list; siaga apply-pattern-template --election S --template T",
            _links(
                request,
                (
                    _("Pola pengamanan"),
                    f"{reverse('operations:pattern_list')}?election={election.slug}" if election else None,
                    "view_operations",
                ),
            ),
            blocked=no_polres or election is None,
        ),
        Step(
            _("Daftar TPS dari KPU"),
            tps.exists(),
            _("%(n)s TPS") % {"n": tps.count()} if kab else "",
            "siaga import-tps --election S tps.csv",
            _links(request, (_("Impor TPS"), _url("sites:tps_import"), "import_data")),
            blocked=no_polres or election is None,
        ),
        Step(
            _("Personel (DSP)"),
            Personnel.objects.filter(unit__polres=polres).exists() if polres else False,
            _("%(n)s personel") % {"n": Personnel.objects.filter(unit__polres=polres).count()}
            if polres
            else "",
            "siaga import-personnel personel.csv",
            _links(request, (_("Impor personel"), _url("personnel:import"), "manage_personnel")),
            blocked=no_polres,
        ),
        Step(
            _("Peralatan, BKO dan pasukan mitra"),
            bool(polres)
            and (
                Equipment.objects.filter(unit__polres=polres).exists()
                or BkoAttachment.objects.filter(polres=polres).exists()
                or PartnerForce.objects.filter(kecamatan__kabupaten_id=kab).exists()
            ),
            "",
            "siaga import-equipment peralatan.csv; siaga import-bko bko.csv; siaga import-partner-forces mitra.csv",
            _links(
                request,
                (_("Impor peralatan"), _url("personnel:resource_import", "equipment"), "manage_personnel"),
                (_("Impor BKO"), _url("personnel:resource_import", "bko"), "manage_personnel"),
                (
                    _("Impor pasukan mitra"),
                    _url("personnel:resource_import", "partner_forces"),
                    "manage_personnel",
                ),
            ),
            blocked=no_polres,
        ),
        Step(
            _("Akun pengguna Polres dan Polsek"),
            users > 1,
            _("%(n)s akun aktif") % {"n": users} if polres else "",
            "siaga createsuperuser; siaga import-accounts akun.csv --as ADMIN",
            _links(request, (_("Kelola akun"), accounts_url, "manage_accounts")),
            blocked=no_polres,
        ),
        Step(
            _("Plotting PAM TPS dan Sprin"),
            DeploymentPlan.objects.filter(polres=polres, status=DeploymentPlan.Status.PUBLISHED).exists()
            if polres
            else False,
            "",
            "siaga plan --election S --json; siaga publish-plan --plan ID --sprin-number N --sprin-on D; "
            "siaga sprin --plan ID --out sprin.pdf",
            _links(request, (_("Plotting"), _url("deployment:index"), "view_deployment")),
            blocked=no_polres or election is None,
        ),
    ]


def _polres_of(request: HttpRequest) -> PoliceUnit | None:
    return selectors.polres_for(request.user).order_by("id").first()


def setup_overview(request: HttpRequest) -> HttpResponse:
    require(request, "manage_operations")
    polres = _polres_of(request)
    steps = _steps(request, polres)
    return render(
        request,
        "operations/setup.html",
        {"polres": polres, "steps": steps, "done": sum(s.done for s in steps), "total": len(steps)},
    )


def election_create(request: HttpRequest) -> HttpResponse:
    require(request, "manage_operations")
    form = ElectionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            election = setup.create_election(
                actor=request.user,
                slug=data["slug"],
                name=data["name"],
                kind=data["kind"],
                voting_on=data["voting_on"],
                calendar={"auto": None, "none": ""}.get(data["calendar"], data["calendar"]),
                max_voters_per_tps=data["max_voters_per_tps"],
                polres=_polres_of(request),
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request,
                _("Pemilihan %(e)s dibuat dengan %(n)s tahapan.")
                % {"e": election.name, "n": election.stages.count()},
            )
            return redirect("operations:setup")
    return render(
        request,
        "operations/setup_form.html",
        {"form": form, "title": _("Pemilihan baru"), "back": reverse("operations:setup")},
    )


def operation_create(request: HttpRequest) -> HttpResponse:
    require(request, "manage_operations")
    polres_qs = selectors.polres_for(request.user)
    if not polres_qs.exists() or not Election.objects.exists():
        messages.warning(request, _("Impor wilayah (Polres) dan buat pemilihan lebih dulu."))
        return redirect("operations:setup")
    form = OperationCreateForm(
        request.POST or None, polres=polres_qs, initial={"polres": polres_qs.first(), "with_satgas": True}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            operation = setup.create_operation(
                actor=request.user,
                slug=data["slug"],
                name=data["name"],
                election=data["election"],
                polres=data["polres"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                police_available=data["police_available"],
                with_satgas=data["with_satgas"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Operasi %(o)s dibuat.") % {"o": operation.name})
            return redirect("operations:setup")
    return render(
        request,
        "operations/setup_form.html",
        {"form": form, "title": _("Operasi baru"), "back": reverse("operations:setup")},
    )


def satgas_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Name a satgas's commander (and its planned strength); satgas of operations outside the user's Polres
    answer 404."""
    from django.http import Http404

    require(request, "manage_operations")
    satgas = Satgas.objects.select_related("operation").filter(pk=pk).first()
    if satgas is None or not selectors.operations_for(request.user).filter(pk=satgas.operation_id).exists():
        raise Http404
    back = reverse("operations:operation_detail", args=[satgas.operation.slug])
    form = SatgasForm(request.POST or None, instance=satgas)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.changed_data}
        satgas.refresh_from_db()
        try:
            services.save_satgas(actor=request.user, operation=satgas.operation, data=data, satgas=satgas)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Satgas disimpan."))
            return redirect(back)
    return render(request, "operations/setup_form.html", {"form": form, "title": satgas.name, "back": back})
