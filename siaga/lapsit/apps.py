from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LapsitConfig(AppConfig):
    name = "siaga.lapsit"
    label = "lapsit"
    verbose_name = _("Lapsit dan mitra")

    # The daily Lapsit, run by the worker's scheduler (siaga.posko.scheduler) without cron.
    periodic_tasks = ["siaga.lapsit.services.DAILY_LAPSIT"]

    nav_items = [
        (_("Lapsit"), "lapsit:list", "view_lapsit"),
        (_("Kekuatan"), "lapsit:strength", "view_strength"),
        (_("Mitra"), "lapsit:partner", "view_partner_view"),
    ]

    def ready(self) -> None:
        # The Polda board shows each Polres' latest Lapsit through its provider hook.
        from siaga.lapsit.selectors import latest_lapsit_cells
        from siaga.polda.selectors import register_lapsit_provider

        register_lapsit_provider(latest_lapsit_cells)
