"""Login: Django's view with the throttled form, remembering the browser after a success (device cookie)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from siaga.accounts.devices import remember_device
from siaga.accounts.forms import ThrottledLoginForm


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: ThrottledLoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        remember_device(self.request, response, form.get_user().get_username())
        return response
