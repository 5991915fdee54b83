from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "siaga.public"
    label = "public"
    verbose_name = _("Portal pelaporan publik")
