from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class PoskoConfig(AppConfig):
    name = "siaga.posko"
    label = "posko"
    verbose_name = _("Posko")

    nav_items = [(_("Posko"), "posko:board", "view_posko")]
    # The alert stream's tick and the pruning of the scheduler's run log (siaga.posko.scheduler).
    periodic_tasks = ["siaga.posko.services.ALERT_TICK", "siaga.posko.scheduler.PRUNE_TICKS"]
    map_layers = [
        MapLayer(
            key="posko_alerts",
            label=_("Peringatan posko (langsung)"),  # type: ignore[arg-type]
            url_name="posko:map_alerts",
            capability="view_posko",
            order=5,
            refresh_s=5,
        ),
        MapLayer(
            key="posko_cameras",
            label=_("Kamera CCTV"),  # type: ignore[arg-type]
            url_name="posko:map_cameras",
            capability="view_cctv",
            order=60,
            default_on=False,
        ),
    ]
