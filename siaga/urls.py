"""URL configuration. Each domain app's `urls.py` is mounted under its own prefix when it exists."""

from __future__ import annotations

import importlib
import importlib.util

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path

from siaga.accounts import login_views
from siaga.api.api import api
from siaga.core import views as core_views

# (app module, URL prefix). The prefix is the users' word for the area, so URLs read naturally.
APP_PREFIXES = [
    ("siaga.territory", "wilayah/"),
    ("siaga.sites", "situs/"),
    ("siaga.operations", "operasi/"),
    ("siaga.personnel", "personel/"),
    ("siaga.deployment", "plotting/"),
    ("siaga.guard", "jaga/"),
    ("siaga.patrols", "patroli/"),
    ("siaga.incidents", "kejadian/"),
    ("siaga.events", "acara/"),
    ("siaga.logistics", "logistik/"),
    ("siaga.neutrality", "netralitas/"),
    ("siaga.public", "lapor/"),
    ("siaga.polda", "polda/"),
    ("siaga.dashboard", "peta/"),
    ("siaga.accounts", "akun/"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", core_views.landing, name="landing"),
    path("healthz", core_views.healthz, name="healthz"),
    path("masuk/", login_views.LoginView.as_view(), name="login"),
    path("masuk/dua-langkah/", login_views.mfa_verify, name="mfa_verify"),
    path("masuk/dua-langkah/daftar/", login_views.mfa_setup, name="mfa_setup"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("siaga.core.urls")),
]

for module, prefix in APP_PREFIXES:
    if importlib.util.find_spec(f"{module}.urls") is not None:
        urls_module = importlib.import_module(f"{module}.urls")
        urlpatterns.append(path(prefix, include(urls_module)))

handler400 = "siaga.core.views.bad_request"
handler404 = "siaga.core.views.not_found"
handler403 = "siaga.core.views.permission_denied"
handler500 = "siaga.core.views.server_error"
