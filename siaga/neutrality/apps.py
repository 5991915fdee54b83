from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeutralityConfig(AppConfig):
    name = "siaga.neutrality"
    label = "neutrality"
    verbose_name = _("Netralitas")
    # Feeds the Posko alert stream (siaga.core.alerts).
    alert_sources = ["siaga.neutrality.alert_source.NeutralityAlertSource"]

    nav_items = [
        (_("Netralitas"), "neutrality:case_list", "view_neutrality_summary"),
    ]
