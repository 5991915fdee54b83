from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest

from siaga.accounts.roles import can


def siaga(request: HttpRequest) -> dict[str, Any]:
    """Navigation (from each app's `nav_items`) and demo-mode flags for every page."""
    user = getattr(request, "user", None)
    nav = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", ()):
            label, url_name, capability = item
            if user is not None and can(user, capability):
                nav.append({"label": label, "url_name": url_name})
    return {
        "siaga_nav": nav,
        "siaga_demo_mode": settings.SIAGA_DEMO_MODE,
        "can_view_audit": user is not None and can(user, "view_audit"),
    }
