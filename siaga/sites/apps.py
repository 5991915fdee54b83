from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class SitesConfig(AppConfig):
    name = "siaga.sites"
    label = "sites"
    verbose_name = _("TPS dan objek vital")

    nav_items = [
        (_("TPS"), "sites:tps_list", "view_sites"),
        (_("Objek vital"), "sites:vital_object_list", "view_sites"),
    ]
    map_layers = [
        # The TPS layer answers in a compact array form (see siaga.sites.views.tps_points); map.js reads both.
        MapLayer(key="tps", label=_("TPS"), url_name="sites:map_tps", capability="view_sites", order=20),
        MapLayer(
            key="vital_objects",
            label=_("Objek vital"),
            url_name="sites:map_vital_objects",
            capability="view_sites",
            order=30,
        ),
    ]
