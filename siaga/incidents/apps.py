from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class IncidentsConfig(AppConfig):
    name = "siaga.incidents"
    label = "incidents"
    verbose_name = _("Kejadian")
    # Feeds the Posko alert stream (siaga.core.alerts).
    alert_sources = ["siaga.incidents.alert_source.IncidentAlertSource"]

    nav_items = [
        (_("Kejadian"), "incidents:queue", "view_incidents"),
        (_("Unit respons"), "incidents:unit_list", "dispatch_units"),
        (_("Waktu respons"), "incidents:response_times", "view_response_times"),
    ]
    map_layers = [
        MapLayer(
            key="incidents",
            label=_("Kejadian"),
            url_name="incidents:map_incidents",
            capability="view_incidents",
            order=40,
            refresh_s=4,
        ),
        MapLayer(
            key="response_units",
            label=_("Unit respons"),
            url_name="incidents:map_units",
            capability="dispatch_units",
            order=45,
            default_on=False,
            refresh_s=5,
        ),
    ]
