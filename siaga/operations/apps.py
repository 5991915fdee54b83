from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from siaga.core.maplayers import MapLayer


class OperationsConfig(AppConfig):
    name = "siaga.operations"
    label = "operations"
    verbose_name = _("Operasi")

    nav_items = [
        (_("Operasi"), "operations:index", "view_operations"),
        (_("Kerawanan TPS"), "operations:category_list", "view_sites"),
        (_("Kebutuhan personel"), "operations:required_strength", "view_operations"),
        (_("Persiapan"), "operations:setup", "manage_operations"),
    ]
    map_layers = [
        MapLayer(
            key="tps_category",
            label=_("Kategori kerawanan TPS"),
            url_name="operations:tps_category_layer",
            kind="points",
            default_on=False,  # the TPS layer shows the same points; categories on demand
            capability="view_map",
            order=20,
        ),
    ]
    map_header_template = "operations/_map_header.html"
