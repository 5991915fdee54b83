from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "siaga.personnel"
    label = "personnel"
    verbose_name = _("Personel dan kesiapan")
    nav_items = [(_("Apel & personel"), "personnel:apel_list", "view_personnel")]

    def ready(self) -> None:
        # The latest locked apel is the available police strength the required-strength page and planners use.
        try:
            from siaga.operations.selectors import register_available_police_provider
        except ImportError:  # the operations app without its hook: nothing to feed
            return
        from siaga.personnel.selectors import available_police_from_apel

        register_available_police_provider(available_police_from_apel)
