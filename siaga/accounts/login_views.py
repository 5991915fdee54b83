"""Login: Django's view with the throttled form (remembering the browser after a success), then the second
factor (TOTP enrolment and verification)."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from siaga.accounts import mfa
from siaga.accounts.devices import remember_device
from siaga.accounts.forms import ThrottledLoginForm


class LogoutView(auth_views.LogoutView):
    """Logout that also empties the phone: the field app's outbox (IndexedDB), its cached pages and service
    worker, and any older localStorage queue (Clear-Site-Data, ASVS 14.3.1; G7). The field app empties its own
    store first (static/field/app.js); this header covers a logout from any other page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: ThrottledLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        remember_device(self.request, response, form.get_user().get_username())
        return response


@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code and secret, then a first code; recovery codes shown once."""
    if not request.user.is_authenticated:
        return redirect("login")
    user: Any = request.user  # django-otp's OTPMiddleware adds is_verified()
    if user_has_device(user, confirmed=True) and not user.is_verified():
        # Replacing an authenticator needs the second factor first (ASVS 7.5.1).
        return redirect("mfa_verify")
    device_id = request.session.get("mfa_setup_device")
    device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
    error = ""
    if request.method == "POST" and device is not None:
        codes = mfa.confirm_totp_device(user=request.user, device=device, token=request.POST.get("token", ""))
        if codes is not None:
            otp_login(request, device)
            request.session.pop("mfa_setup_device", None)
            return render(
                request, "accounts/mfa_codes.html", {"codes": codes, "next": mfa.safe_next(request)}
            )
        error = mfa.wrong_code_message()
    if device is None:
        device = mfa.new_totp_device(user=request.user)
        request.session["mfa_setup_device"] = device.pk
    return render(
        request,
        "accounts/mfa_setup.html",
        {
            "qr": mfa.qr_data_uri(device),
            "secret": b32encode(device.bin_key).decode(),
            "error": error,
            "next": mfa.safe_next(request),
        },
    )


@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of the login: a code from the authenticator app, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect("login")
    if not user_has_device(request.user, confirmed=True):
        return redirect("mfa_setup")
    error = ""
    if request.method == "POST":
        if mfa.verify_second_factor(request=request, token=request.POST.get("token", "")):
            return redirect(mfa.safe_next(request))
        error = mfa.wrong_code_message()
    return render(request, "accounts/mfa_verify.html", {"error": error, "next": mfa.safe_next(request)})
