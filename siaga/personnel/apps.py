from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "siaga.personnel"
    label = "personnel"
    verbose_name = _("Personel dan kesiapan")
    nav_items = [(_("Apel & personel"), "personnel:apel_list", "view_personnel")]
