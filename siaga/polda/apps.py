from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoldaConfig(AppConfig):
    name = "siaga.polda"
    label = "polda"
    verbose_name = _("Polda")

    nav_items = [(_("Papan Polda"), "polda:board", "view_polda_board")]
