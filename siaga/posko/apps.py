from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoskoConfig(AppConfig):
    name = "siaga.posko"
    label = "posko"
    verbose_name = _("Posko")
