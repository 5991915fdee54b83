from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class LogisticsConfig(AppConfig):
    name = "siaga.logistics"
    label = "logistics"
    verbose_name = _("Pengawalan logistik")
    # Feeds the Posko alert stream (siaga.core.alerts).
    alert_sources = ["siaga.logistics.alert_source.LogisticsAlertSource"]
    # Mark late legs on their own page without cron (siaga.posko.scheduler).
    periodic_tasks = ["siaga.logistics.alert_source.MARK_LATE_LEGS"]

    nav_items = [(_("Pengawalan logistik"), "logistics:board", "view_logistics")]
    # An escort officer is not put on another duty during the trip (siaga/core/duties.py).
    duty_providers = ["siaga.logistics.commitments.EscortDutyProvider"]
    map_layers = [
        MapLayer(
            key="logistics_legs",
            label=_("Logistik: status per PPS/TPS"),
            url_name="logistics:map_legs",
            capability="view_logistics",
            default_on=False,
            order=45,
        )
    ]
