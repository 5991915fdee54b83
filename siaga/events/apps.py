from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class EventsConfig(AppConfig):
    name = "siaga.events"
    label = "events"
    verbose_name = _("Kegiatan")
    # Feeds the Posko alert stream (siaga.core.alerts).
    alert_sources = ["siaga.events.alert_source.EventAlertSource"]

    nav_items = [(_("Kegiatan & kampanye"), "events:list", "view_events")]
    # An officer on an event is not put on another duty at the same time (siaga/core/duties.py).
    duty_providers = ["siaga.events.commitments.EventDutyProvider"]
    map_layers = [
        MapLayer(
            key="events",
            label=_("Kegiatan & kampanye (7 hari ke depan)"),
            url_name="events:map_events",
            capability="view_events",
            default_on=False,
            order=40,
        )
    ]
