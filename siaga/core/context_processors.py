from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from siaga.accounts.roles import can

# The navbar groups apps by the stage of work, so it stays one line on an office screen and one
# menu on a phone. Apps declare `nav_items = [(label, url_name, capability)]`; the group comes from the app.
NAV_GROUPS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("wilayah", _("Wilayah & TPS"), ("territory", "sites")),
    ("operasi", _("Operasi"), ("operations",)),
    ("kesiapan", _("Kesiapan"), ("personnel",)),
    ("pengamanan", _("Pengamanan"), ("deployment", "guard", "patrols", "events", "logistics")),
    ("kejadian", _("Kejadian"), ("incidents",)),
    ("lapsit", _("Lapsit & mitra"), ("lapsit",)),
]


def _nav(user: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Top-level links (the command map) and the grouped menus, each item filtered by capability."""
    by_app: dict[str, list[dict[str, Any]]] = {}
    for config in apps.get_app_configs():
        for label, url_name, capability in getattr(config, "nav_items", ()):
            if user is not None and can(user, capability):
                by_app.setdefault(config.label, []).append({"label": label, "url_name": url_name})
    top = by_app.pop("dashboard", [])
    groups = []
    for key, label, app_labels in NAV_GROUPS:
        items = [item for app_label in app_labels for item in by_app.pop(app_label, [])]
        if items:
            groups.append({"key": key, "label": label, "items": items})
    for leftover in by_app.values():  # an app not yet placed in a group still gets its links
        top.extend(leftover)
    return top, groups


def siaga(request: HttpRequest) -> dict[str, Any]:
    """Navigation and demo-mode flags for every page."""
    user = getattr(request, "user", None)
    top, groups = _nav(user)
    return {
        "siaga_nav": top,
        "siaga_nav_groups": groups,
        "siaga_demo_mode": settings.SIAGA_DEMO_MODE,
        "can_view_audit": user is not None and can(user, "view_audit"),
        "can_manage_accounts": user is not None and can(user, "manage_accounts"),
    }
