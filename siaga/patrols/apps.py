from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class PatrolsConfig(AppConfig):
    name = "siaga.patrols"
    label = "patrols"
    verbose_name = _("Patroli")
    # Feeds the Posko alert stream (siaga.core.alerts).
    alert_sources = ["siaga.patrols.alert_source.PatrolAlertSource"]

    nav_items = [
        (_("Patroli"), "patrols:index", "view_patrol_plans"),
        (_("Absen patroli"), "patrols:check_in", "patrol_duty"),
    ]
    # Both layers reveal where patrols go: only those allowed to see patrol schedules get them.
    map_layers = [
        MapLayer(
            key="patrol_points",
            label=_("Titik patroli"),
            url_name="patrols:map_points",
            capability="view_patrol_plans",
            default_on=False,
            order=40,
        ),
        MapLayer(
            key="patrol_heat",
            label=_("Cakupan patroli (7 hari)"),
            url_name="patrols:map_heat",
            kind="polygons",
            capability="view_patrol_plans",
            default_on=False,
            order=41,
        ),
    ]
