"""Account pages for the Polres admin: list, create, import, edit role and unit, deactivate, temporary password,
link to an officer. Stable URL names (the set-up wizard links to them): accounts:user_list, accounts:user_create,
accounts:user_import."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siaga.accounts import selectors, services
from siaga.accounts.forms import AccountCreateForm, AccountForm, AccountImportForm, LinkPersonnelForm
from siaga.accounts.models import Role, User
from siaga.accounts.tasks import import_accounts_task
from siaga.core.errors import DomainError
from siaga.core.forms import show_error
from siaga.core.jobs import start_job
from siaga.core.pages import (
    access_or_404,
    export_format,
    export_list,
    int_param,
    paginate,
    require,
    save_upload,
)
from siaga.personnel.models import Personnel


def _officer(request: HttpRequest, nrp: str, account: User | None = None) -> Personnel | None:
    """The officer with this NRP that the admin may link (unlinked, in the Polres), or the account's own."""
    nrp = nrp.replace(" ", "").replace(".", "")
    officer = selectors.linkable_personnel(request.user).filter(nrp=nrp).first()
    if officer is None and account is not None:
        current = selectors.linked_personnel(account)
        officer = current if current is not None and current.nrp == nrp else None
    return officer


def user_list(request: HttpRequest) -> HttpResponse:
    require(request, "manage_accounts")
    active_raw = request.GET.get("active", "")
    filters = {
        "search": request.GET.get("q", "").strip(),
        "role": request.GET.get("role", "") if request.GET.get("role", "") in Role.values else "",
        "unit_id": int_param(request, "unit"),
        "active": {"1": True, "0": False}.get(active_raw),
    }
    qs = selectors.accounts_for(request.user, **filters)  # type: ignore[arg-type]
    if fmt := export_format(request):
        return export_list(
            request,
            fmt=fmt,
            filename="akun",
            object_type="accounts.user",
            headers=[
                "username",
                "nrp",
                "nama",
                "peran",
                "satuan",
                "email",
                "telepon",
                "instansi_mitra",
                "aktif",
            ],
            rows=(
                (
                    u.username,
                    getattr(u, "personnel_nrp", None) or "",
                    u.get_full_name(),
                    u.role,
                    u.police_unit.code if u.police_unit else "",
                    u.email,
                    u.phone,
                    u.partner,
                    "ya" if u.is_active else "tidak",
                )
                for u in qs
            ),
        )
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": paginate(request, qs),
            "filters": {**filters, "active_raw": active_raw},
            "roles": Role.choices,
            "units": selectors.manageable_units(request.user),
        },
    )


def user_create(request: HttpRequest) -> HttpResponse:
    require(request, "manage_accounts")
    form = AccountCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        officer = None
        if data["nrp"]:
            officer = _officer(request, data["nrp"])
            if officer is None:
                form.add_error("nrp", _("NRP tidak ada di daftar personel Polres Anda atau sudah punya akun"))
        if not form.errors:
            try:
                account = services.create_account(
                    actor=request.user,
                    username=data["username"],
                    role=data["role"],
                    police_unit=data["police_unit"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    phone=data["phone"],
                    partner=data["partner"] or "",
                    personnel=officer,
                    password=data["password"],
                )
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Akun %(u)s dibuat.") % {"u": account.username})
                return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_accounts")
    account = access_or_404(selectors.access_account, request, pk)
    form = AccountForm(
        request.POST or None,
        actor=request.user,
        initial={
            "first_name": account.first_name,
            "last_name": account.last_name,
            "role": account.role,
            "police_unit": account.police_unit,
            "partner": account.partner,
            "email": account.email,
            "phone": account.phone,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_account(
                actor=request.user,
                account=account,
                role=data["role"],
                police_unit=data["police_unit"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                phone=data["phone"],
                partner=data["partner"] or "",
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Akun disimpan."))
            return redirect("accounts:user_detail", pk=account.pk)
    officer = selectors.linked_personnel(account)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": account,
            "form": form,
            "officer": officer,
            "link_form": LinkPersonnelForm(initial={"nrp": officer.nrp if officer else ""}),
            "is_self": account.pk == request.user.pk,
        },
    )


@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_accounts")
    account = access_or_404(selectors.access_account, request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_account_active(actor=request.user, account=account, active=active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Akun diaktifkan.") if active else _("Akun dinonaktifkan."))
    return redirect("accounts:user_detail", pk=account.pk)


@require_POST
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a temporary password and show it once (never stored in clear, never sent anywhere)."""
    require(request, "manage_accounts")
    account = access_or_404(selectors.access_account, request, pk)
    try:
        raw = services.set_temporary_password(actor=request.user, account=account)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/user_password.html", {"account": account, "password": raw})


@require_POST
def user_link(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "manage_accounts")
    account = access_or_404(selectors.access_account, request, pk)
    form = LinkPersonnelForm(request.POST)
    if form.is_valid():
        nrp = form.cleaned_data["nrp"]
        officer = _officer(request, nrp, account) if nrp else None
        if nrp and officer is None:
            messages.error(request, _("NRP tidak ada di daftar personel Polres Anda atau sudah punya akun"))
        else:
            try:
                services.link_personnel(actor=request.user, account=account, personnel=officer)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("Akun ditautkan ke personel.") if officer else _("Tautan personel dilepas.")
                )
    return redirect("accounts:user_detail", pk=account.pk)


def user_import(request: HttpRequest) -> HttpResponse:
    require(request, "manage_accounts")
    form = AccountImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = save_upload(upload, stem="akun")
        job = start_job(
            kind="import_accounts",
            title=_("Impor akun (%(f)s)") % {"f": upload.name},
            task=import_accounts_task,
            actor=request.user,
            params={"path": str(path)},
        )
        messages.info(request, _("Berkas diterima; impor berjalan di latar."))
        return redirect("job_detail", pk=job.pk)
    return render(request, "accounts/user_import.html", {"form": form, "role_codes": Role.values})
