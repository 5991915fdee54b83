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
