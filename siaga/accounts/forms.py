from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from siaga.accounts import services
from siaga.accounts.devices import device_for
from siaga.core.middleware import client_ip


class ThrottledLoginForm(AuthenticationForm):
    """The login form, refusing further attempts after too many failures for a username or address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Terlalu banyak percobaan gagal. Coba lagi dalam beberapa menit. / "
            "Too many failed attempts. Try again in a few minutes."
        ),
        "invalid_login": _("Nama pengguna atau kata sandi salah. / Wrong username or password."),
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
