from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    name = "siaga.field"
    label = "field"
    verbose_name = _("Aplikasi lapangan")

    nav_items = [(_("Tugas saya"), "field:home", "deployment_duty")]
