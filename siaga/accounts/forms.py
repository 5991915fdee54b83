from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from siaga.accounts import services
from siaga.accounts.devices import device_for
from siaga.accounts.models import Role, User
from siaga.accounts.selectors import manageable_units
from siaga.core.middleware import client_ip
from siaga.territory.forms import TABLE_EXTENSIONS
from siaga.territory.models import PoliceUnit


class ThrottledLoginForm(AuthenticationForm):
    """The login form, refusing further attempts after too many failures for a username or address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Terlalu banyak percobaan gagal. Coba lagi dalam beberapa menit."),
        "invalid_login": _("Nama pengguna atau kata sandi salah."),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        ip = client_ip(self.request) if self.request else None
        device = device_for(self.request, username)
        if username and services.is_login_throttled(username=username, ip_address=ip, device=device):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.record_login_failure(username=username, ip_address=ip, device=device)
            raise
        services.clear_login_failures(username=username, ip_address=ip, device=device)
        return cleaned


# --- account management by the Polres admin (issue 13) ----------------------------------------------------


class AccountForm(forms.Form):
    """An account's role, unit and contact details; the unit list is the admin's own Polres."""

    first_name = forms.CharField(label=_("Nama"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nama belakang"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Peran"), choices=Role.choices)
    police_unit = forms.ModelChoiceField(
        label=_("Satuan"), queryset=PoliceUnit.objects.none(), required=False, empty_label=_("(tanpa satuan)")
    )
    partner = forms.ChoiceField(
        label=_("Instansi mitra"),
        choices=User.Partner.choices,
        required=False,
        help_text=_("Hanya untuk akun mitra (KPU, Bawaslu, TNI, pers)"),
    )
    email = forms.EmailField(label=_("Surel"), required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False)

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        police_unit = self.fields["police_unit"]
        assert isinstance(police_unit, forms.ModelChoiceField)
        police_unit.queryset = manageable_units(actor)


class AccountCreateForm(AccountForm):
    """A new account; with an officer's NRP the username defaults to that NRP (field officers log in with it)."""

    nrp = forms.CharField(
        label=_("NRP personel"),
        max_length=18,
        required=False,
        help_text=_("Tautkan ke personel; nama pengguna = NRP bila dikosongkan"),
    )
    username = forms.CharField(label=_("Nama pengguna"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Kata sandi awal"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Kosongkan untuk memberi kata sandi sementara nanti"),
    )
    field_order = [
        "nrp",
        "username",
        "first_name",
        "last_name",
        "role",
        "police_unit",
        "partner",
        "email",
        "phone",
        "password",
    ]

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, actor=actor, **kwargs)
        # Most accounts of a Polres are field officers; an administrator is the exception, never the default.
        self.fields["role"].initial = Role.FIELD_OFFICER

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("username") and not cleaned.get("nrp"):
            self.add_error("username", _("Isi nama pengguna atau NRP"))
        return cleaned


class LinkPersonnelForm(forms.Form):
    nrp = forms.CharField(
        label=_("NRP personel"), max_length=18, required=False, help_text=_("Kosongkan untuk melepas tautan")
    )


class AccountImportForm(forms.Form):
    file = forms.FileField(
        label=_("Daftar akun (CSV atau XLSX)"),
        help_text=_("Kolom: username atau nrp, nama, peran, satuan, [email, telepon, instansi_mitra, aktif]"),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if Path(upload.name or "").suffix.lower() not in TABLE_EXTENSIONS:
            raise forms.ValidationError(_("Jenis berkas harus .csv atau .xlsx"))
        return upload
