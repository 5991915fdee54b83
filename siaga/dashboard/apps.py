from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The command picture. Its map's layers come from every app's `map_layers` (siaga.core.maplayers)."""

    name = "siaga.dashboard"
    label = "dashboard"

    nav_items = [(_("Peta komando"), "dashboard:map", "view_map")]
